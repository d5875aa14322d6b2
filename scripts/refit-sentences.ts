/**
 * Refits the quoted sentence's weights (LEXICAL, WITH_COSINE in src/core/answer/extract.ts) on the
 * tuning halves of several question sets at once, replaying the answer pipeline's choice exactly
 * (candidates with the library's defined terms, LEXICAL, the best three, WITH_COSINE), and chooses
 * between fits by leaving one tuning group out at a time (a paper, a SQuAD article). The report
 * halves are printed only for the variant named by --report. The replay embeds each question alone
 * and the sentences in bulk, where the app embeds the question with its three shortlisted sentences
 * in one batch; the 8-bit model's numbers move a little with the batch, so 3 of the papers' 154
 * tune quotes differ from the eval's: a fit is judged by `npm run eval -- <dir> --qa`, not here.
 *
 *   npx tsx scripts/refit-sentences.ts ../shared/data/squad2-a test/fixtures/papers-qa
 */
import { parseArgs } from 'node:util';
import { SEARCH_DEFAULTS, sentenceScoring } from '../src/core';
import { articleOf, containsAnswer, loadQa, qaLibrary, round, sourceOf } from './lib/qa';

const { best, candidates, FEATURES, score, withCosines, LEXICAL, WITH_COSINE } = sentenceScoring;
type Candidate = sentenceScoring.Candidate;
type Weights = sentenceScoring.Weights;
type Feature = (typeof FEATURES)[number];

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { report: { type: 'string' }, show: { type: 'string' }, only: { type: 'string' } },
});

interface Item {
  q: string;
  set: string;
  group: string;
  tune: boolean;
  answers: string[];
  cands: Candidate[];
  labels: boolean[];
}
const items: Item[] = [];
for (const dir of positionals) {
  const set = loadQa(dir);
  const { library, embedder, retriever } = await qaLibrary(set);
  const cache = new Map<string, Float32Array>();
  for (const q of set.questions.filter((x) => !x.is_impossible)) {
    const found = await retriever.context(q.question, {
      k: SEARCH_DEFAULTS.k.answer,
      mode: SEARCH_DEFAULTS.mode,
      budgetTokens: 700,
      expandTerms: true,
    });
    const terms = (await retriever.terms?.(q.question)) ?? [];
    const cands = candidates(q.question, found, terms);
    if (cands.length) {
      const texts = cands.map((c) => c.text);
      const missing = [...new Set(texts.filter((t) => !cache.has(t)))];
      if (missing.length) {
        const v = await embedder.embed(missing, 'passage');
        const d = v.length / missing.length;
        missing.forEach((t, i) => cache.set(t, v.slice(i * d, (i + 1) * d)));
      }
      const qv = await embedder.embed([q.question], 'passage');
      const d = qv.length;
      const all = new Float32Array(texts.length * d);
      texts.forEach((t, i) => all.set(cache.get(t)!, i * d));
      withCosines(cands, qv, all);
    }
    const article = articleOf(q.context_id ?? '');
    items.push({
      q: q.question,
      set: dir,
      group: q.split ? sourceOf(q) : `article ${article}`,
      tune: q.split ? q.split === 'tune' : article !== null && article < 4,
      answers: q.answers,
      cands,
      labels: cands.map((c) => containsAnswer(c.text, q.answers)),
    });
  }
  library.close();
  await embedder.dispose();
  process.stderr.write(`${dir}: ${items.filter((i) => i.set === dir).length} questions replayed\n`);
}

/** The pipeline's choice: LEXICAL over every sentence, the best `keep`, WITH_COSINE among them. */
function choose(d: Item, lexical: Weights, dense: Weights, keep = 3): Candidate | undefined {
  const cands = score(
    d.cands.map((c) => ({ ...c, features: [...c.features] })),
    lexical,
  );
  const shortlist = [...cands].sort((a, b) => b.score - a.score).slice(0, keep);
  return best(score(shortlist, dense));
}
const quoted = (data: Item[], lexical: Weights, dense: Weights) =>
  data.filter((d) => {
    const c = choose(d, lexical, dense);
    return !!c && containsAnswer(c.text, d.answers);
  }).length;

/**
 * Conditional logit (one choice among each question's sentences) on standardised features, with an
 * L2 pull towards `start` (in standardised units); weights returned in raw units. `only` limits
 * each question's choice to its best few on `shortlistBy` (the final stage's view).
 */
