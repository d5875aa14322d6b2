/**
 * Fits the answer pipeline's settings on tuning data only, and prints them with how they do on the
 * held-out data (nothing is written; the constants live in src/core/answer/):
 * - the extract's sentence weights (LEXICAL, WITH_COSINE in extract.ts): conditional logistic
 *   regression, one choice among each question's sentences, on SQuAD articles 0–3;
 * - coverage (COVERAGE in coverage.ts): answerable questions of articles 0–3 against the even
 *   lines of the off-topic lists.
 *
 *   npx tsx scripts/tune-answer.ts ../shared/data/squad2-a --offtopic ../shared/data/scifact/queries.jsonl --offtopic test/fixtures/answer/everyday-questions.jsonl
 */
import { parseArgs } from 'node:util';
import { coverage, SEARCH_DEFAULTS, sentenceScoring, termShare, type ContextPassage } from '../src/core';
import { articleOf, auroc, containsAnswer, loadQa, loadQueries, qaLibrary, round } from './lib/qa';

const { best, candidates, FEATURES, passageOrder, score, withCosines } = sentenceScoring;
type Candidate = sentenceScoring.Candidate;
type Weights = sentenceScoring.Weights;
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { offtopic: { type: 'string', multiple: true, default: [] }, shortlist: { type: 'string', default: '12' } },
});
const dir = positionals[0];
if (!dir) {
  console.error('usage: npx tsx scripts/tune-answer.ts <squad2-a dir> [--offtopic queries.jsonl]…');
  process.exit(2);
}
const set = loadQa(dir);
const { library, embedder, retriever } = await qaLibrary(set);
const opts = { k: SEARCH_DEFAULTS.k.answer, budgetTokens: 700 };

// Sentence vectors are cached: the same paragraphs come back for many questions.
const cache = new Map<string, Float32Array>();
async function vectors(texts: string[]): Promise<Float32Array> {
  const missing = [...new Set(texts.filter((t) => !cache.has(t)))];
  if (missing.length) {
    const v = await embedder.embed(missing, 'passage');
    const d = v.length / missing.length;
    missing.forEach((t, i) => cache.set(t, v.slice(i * d, (i + 1) * d)));
  }
  const d = cache.get(texts[0]!)!.length;
  const out = new Float32Array(texts.length * d);
  texts.forEach((t, i) => out.set(cache.get(t)!, i * d));
  return out;
}

interface Item {
  tune: boolean;
  answers: string[];
  found: ContextPassage[];
  cands: Candidate[];
  labels: boolean[];
}
const items: Item[] = [];
const answerable = set.questions.filter((q) => !q.is_impossible);
for (const q of answerable) {
  const found = await retriever.context(q.question, opts);
  const cands = candidates(q.question, found);
  if (cands.length)
    withCosines(cands, await embedder.embed([q.question], 'query'), await vectors(cands.map((c) => c.text)));
  const article = articleOf(q.context_id ?? '');
  items.push({
    tune: article !== null && article < 4,
    answers: q.answers,
    found,
    cands,
    labels: cands.map((c) => containsAnswer(c.text, q.answers)),
  });
}
process.stderr.write(`${items.length} answerable questions retrieved\n`);

/** Conditional logit by gradient descent on standardised features; weights returned in raw units. */
function fitWeights(data: Item[], use: (typeof FEATURES)[number][]): Weights {
  const idx = use.map((f) => FEATURES.indexOf(f));
  const rows = data.filter((d) => d.labels.some(Boolean));
  const all = rows.flatMap((d) => d.cands.map((c) => idx.map((i) => c.features[i]!)));
  const mu = idx.map((_, j) => all.reduce((s, r) => s + r[j]!, 0) / all.length);
  const sd = idx.map((_, j) => Math.sqrt(all.reduce((s, r) => s + (r[j]! - mu[j]!) ** 2, 0) / all.length) || 1);
  const z = rows.map((d) => ({
    x: d.cands.map((c) => idx.map((i, j) => (c.features[i]! - mu[j]!) / sd[j]!)),
    y: d.labels,
  }));
  const w = new Array(idx.length).fill(0);
  for (let iter = 0; iter < 400; iter++) {
    const g = new Array(idx.length).fill(0);
    for (const { x, y } of z) {
      const s = x.map((r) => r.reduce((a, v, j) => a + v * w[j]!, 0));
      const top = Math.max(...s);
      const e = s.map((v) => Math.exp(v - top));
      const sum = e.reduce((a, b) => a + b, 0);
      const pos = y.filter(Boolean).length;
      x.forEach((r, i) => r.forEach((v, j) => (g[j] += v * (e[i]! / sum - (y[i] ? 1 / pos : 0)))));
    }
    for (let j = 0; j < w.length; j++) w[j] -= (g[j]! / z.length + 0.001 * w[j]!) * 1.0;
  }
  const out = Object.fromEntries(FEATURES.map((f) => [f, 0])) as Weights;
  idx.forEach((i, j) => (out[FEATURES[i]!] = round(w[j]! / sd[j]!, 2)));
  return out;
}

