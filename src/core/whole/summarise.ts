/**
 * Summaries without a model: sentences of the document itself, each a quote with its place. Top-k
 * retrieval cannot summarise (it returns the passages nearest the words "summarise this"); this
 * reads every passage of the document.
 *
 * Each sentence is scored on what a summary sentence tends to be: central (near the document's
 * TF-IDF centroid, and near the centre of its sentence embeddings when they are given), rich in
 * the document's key words and its headings' words, early in the document and in its section,
 * from an introductory or concluding section, and saying what the document does ("we propose",
 * "this report"); table rows, references and fragments are left out. Sentences are then taken
 * best first, each one's score lowered by its likeness to those already taken (redundancy) and
 * raised while its section has none yet (coverage), up to the length asked for; they are shown in
 * document order under the headings they come from. Weights were set on the tuning half of the
 * summary sets only (`npm run eval -- DIR --summaries --split tune`; docs/whole-questions.md).
 */
import { analyze } from '../search/analyzer';
import type { SourceLocation } from '../types';
import { splitSentences } from '../answer/sentences';
import { AUTHOR_CITATION, CLAUSE_CUTS, compressQuote, NUMERIC_CITATION, type QuoteCut, quoteWords } from './compress';

/** A passage of a document as the library stores it (ChunkRecord's text and location). */
export interface WholePassage {
  text: string;
  location: SourceLocation;
}

export type SummaryLength = 'short' | 'medium' | 'long';
/** Words a summary aims at, by length. */
export const SUMMARY_WORDS: Record<SummaryLength, number> = { short: 80, medium: 150, long: 300 };

/** A sentence of the document: its text, where it is, and which passage holds it. */
export interface DocSentence {
  text: string;
  /** Document offsets, page and headings, as a citation needs them. */
  location: SourceLocation;
  /** Index of the passage it was read from. */
  passage: number;
  /** Its place among the document's sentences, 0-based. */
  index: number;
  /** It opens a paragraph (a paragraph's first sentence tends to say what it is about). */
  opensParagraph: boolean;
}

export interface SummarySection {
  /** The heading path the sentences come from ([] before the first heading). */
  headings: string[];
  sentences: DocSentence[];
}

export interface ExtractiveSummary {
  sections: SummarySection[];
  /** Words in the chosen sentences. */
  words: number;
  /** What was read: every passage and sentence of the document. */
  read: { passages: number; sentences: number };
  /** The sentence chosen first, before any was: the best one alone (a comparison's cell). */
  lead?: DocSentence;
}

export interface SummaryOptions {
  /** Words to aim at (overrides `length`). */
  words?: number;
  length?: SummaryLength;
  /** The document's title: its words count as key words. */
  title?: string;
  /** A topic the summary is about ("summarise the findings about forklifts"). */
  topic?: string;
  /** Sentence embeddings (rows, normalised); with them, centrality counts in meaning too. */
  embed?: (texts: string[]) => Promise<Float32Array>;
  /** Sentences embedded at most (the best on words), to keep a long document's summary fast. */
  embedLimit?: number;
  weights?: Partial<SummaryWeights>;
  /** What is cut from the quotes, each cut shown as "…" (compressQuote); QUOTE_CUTS unless given. */
  cuts?: readonly QuoteCut[];
}

/** What is known of a sentence that may make it a summary's: each weighed by its SummaryWeights entry. */
export interface SentenceFeatures {
  /** TF-IDF cosine with the document's centroid. */
  centrality: number;
  /** The document's key words it holds (length-damped). */
  keywords: number;
  /** Share of its words found in headings or the title. */
  headingWords: number;
  /** (1 − its place in the document)². */
  position: number;
  /** First (1) or among the first three (0.5) of its section. */
  sectionStart: number;
  /** Under an introductory or concluding heading (1), a peripheral one (−1). */
  sectionPrior: number;
  /** It says what the document does ("we propose", "this report"). */
  cue: number;
  /** Share of the asked topic's words it holds. */
  topic: number;
  /** It holds a title word. */
  title: number;
  paragraphStart: number;
  /** −log(words / 25): positive for short sentences. */
  length: number;
  /** Mean of its words' log frequency in the document, over the most frequent word's (SumBasic-like). */
  density: number;
  /** It opens leaning on the sentence before ("This", "However", "They"). */
  anaphora: number;
  /** Share of its tokens that are numbers. */
  numbers: number;
  /** Citations it holds ("[12]", "(Smith et al., 2019)"), up to three, over three. */
  citations: number;
  /** Share of its characters inside brackets. */
  brackets: number;
}