function fitLogit(
  data: Item[],
  use: Feature[],
  opts: { l2: number; start: Weights; shortlistBy?: Weights; setWeight?: Record<string, number> },
): Weights {
  const idx = use.map((f) => FEATURES.indexOf(f));
  const rows = data
    .map((d) => {
      let cands = d.cands;
      let labels = d.labels;
      if (opts.shortlistBy) {
        const scored = score(
          d.cands.map((c) => ({ ...c, features: [...c.features] })),
          opts.shortlistBy,
        );
        const order = [...scored.keys()].sort((a, b) => scored[b]!.score - scored[a]!.score).slice(0, 3);
        cands = order.map((i) => d.cands[i]!);
        labels = order.map((i) => d.labels[i]!);
      }
      return { cands, labels, weight: opts.setWeight?.[d.set] ?? 1 };
    })
    .filter((d) => d.labels.some(Boolean) && !d.labels.every(Boolean));
  const all = rows.flatMap((d) => d.cands.map((c) => idx.map((i) => c.features[i]!)));
  const mu = idx.map((_, j) => all.reduce((s, r) => s + r[j]!, 0) / all.length);
  const sd = idx.map((_, j) => Math.sqrt(all.reduce((s, r) => s + (r[j]! - mu[j]!) ** 2, 0) / all.length) || 1);
  const z = rows.map((d) => ({
    x: d.cands.map((c) => idx.map((i, j) => (c.features[i]! - mu[j]!) / sd[j]!)),
    y: d.labels,
    weight: d.weight,
  }));
  const prior = idx.map((i, j) => opts.start[FEATURES[i]!] * sd[j]!);
  const w = [...prior];
  const total = z.reduce((s, r) => s + r.weight, 0);
  for (let iter = 0; iter < 500; iter++) {
    const g = new Array(idx.length).fill(0);
    for (const { x, y, weight } of z) {
      const s = x.map((r) => r.reduce((a, v, j) => a + v * w[j]!, 0));
      const top = Math.max(...s);
      const e = s.map((v) => Math.exp(v - top));
      const sum = e.reduce((a, b) => a + b, 0);
      const pos = y.filter(Boolean).length;
      x.forEach((r, i) => r.forEach((v, j) => (g[j] += weight * v * (e[i]! / sum - (y[i] ? 1 / pos : 0)))));
    }
    for (let j = 0; j < w.length; j++) w[j] = w[j]! - (g[j]! / total + opts.l2 * (w[j]! - prior[j]!));
  }
  const out = { ...opts.start };
  idx.forEach((i, j) => (out[FEATURES[i]!] = round(w[j]! / sd[j]!, 2)));
  return out;
}

interface Variant {
  name: string;
  make: (data: Item[]) => { lexical: Weights; dense: Weights };
}
const free = [...FEATURES];
// The features the first fit learned (the rest were set by hand after it).
const learned: Feature[] = FEATURES.slice(0, FEATURES.indexOf('pointer'));
const variants: Variant[] = [{ name: 'current', make: () => ({ lexical: LEXICAL, dense: WITH_COSINE }) }];
for (const l2 of [0.3, 0.1, 0.03]) {
  variants.push({
    name: `dense on shortlist, learned features but heading, l2 ${l2}`,
    make: (data) => ({
      lexical: LEXICAL,
      dense: fitLogit(
        data,
        learned.filter((f) => f !== 'heading'),
        { l2, start: WITH_COSINE, shortlistBy: LEXICAL },
      ),
    }),
  });
}
for (const l2 of [0.3, 0.1, 0.03, 0.01]) {
  variants.push({
    name: `dense on shortlist, learned features, l2 ${l2}`,
    make: (data) => ({
      lexical: LEXICAL,
      dense: fitLogit(data, learned, { l2, start: WITH_COSINE, shortlistBy: LEXICAL }),
    }),
  });
  variants.push({
    name: `dense on shortlist, every feature, l2 ${l2}`,
    make: (data) => ({
      lexical: LEXICAL,
      dense: fitLogit(data, free, { l2, start: WITH_COSINE, shortlistBy: LEXICAL }),
    }),
  });
  variants.push({
    name: `dense on all, every feature, l2 ${l2}`,
    make: (data) => ({ lexical: LEXICAL, dense: fitLogit(data, free, { l2, start: WITH_COSINE }) }),
  });
  variants.push({
    name: `lexical (no cos) on all + dense on shortlist, l2 ${l2}`,
    make: (data) => {
      const lexical = fitLogit(
        data,
        free.filter((f) => f !== 'cos' && f !== 'rarest' && f !== 'name'),
        { l2, start: LEXICAL },
      );
      return { lexical, dense: fitLogit(data, free, { l2, start: WITH_COSINE, shortlistBy: lexical }) };
    },
  });
}