const lexical = fitWeights(
  items.filter((d) => d.tune),
  ['lexical', 'retrieval', 'passageCosine', 'typeMatch', 'typeMiss', 'novelty', 'heading', 'first', 'length'],
);
const dense = fitWeights(
  items.filter((d) => d.tune),
  [...FEATURES],
);
console.log('LEXICAL', JSON.stringify(lexical));
console.log('WITH_COSINE', JSON.stringify(dense));

let shortlist = Number(values.shortlist);
function evaluateExtract(data: Item[]) {
  let sentence = 0;
  let lexicalOnly = 0;
  let topPassage = 0;
  let retrievedFirst = 0;
  // Within the first passage, when it holds the answer: how often the words alone pick the sentence.
  let within = 0;
  let withinOf = 0;
  for (const d of data) {
    const cands = score(
      d.cands.map((c) => ({ ...c, features: [...c.features] })),
      lexical,
    );
    const order = passageOrder(cands, d.found.length);
    if (d.found.length && containsAnswer(d.found[order[0]!]!.text, d.answers)) topPassage++;
    if (d.found.length && containsAnswer(d.found[0]!.text, d.answers)) {
      retrievedFirst++;
      const mine = d.cands.filter((c) => c.passage === 0);
      const pick = mine.reduce((a, b) => (b.features[1]! > a.features[1]! ? b : a), mine[0]!);
      withinOf++;
      if (containsAnswer(pick.text, d.answers)) within++;
    }
    const lex = best(cands);
    if (lex && containsAnswer(lex.text, d.answers)) lexicalOnly++;
    const picked = best(score([...cands].sort((a, b) => b.score - a.score).slice(0, shortlist), dense));
    if (picked && containsAnswer(picked.text, d.answers)) sentence++;
  }
  return {
    questions: data.length,
    answer_in_top_sentence: round(sentence / data.length),
    lexical_only_sentence: round(lexicalOnly / data.length),
    answer_in_top_passage: round(topPassage / data.length),
    answer_in_first_retrieved_passage: round(retrievedFirst / data.length),
    words_alone_within_first_passage: round(within / withinOf),
  };
}
console.log('extract, articles 0-3 (tuning):', JSON.stringify(evaluateExtract(items.filter((d) => d.tune))));
console.log('extract, articles 4-7 (held out):', JSON.stringify(evaluateExtract(items.filter((d) => !d.tune))));
for (const k of [2, 3, 4, 6, 8, 12, 20]) {
  shortlist = k;
  console.log(
    `shortlist ${k}: tuning ${evaluateExtract(items.filter((d) => d.tune)).answer_in_top_sentence}, held out ${evaluateExtract(items.filter((d) => !d.tune)).answer_in_top_sentence}`,
  );
}

// Coverage: the evidence for answerable questions against off-topic ones.
const offtopic = values.offtopic!.flatMap((file) =>
  loadQueries(file).map((q, i) => ({ text: q.text, tune: i % 2 === 0 })),
);
const off: { tune: boolean; cosine: number; share: number }[] = [];
for (const q of offtopic) {
  const found = await retriever.context(q.text, opts);
  const c = coverage(q.text, found);
  off.push({ tune: q.tune, cosine: c.cosine ?? 0, share: termShare(q.text, found) });
}
const on = items.map((d, i) => ({
  tune: d.tune,
  cosine: Math.max(0, ...d.found.map((p) => p.dense ?? 0)),
  share: termShare(answerable[i]!.question, d.found),
}));
if (off.length) {
  for (const weight of [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 1]) {
    const e = (x: { cosine: number; share: number }) => x.cosine + weight * x.share;
    const tunePos = on
      .filter((x) => x.tune)
      .map(e)
      .sort((a, b) => a - b);
    // The line: at most 2% of answerable tuning questions fall below it.
    const line = tunePos[Math.floor(tunePos.length * 0.02)]!;
    const rate = (xs: number[]) => round(xs.filter((v) => v < line).length / xs.length, 3);
    const held = (tune: boolean) => ({
      auroc: round(auroc(on.filter((x) => x.tune === tune).map(e), off.filter((x) => x.tune === tune).map(e))),
      declined_answerable: rate(on.filter((x) => x.tune === tune).map(e)),
      declined_offtopic: rate(off.filter((x) => x.tune === tune).map(e)),
    });
    console.log(
      `coverage termShare weight ${weight}: line ${round(line, 3)} tuning ${JSON.stringify(held(true))} held out ${JSON.stringify(held(false))}`,
    );
  }
  // Without cosines (search model loading): word evidence alone.
  for (const line of [0.1, 0.2, 0.25, 0.34, 0.5]) {
    const rate = (xs: number[]) => round(xs.filter((v) => v < line).length / xs.length, 3);
    console.log(
      `keyword-only line ${line}: declined answerable ${rate(on.filter((x) => x.tune).map((x) => x.share))} off-topic ${rate(off.filter((x) => x.tune).map((x) => x.share))} (tuning halves)`,
    );
  }
}
library.close();
await embedder.dispose();