export interface SummaryWeights extends SentenceFeatures {
  embedCentrality: number;
  redundancy: number;
  coverage: number;
  /**
   * The greedy pick ranks a sentence by its score over (words shown / 25) to this power (budgeted
   * greedy: a shorter sentence costs less of the budget); 0 ranks by the score alone.
   */
  perWord: number;
  /** Gain in the document's recurring words and word pairs not yet said (scaled to the best first gain). */
  concepts: number;
}

export const SUMMARY_WEIGHTS: SummaryWeights = {
  centrality: 2.0,
  embedCentrality: 1.0,
  keywords: 1.5,
  headingWords: 0.5,
  position: 2,
  sectionStart: 0.3,
  sectionPrior: 0.8,
  cue: 1.0,
  redundancy: 2.5,
  coverage: 0.3,
  perWord: 0,
  topic: 2.0,
  title: 0.625,
  paragraphStart: 0.5,
  length: 0,
  density: 0,
  anaphora: 0,
  numbers: 0,
  citations: 0,
  brackets: 0,
  concepts: 0,
};

const INTRODUCTORY =
  /^(?:\d+(?:\.\d+)*\.?\s+)?(?:abstract|summary|executive summary|introduction|overview|background|conclusions?|concluding remarks|discussion|key findings|findings|results|outlook|future work|contributions?)\b/i;
const PERIPHERAL =
  /^(?:\d+(?:\.\d+)*\.?\s+)?(?:references|bibliography|acknowledge?ments?|appendix|appendices|see also|external links|notes|further reading|funding|author contributions|ethics|limitations|supplementary)/i;
const CUE =
  /\b(?:we (?:propose|present|introduce|describe|show|find|found|demonstrate|release|develop|study|argue|report|conclude|evaluate|design|discuss|provide|identify|explore|investigate|offer|outline)|this (?:paper|article|report|study|work|document|chapter|book|review|survey)|our (?:results|findings|work|approach|method|analysis|contributions?|system|toolkit)|in (?:summary|conclusion|short|this (?:paper|work|report|article))|overall|the results (?:show|suggest|indicate)|is an?\b[^.]{0,60}\b(?:that|which|used|known|of))\b/i;
const ANAPHORA =
  /^(?:this|these|those|that|it|its|they|their|them|he|she|his|her|such|however|thus|therefore|moreover|furthermore|in addition|additionally|also|hence|consequently|here|there)\b/i;
const REFERENCE_LIKE = /(?:\bet al\.|\(\d{4}[a-z]?\)|\b(?:doi|arxiv|https?:\/\/|www\.)|\[\d+(?:[,–-]\d+)*\])/gi;

/**
 * The document's sentences, once each (passages overlap), in document order, each under the
 * headings it stands under. A passage carries the headings of its last heading, so the sentences
 * before a heading inside it belong to the section before (the previous passage's).
 */
export function documentSentences(passages: WholePassage[]): DocSentence[] {
  const seen = new Set<number>();
  const out: DocSentence[] = [];
  const ordered = passages.map((p, pi) => ({ p, pi })).sort((a, b) => a.p.location.start - b.p.location.start);
  let lastPath: string[] | undefined;
  const structured = passages.some((p) => p.location.headings.length >= 2);
  const known = new Set(passages.flatMap((p) => p.location.headings));
  for (const { p, pi } of ordered) {
    const path = p.location.headings;
    const spans = splitSentences(p.text);
    const headingLine = spans.map((s) => isHeadingLine(p.text, s, structured, known));
    const firstHeading = spans.findIndex((s, i) => path.includes(s.text) || headingLine[i]);
    let current =
      firstHeading < 0 ? path : (lastPath ?? path.slice(0, Math.max(0, path.indexOf(spans[firstHeading]!.text))));
    for (const [i, s] of spans.entries()) {
      const at = path.indexOf(s.text);
      if (at >= 0) current = path.slice(0, at + 1);
      else if (headingLine[i]) current = [...path.slice(0, Math.max(0, path.length - 1)), s.text];
      const start = p.location.start + s.start;
      if (seen.has(start)) continue;
      seen.add(start);
      out.push({
        text: s.text,
        location: {
          ...(p.location.page ? { page: pageAt(p, s.start) } : {}),
          headings: current,
          start,
          end: p.location.start + s.end,
        },
        passage: pi,
        index: 0,
        opensParagraph: s.start === 0 || /\n\s*\n\s*$/.test(p.text.slice(Math.max(0, s.start - 4), s.start)),
      });
    }
    lastPath = current;
  }
  out.sort((a, b) => a.location.start - b.location.start);
  out.forEach((s, i) => (s.index = i));
  return out;
}