const tune = items.filter((d) => d.tune);
const groups = [...new Set(tune.map((d) => `${d.set}|${d.group}`))];
const sets = [...new Set(items.map((d) => d.set))];
const results: { name: string; cv: Record<string, number> }[] = [];
for (const v of variants.filter((x) => !values.only || x.name.startsWith(values.only) || x.name === 'current')) {
  const cv: Record<string, number> = Object.fromEntries(sets.map((s) => [s, 0]));
  for (const g of groups) {
    const train = tune.filter((d) => `${d.set}|${d.group}` !== g);
    const test = tune.filter((d) => `${d.set}|${d.group}` === g);
    const { lexical, dense } = v.make(train);
    cv[test[0]!.set] = cv[test[0]!.set]! + quoted(test, lexical, dense);
  }
  const { lexical, dense } = v.make(tune);
  const fitted = Object.fromEntries(
    sets.map((s) => [
      s,
      quoted(
        tune.filter((d) => d.set === s),
        lexical,
        dense,
      ),
    ]),
  );
  results.push({ name: v.name, cv });
  console.log(
    `${v.name}: left-out ${sets.map((s) => `${cv[s]}/${tune.filter((d) => d.set === s).length}`).join(' ')}; fitted on all tune ${sets.map((s) => fitted[s]).join(' ')}`,
  );
  if (values.show === v.name)
    console.log(`  LEXICAL ${JSON.stringify(lexical)}\n  WITH_COSINE ${JSON.stringify(dense)}`);
  if (values.report === v.name) {
    const held = items.filter((d) => !d.tune);
    console.log(
      `  report: ${sets
        .map(
          (s) =>
            `${quoted(
              held.filter((d) => d.set === s),
              lexical,
              dense,
            )}/${held.filter((d) => d.set === s).length}`,
        )
        .join(' ')}`,
    );
    console.log(`  LEXICAL ${JSON.stringify(lexical)}\n  WITH_COSINE ${JSON.stringify(dense)}`);
  }
}
{
  const inShort = (d: Item, k: number) => {
    const cands = score(
      d.cands.map((c) => ({ ...c, features: [...c.features] })),
      LEXICAL,
    );
    return [...cands]
      .sort((a, b) => b.score - a.score)
      .slice(0, k)
      .some((c) => containsAnswer(c.text, d.answers));
  };
  for (const s of sets)
    for (const k of [1, 2, 3, 5, 10])
      console.log(
        s,
        'tune answer among LEXICAL best',
        k,
        tune.filter((d) => d.set === s && inShort(d, k)).length,
        'of',
        tune.filter((d) => d.set === s).length,
      );
}
// The final stage's room, and (DUMP_LOST=n) its first n losses where the answer was shortlisted.
if (process.env.DUMP_LOST) {
  let shown = 0;
  for (const d of tune) {
    const cands = score(
      d.cands.map((c) => ({ ...c, features: [...c.features] })),
      LEXICAL,
    );
    const short = [...cands].sort((a, b) => b.score - a.score).slice(0, 3);
    const right = short.find((c) => containsAnswer(c.text, d.answers));
    const pick = best(
      score(
        short.map((c) => ({ ...c, features: [...c.features] })),
        WITH_COSINE,
      ),
    );
    if (!right || !pick || containsAnswer(pick.text, d.answers)) continue;
    if (shown++ > Number(process.env.DUMP_LOST)) break;
    const f = (c: Candidate) => c.features.map((x) => Math.round(x * 100) / 100).join(' ');
    console.log(
      `\n[${d.set.split('/').pop()}] Q: ${d.q}\n  PICK ${pick.score.toFixed(2)} ${pick.text.slice(0, 220)}\n   f ${f(pick)}\n  GOLD ${right.text.slice(0, 220)}\n   f ${f(right)}`,
    );
  }
}