/**
 * A line of its own, short and without a full stop: a heading the passage's path does not name.
 * Where the reader found the document's sections (paths below its title), such a line that is none
 * of them must also be written as a heading, and be numbered or not followed by another short line:
 * the rest are captions and table cells the sections hold.
 */
function isHeadingLine(
  text: string,
  s: { text: string; start: number; end: number },
  structured: boolean,
  known: Set<string>,
): boolean {
  const alone = (s.start === 0 || text[s.start - 1] === '\n') && (s.end === text.length || text[s.end] === '\n');
  const line =
    alone &&
    s.text.length < 80 &&
    !/[.!?:;,]$/.test(s.text) &&
    /^[\p{Lu}\d]/u.test(s.text) &&
    // A line of code set alone ("2 >>> doc . symbols", "x = f(y)") is no heading, nor a table's row
    // ("Grain | Corn, Buckwheat, Barley | 200", a sheet's "Row 3: …").
    !/>>>|[={};]|\w\(|\s\.\s/.test(s.text) &&
    !s.text.includes(' | ') &&
    !/^Row \d+: /.test(s.text) &&
    text.slice(s.end, s.end + 2) === '\n\n';
  // A heading the reader found elsewhere in the document ("Relationship with humans" inside a
  // passage that ends under the next one) is one; so is any such line of a document without them.
  if (!line || !structured || known.has(s.text)) return line;
  return headingCase(s.text) && (NUMBERED.test(s.text) || !caption(nextParagraph(text, s.end + 2)));
}

const NUMBERED = /^(?:\d+(?:\.\d+)*|[A-Z](?:\.\d+)+)\.?\s+\p{L}/u;

function nextParagraph(text: string, from: number): string {
  const end = text.indexOf('\n\n', from);
  return text.slice(from, end < 0 ? text.length : end).trim();
}

/**
 * A short line that is neither a sentence nor a heading: what follows a table's header cell
 * ("Subfamilies", then "See text", in wiki_duck.html's infobox), not a section's first line.
 */
function caption(next: string): boolean {
  return next.length > 0 && next.length < 80 && !/[.!?:;)"”’\]]$/.test(next) && !headingCase(next);
}

/**
 * Written as a heading is: numbered ("3.1 Results", "A.2 Prompts"), or each word of four letters or
 * more capitalised ("The Birth of Word Processing"). A picture's caption or a table's cell set alone
 * ("Mallard landing in approach", "See text" in wiki_duck.html) is written as a sentence.
 */
function headingCase(line: string): boolean {
  if (NUMBERED.test(line)) return true;
  const words = line.match(/\p{L}[\p{L}'’-]*/gu) ?? [];
  return words.every((w, i) => (i > 0 && w.length < 4) || /^\p{Lu}/u.test(w));
}

/** The page of an offset inside a passage that crosses a page break (by the share of its text: the passage keeps no page map). */
function pageAt(p: WholePassage, offset: number): number {
  const { page, pageEnd } = p.location;
  if (!page || !pageEnd || pageEnd === page) return page!;
  return page + Math.floor(((pageEnd - page + 1) * offset) / Math.max(1, p.text.length));
}

// What the PDF reader keeps of a page's margins: a footnote opens with its raised mark ("¹ We use…",
// "† Work done at…"; "§ 2.1 The Tenant shall…" and "* item" are body text), a caption with its figure
// or table number ("Figure 1:", "Table 2.3."; "Figure 1.2 shows…" is body text).
const FOOTNOTE = /^\s*[⁰¹²³⁴⁵⁶⁷⁸⁹†‡]/u;
const CAPTION = /^\s*(?:Figure|Fig\.|Table)\s*\d+(?:\.\d+)*[.:](?!\d)/i;

/**
 * Whether a sentence can stand in a summary: body prose — neither a heading, a table row, a
 * reference, nor a footnote or caption, which say where to look or what is aside, not what the
 * document says.
 */
export function prose(text: string): boolean {
  if (FOOTNOTE.test(text) || CAPTION.test(text)) return false;
  const words = text.split(/\s+/).filter((w) => /\p{L}/u.test(w));
  if (words.length < 6 || words.length > 70) return false;
  // A closing quote ends a sentence only after its full stop ('… called "true ducks."'): a caption
  // ends on a quoted word ('… the characteristic upending "duck"').
  if (!/(?:[.!?:;)]|[.!?]["”’])$/.test(text)) return false;
  if (/^\p{Ll}/u.test(text) && !/^(?:e\.g|i\.e)/.test(text)) return false;
  const letters = (text.match(/\p{L}/gu) ?? []).length;
  if (letters / text.length < 0.6) return false;
  if ((text.match(REFERENCE_LIKE) ?? []).length > 2) return false;
  if (/\?\s*$/.test(text)) return false;
  return true;
}

/** What a summary's quotes lose by default (compressQuote): set on test/fixtures/summaries-tune only. */
export const QUOTE_CUTS: readonly QuoteCut[] = ['citations', 'pointers', 'openers'];

/** Parts a document without headings is cut into for coverage. */
const PARTS = 4;

interface Scored {
  s: DocSentence;
  terms: Map<string, number>;
  norm: number;
  base: number;
  features: SentenceFeatures;
  section: string;
  words: number;
  /** Its text as quoted (cuts shown as "…"). */
  shown: string;
  /** Its concepts: the document's recurring words and word pairs it holds. */
  concepts: string[];
}

/**
 * Every sentence that may stand in a summary (prose) with what is known of it and its weighed sum:
 * the first half of summarisePassages, and what a sentence scorer is fit on.
 */
function scoreSentences(passages: WholePassage[], opts: SummaryOptions, w: SummaryWeights) {
  const cuts = opts.cuts ?? QUOTE_CUTS;
  const all = documentSentences(passages);
  const pool = all.filter((s) => prose(s.text));
  if (!pool.length) return { all, scored: [] as Scored[], conceptWeight: (_: string) => 0 };

  // TF-IDF over the document's sentences: a word in every sentence says nothing of any one.
  // Scored on the words it will show: a citation's author names are no part of what it says. A clause
  // cut takes words that do say something of the document: it makes the sentence cheaper, not more or
  // less central, so the sentence is scored with its clauses.
  const shownTexts = pool.map((s) => compressQuote(s.text, cuts));
  const scoreCuts = cuts.filter((c) => !CLAUSE_CUTS.includes(c));
  const termLists = pool.map((s, i) =>
    analyze(scoreCuts.length === cuts.length ? shownTexts[i]! : compressQuote(s.text, scoreCuts)),
  );
  const df = new Map<string, number>();
  for (const ts of termLists) for (const t of new Set(ts)) df.set(t, (df.get(t) ?? 0) + 1);
  const n = pool.length;
  const idf = (t: string) => Math.log((n + 1) / ((df.get(t) ?? 0) + 0.5));
  const vectors = termLists.map((ts) => {
    const m = new Map<string, number>();
    for (const t of ts) m.set(t, (m.get(t) ?? 0) + 1);
    for (const [t, c] of m) m.set(t, (1 + Math.log(c)) * idf(t));
    return m;
  });
  const norms = vectors.map((v) => Math.sqrt([...v.values()].reduce((s, x) => s + x * x, 0)) || 1);
  const centroid = new Map<string, number>();
  vectors.forEach((v, i) => {
    for (const [t, x] of v) centroid.set(t, (centroid.get(t) ?? 0) + x / norms[i]!);
  });
  const cNorm = Math.sqrt([...centroid.values()].reduce((s, x) => s + x * x, 0)) || 1;

  // Key words: frequent in the document yet not everywhere (tf × idf over the whole document).
  const tf = new Map<string, number>();
  for (const ts of termLists) for (const t of ts) tf.set(t, (tf.get(t) ?? 0) + 1);
  const keyList = [...tf]
    .filter(([t, c]) => c >= 2 && t.length > 2 && !/^\d+$/.test(t))
    .map(([t, c]) => [t, c * idf(t)] as const)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 25);
  const keyTop = keyList[0]?.[1] ?? 1;
  const keys = new Map(keyList.map(([t, x]) => [t, x / keyTop]));
  const headingTerms = new Set(
    analyze([opts.title ?? '', ...new Set(all.flatMap((s) => s.location.headings))].join(' ')),
  );
  // A loop, not Math.max(...): a document's distinct words can pass the engine's argument limit.
  let most = 1;
  for (const n of tf.values()) if (n > most) most = n;
  const topTf = Math.log(1 + most);
  const topicTerms = new Set(opts.topic ? analyze(opts.topic) : []);
  const titleTerms = new Set(opts.title ? analyze(opts.title) : []);

  // Concepts: words and adjacent word pairs found in several sentences, weighted by how many (only
  // counted when their weight is on: it is off by default).
  const pairLists = w.concepts ? termLists.map((ts) => ts.slice(1).map((t, i) => `${ts[i]} ${t}`)) : [];
  const conceptDf = new Map<string, number>();
  if (w.concepts)
    for (let i = 0; i < pool.length; i++)
      for (const c of new Set([...termLists[i]!, ...pairLists[i]!])) conceptDf.set(c, (conceptDf.get(c) ?? 0) + 1);
  const conceptWeight = (c: string) => {
    const d = conceptDf.get(c) ?? 0;
    return d >= 3 ? d : 0;
  };

  // Coverage is over sections; a document with hardly any headings is cut into equal parts instead.
  const headed = new Set(pool.map((s) => s.location.headings.join(' › '))).size >= 3;
  const sectionOf = (s: DocSentence) =>
    headed ? s.location.headings.join(' › ') : `part ${Math.floor((PARTS * s.index) / all.length)}`;
  const firstInSection = new Map<string, number>();
  const rankInSection = pool.map((s) => {
    const key = sectionOf(s);
    const first = firstInSection.get(key);
    if (first === undefined) firstInSection.set(key, s.index);
    return s.index - (first ?? s.index);
  });

  const scored: Scored[] = pool.map((s, i) => {
    const v = vectors[i]!;
    let dot = 0;
    for (const [t, x] of v) dot += x * (centroid.get(t) ?? 0);
    const distinct = [...v.keys()];
    const heads = s.location.headings;
    const shown = shownTexts[i]!;
    const words = quoteWords(shown);
    const f: SentenceFeatures = {
      title: distinct.some((t) => titleTerms.has(t)) ? 1 : 0,
      paragraphStart: s.opensParagraph ? 1 : 0,
      centrality: dot / (norms[i]! * cNorm),
      keywords: distinct.reduce((sum, t) => sum + (keys.get(t) ?? 0), 0) / Math.sqrt(distinct.length || 1),
      headingWords: distinct.length ? distinct.filter((t) => headingTerms.has(t)).length / distinct.length : 0,
      position: (1 - s.index / all.length) ** 2,
      sectionStart: rankInSection[i]! === 0 ? 1 : rankInSection[i]! < 3 ? 0.5 : 0,
      sectionPrior: heads.some((h) => PERIPHERAL.test(h)) ? -1 : heads.some((h) => INTRODUCTORY.test(h)) ? 1 : 0,
      cue: CUE.test(s.text) ? 1 : 0,
      topic: topicTerms.size ? distinct.filter((t) => topicTerms.has(t)).length / topicTerms.size : 0,
      length: -Math.log(words / 25),
      density: distinct.length
        ? distinct.reduce((sum, t) => sum + Math.log(1 + (tf.get(t) ?? 0)), 0) / distinct.length / topTf
        : 0,
      anaphora: ANAPHORA.test(s.text) ? 1 : 0,
      numbers: termLists[i]!.length ? termLists[i]!.filter((t) => /^\d/.test(t)).length / termLists[i]!.length : 0,
      citations:
        Math.min(3, (s.text.match(NUMERIC_CITATION) ?? []).length + (s.text.match(AUTHOR_CITATION) ?? []).length) / 3,
      brackets: (s.text.match(/\([^()]*\)|\[[^[\]]*\]/g) ?? []).reduce((n, m) => n + m.length, 0) / s.text.length,
    };
    const base = (Object.keys(f) as (keyof SentenceFeatures)[]).reduce((sum, k) => sum + w[k] * f[k], 0);
    const concepts = w.concepts
      ? [...new Set([...termLists[i]!, ...pairLists[i]!])].filter((c) => conceptWeight(c) > 0)
      : [];
    return { s, terms: v, norm: norms[i]!, base, features: f, section: sectionOf(s), words, shown, concepts };
  });
  return { all, scored, conceptWeight };
}

/** Each prose sentence of a document with its features (what `npm run eval -- … --summaries --fit` learns from). */
export function sentenceFeatures(
  passages: WholePassage[],
  opts: SummaryOptions = {},
): { sentence: DocSentence; features: SentenceFeatures }[] {
  return scoreSentences(passages, opts, { ...SUMMARY_WEIGHTS, ...opts.weights }).scored.map((c) => ({
    sentence: c.s,
    features: c.features,
  }));
}

/** The extractive summary of one document's passages (its chunks, in any order). */
export async function summarisePassages(
  passages: WholePassage[],
  opts: SummaryOptions = {},
): Promise<ExtractiveSummary> {
  const w = { ...SUMMARY_WEIGHTS, ...opts.weights };
  const budget = opts.words ?? SUMMARY_WORDS[opts.length ?? 'medium'];
  const { all, scored, conceptWeight } = scoreSentences(passages, opts, w);
  const read = { passages: passages.length, sentences: all.length };
  if (!scored.length) return { sections: [], words: 0, read };

  if (opts.embed && w.embedCentrality) await addEmbeddingCentrality(scored, opts.embed, opts.embedLimit ?? 80, w);

  // Greedy choice: best first, each step lowered by likeness to what is chosen (redundancy) and
  // raised for a section not yet represented (coverage), until the words run out.
  const chosen: Scored[] = [];
  const covered = new Set<string>();
  const said = new Set<string>();
  const gain = (c: Scored) => c.concepts.reduce((g, x) => g + (said.has(x) ? 0 : conceptWeight(x)), 0);
  const gainTop = w.concepts ? scored.reduce((m, c) => Math.max(m, gain(c)), 1e-9) : 1;
  let words = 0;
  const left = new Set(scored);
  while (left.size && words < budget) {
    let best: Scored | undefined;
    let bestScore = -Infinity;
    for (const c of left) {
      if (words && words + c.words > budget * 1.15) continue;
      const similar = chosen.reduce((m, x) => Math.max(m, cosine(c, x)), 0);
      const score =
        c.base -
        w.redundancy * similar +
        (covered.has(c.section) ? 0 : w.coverage) +
        (w.concepts ? (w.concepts * gain(c)) / gainTop : 0);
      const ranked = w.perWord && score > 0 ? score / (c.words / 25) ** w.perWord : score;
      if (ranked > bestScore) [best, bestScore] = [c, ranked];
    }
    if (!best) break;
    left.delete(best);
    chosen.push(best);
    covered.add(best.section);
    for (const x of best.concepts) said.add(x);
    words += best.words;
  }

  const first = chosen[0];
  chosen.sort((a, b) => a.s.index - b.s.index);
  const sections: SummarySection[] = [];
  for (const c of chosen) {
    const last = sections.at(-1);
    const quoted = { ...c.s, text: c.shown };
    // Grouped by their headings as shown (not by `section`, which for a document with hardly any
    // headings is a quarter of it: one heading repeated over every sentence).
    if (last && last.headings.join(' › ') === c.s.location.headings.join(' › ')) last.sentences.push(quoted);
    else sections.push({ headings: c.s.location.headings, sentences: [quoted] });
  }
  return { sections, words, read, ...(first ? { lead: { ...first.s, text: first.shown } } : {}) };
}

async function addEmbeddingCentrality(
  scored: Scored[],
  embed: (texts: string[]) => Promise<Float32Array>,
  limit: number,
  w: SummaryWeights,
): Promise<void> {
  const short = [...scored].sort((a, b) => b.base - a.base).slice(0, limit);
  if (short.length < 3) return;
  const v = await embed(short.map((c) => c.s.text));
  const d = v.length / short.length;
  const mean = new Float32Array(d);
  for (let i = 0; i < short.length; i++) for (let j = 0; j < d; j++) mean[j]! += v[i * d + j]!;
  let mn = 0;
  for (let j = 0; j < d; j++) mn += mean[j]! * mean[j]!;
  mn = Math.sqrt(mn) || 1;
  short.forEach((c, i) => {
    let dot = 0;
    for (let j = 0; j < d; j++) dot += v[i * d + j]! * mean[j]!;
    c.base += w.embedCentrality * (dot / mn);
  });
}

function cosine(a: Scored, b: Scored): number {
  let dot = 0;
  const [small, large] = a.terms.size < b.terms.size ? [a.terms, b.terms] : [b.terms, a.terms];
  for (const [t, x] of small) dot += x * (large.get(t) ?? 0);
  return dot / (a.norm * b.norm);
}

/** The summary's sentences as plain text, in order (what ROUGE reads). */
export function summaryText(summary: ExtractiveSummary): string {
  return summary.sections.flatMap((s) => s.sentences.map((x) => x.text)).join(' ');
}
