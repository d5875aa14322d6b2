/**
 * Lists and counts from every passage in scope, not the top k: "list every incident that involved
 * a forklift" is answered by reading all of them. Each passage's sentences are checked against
 * the condition: a sentence is a candidate when it holds one of the condition's words (stems, word
 * parts and compounds: "fork-lift", "forklifts"), and it is kept when it holds them all, or enough
 * of them and means the same (its embedding's cosine with the condition's), and no negation stands
 * on them ("no forklift was involved", "the brakes were tested and found sound"). One item per
 * paragraph (an entry that says it twice is one incident), de-duplicated on its text, grouped by
 * document and section; the count is the number of distinct items, or of distinct documents when
 * the question counts documents ("how many contracts mention…").
 */
import { analyze } from '../search/analyzer';
import type { SourceLocation } from '../types';
import { splitSentences } from '../answer/sentences';
import { withoutNumber } from './headings';
import { distinctItems } from './items';
import type { WholePassage } from './summarise';
import { escapeRegExp } from '../regexp';

/** A passage as the scan reads it: which document, which chunk, its text and place. */
export interface ScanPassage extends WholePassage {
  docId: string;
  docName: string;
  chunkIndex: number;
}

export interface ListItem {
  /** The sentence that matches, quoted exactly. */
  text: string;
  docId: string;
  docName: string;
  /** The passage it was read from. */
  chunkIndex: number;
  /** The sentence's place in its document (offsets, page, headings). */
  location: SourceLocation;
  /** How well it matches, 0..1 (the words' share, or with embeddings their mean with the cosine). */
  score: number;
}

/** What the question asks to list: the kind of item and the condition it must meet. */
export interface ListCondition {
  /** "incident" in "incident that involved a forklift": what an item is. */
  head: string;
  /** Stems every matching sentence needs (the condition's, or the head's when there is none). */
  required: string[];
  /** The condition as words, embedded to compare meaning ("involved a forklift"). */
  phrase: string;
  /** Count documents, not items ("how many contracts mention…"). */
  countsDocuments: boolean;
  /**
   * An item is a sentence ("every mention of…") rather than a paragraph: an entry of a log that
   * names the forklift twice is one incident, a paragraph that mentions a name twice is two mentions.
   */
  perSentence: boolean;
  /** Items may be entries of a reference list: the condition asks for works, citations or authors. */
  readsReferences: boolean;
}

export interface ScanOptions {
  /** Sentence embeddings (normalised rows); without them the words alone decide. */
  embed?: (texts: string[]) => Promise<Float32Array>;
  signal?: AbortSignal;
  /** Called after each batch: passages read so far and in all. */
  onProgress?: (read: number, of: number) => void;
  thresholds?: Partial<typeof SCAN_THRESHOLDS>;
}

/**
 * A sentence with every condition word is kept; one with at least `partial` of their weight needs a
 * cosine of `withWords`; candidates with fewer words are not embedded. Set on the generated tuning
 * log (`npm run eval -- --lists --split tune`), for the default search model (MiniLM).
 */
export const SCAN_THRESHOLDS = { partial: 0.5, withWords: 0.55 };

// Verbs and words that say how a condition is phrased, not what it is about.
const LIGHT = new Set(
  analyze(
    'were are been being there here involve involving involved mention mentioning mentioned include including contain containing concern concerning refer referring reference relate related regarding about have has had use used using cause caused causing where which that who whose when any some all every each one there talk discuss describe name named list listed record recorded report reported happen happened occur occurred instance instances case cases time times',
  ),
);
const DOCUMENT_NOUNS = new Set(
  analyze(
    'document documents file files contract contracts report reports paper papers proposal proposals agreement agreements letter letters source sources article articles',
  ),
);
const MENTION_NOUNS = new Set(
  analyze('mention mentions reference references time times instance occurrence sentence passage place places quote'),
);
const CLAUSE =
  /\s+(?:that|which|who|where|when|whose|with|involving|mentioning|about|regarding|concerning|caused by|in which|on|of)\s+|\s+(?=(?:mention(?:s|ed)?|involve[sd]?|include[sd]?|contain(?:s|ed)?|refer(?:s|red)?|use[sd]?|talk(?:s|ed)?|discuss(?:es|ed)?|describe[sd]?|list(?:s|ed)|name[sd]|happened|occurred|were|was|are|is)\b)/i;

/** "incident that involved a forklift" → head "incident", required ["forklift"]. */
export function listCondition(target: string): ListCondition {
  const t = target.trim().replace(/[?.!]+$/, '');
  const split = t.split(CLAUSE);
  const head = (split.length > 1 ? split[0]! : t).trim();
  const rest = split.length > 1 ? t.slice(head.length).trim() : '';
  const restTerms = analyze(rest).filter((x) => !LIGHT.has(x));
  const headTerms = analyze(head).filter((x) => !LIGHT.has(x));
  const required = restTerms.length ? restTerms : headTerms;
  const headStems = analyze(head);
  const countsDocuments = headStems.length > 0 && headStems.every((s) => DOCUMENT_NOUNS.has(s));
  return {
    head,
    required: [...new Set(required)],
    phrase: rest && restTerms.length ? `${head} ${rest}` : t,
    countsDocuments,
    perSentence: !headStems.length || headStems.some((s) => MENTION_NOUNS.has(s)),
    // "Which papers mention BERT?" asks which documents, not for works: the condition decides.
    readsReferences: WORKS.test(countsDocuments ? rest : t),
  };
}

/**
 * A reference list's entries are titles of other works ("Scholarly paper recommendation via user's
 * recent research interests."): items of a list only when the question asks for works, citations or
 * authors ("list every paper cited", "which studies by Lo…"), not for "every user study".
 */
const WORKS =
  /\b(?:references?|citations?|cit(?:ed|es?|ing)|papers?|works|publications?|articles?|authors?|bibliograph\w*|books?|studies|preprints?|proceedings)\b/i;
// The whole heading: "References and Resources for New Teachers" is a title, not a reference list.
const REFERENCE_LIST =
  /^(?:references|references and notes|reference list|bibliography|works cited|literature cited|cited works)$/i;
const inReferenceList = (headings: string[]) => headings.some((h) => REFERENCE_LIST.test(withoutNumber(h)));

/**
 * Same word: equal stems, a stem and its longer form ("fail"/"failur"), or a compound ending in it
 * ("handbrak" holds "brake": Porter drops the final e of the longer word).
 */
function sameStem(word: string, required: string): boolean {
  if (word === required) return true;
  const [s, l] = word.length < required.length ? [word, required] : [required, word];
  if (s.length >= 4 && l.startsWith(s) && l.length - s.length <= 3) return true;
  // Only the text's word may be the compound: "lifting" is no "forklift".
  const bare = required.replace(/e$/, '');
  return bare.length >= 4 && word.length - required.length >= 3 && word.replace(/e$/, '').endsWith(bare);
}

function termsOf(text: string): string[] {
  const ts = analyze(text);
  // "fork-lift" and "fork lift" are "forklift"; "auto-renewal" is also "renewal".
  const joined = ts.slice(1).map((t, i) => ts[i]! + t);
  const parts = text
    .toLowerCase()
    .match(/[\p{L}]+(?:-[\p{L}]+)+/gu)
    ?.flatMap((w) => analyze(w.replace(/-/g, '')));
  return [...ts, ...joined, ...(parts ?? [])];
}

// A negation within a few words before a condition word, or an all-clear after the head word.
const NEGATION =
  /\b(?:no|not|never|without|none|nor|neither|non|free of|absence of|ruled out|rather than|instead of|n't|cannot)\b/i;
const ALL_CLEAR =
  /\b(?:found (?:sound|fine|intact|in (?:good|working) order|normal|satisfactory)|passed|no (?:fault|defect|issue|problem)s? (?:was |were )?found|false alarm|worked (?:normally|correctly)|(?:was|were) (?:sound|fine|intact|normal|unaffected|not involved))\b/i;

/** Whether a negation governs one of the condition's words in this sentence. */
export function negated(sentence: string, required: string[]): boolean {
  if (ALL_CLEAR.test(sentence)) return true;
  const words = sentence.match(/[\p{L}\p{N}'’-]+/gu) ?? [];
  for (let i = 0; i < words.length; i++) {
    const stems = termsOf(words[i]!);
    if (!stems.some((s) => required.some((r) => sameStem(s, r)))) continue;
    const before = words.slice(Math.max(0, i - 4), i).join(' ');
    if (NEGATION.test(before)) return true;
  }
  return false;
}

export interface ScanBatch {
  items: ListItem[];
  read: number;
}

interface Candidate {
  passage: ScanPassage;
  text: string;
  start: number;
  end: number;
  lexical: number;
  paragraph: number;
}

/**
 * Reads `passages` in batches and yields the items each batch holds, so the first ones are on
 * screen before the scan ends; `read` counts the passages read so far. Stops at `signal`.
 */
export async function* scanPassages(
  passages: ScanPassage[] | AsyncIterable<ScanPassage[]>,
  condition: ListCondition,
  total: number,
  opts: ScanOptions = {},
): AsyncGenerator<ScanBatch, void, undefined> {
  const th = { ...SCAN_THRESHOLDS, ...opts.thresholds };
  const req = condition.required;
  if (!req.length) return;
  const cue = new RegExp(req.map((r) => escapeRegExp(r.slice(0, 4))).join('|'), 'i');
  let phraseVector: Float32Array | null = null;
  let read = 0;
  const stopPoint = stopPoints(opts.signal);
  for await (const batch of rebatched(Array.isArray(passages) ? [passages] : passages, SCAN_BATCH)) {
    await stopPoint();
    const cands: Candidate[] = [];
    for (const p of batch) {
      if (!condition.readsReferences && inReferenceList(p.location.headings)) continue;
      // Cheap first: every way `sameStem` can match holds a condition word's first four letters as
      // they are written, so a passage without any of them is done with before it is analysed.
      if (!cue.test(p.text)) continue;
      const pTerms = termsOf(p.text);
      if (!req.some((r) => pTerms.some((t) => sameStem(t, r)))) continue;
      const paragraphs = paragraphStarts(p.text);
      for (const s of splitSentences(p.text)) {
        // A heading names a subject; it is not an item of it.
        if (!/[.!?:;)"”’\]]$/.test(s.text) && s.text.split(/\s+/).length < 12) continue;
        const terms = termsOf(s.text);
        const have = req.filter((r) => terms.some((t) => sameStem(t, r))).length;
        if (!have) continue;
        cands.push({
          passage: p,
          text: s.text,
          start: s.start,
          end: s.end,
          lexical: have / req.length,
          paragraph: paragraphs.filter((x) => x <= s.start).length,
        });
      }
    }
    read += batch.length;
    const keep: { c: Candidate; score: number }[] = [];
    const partial = cands.filter((c) => c.lexical < 1 && c.lexical >= th.partial);
    const cosines = new Map<Candidate, number>();
    if (opts.embed && partial.length) {
      phraseVector ??= await opts.embed([condition.phrase]);
      const d = phraseVector.length;
      // In slices, each after a look at Stop: a log whose every entry names the brakes embeds
      // thousands of sentences, and Stop must not wait for all of them.
      for (let i = 0; i < partial.length; i += EMBED_SLICE) {
        await stopPoint();
        const slice = partial.slice(i, i + EMBED_SLICE);
        const v = await opts.embed(slice.map((c) => c.text));
        slice.forEach((c, j) => cosines.set(c, dot(phraseVector!, v, j * d, d)));
      }
    }
    for (const c of cands) {
      if (negated(c.text, req)) continue;
      if (c.lexical === 1) keep.push({ c, score: 1 });
      else {
        const cos = cosines.get(c);
        if (cos !== undefined && c.lexical >= th.partial && cos >= th.withWords)
          keep.push({ c, score: (c.lexical + cos) / 2 });
      }
    }
    opts.onProgress?.(read, total);
    const items = keep.map(({ c, score }) => ({
      item: {
        text: c.text,
        docId: c.passage.docId,
        docName: c.passage.docName,
        chunkIndex: c.passage.chunkIndex,
        location: {
          ...(c.passage.location.page ? { page: c.passage.location.page } : {}),
          headings: c.passage.location.headings,
          start: c.passage.location.start + c.start,
          end: c.passage.location.start + c.end,
        },
        score: Math.round(score * 1000) / 1000,
      },
      paragraph: `${c.passage.docId}\u0000${c.passage.location.start + (paragraphStarts(c.passage.text)[c.paragraph - 1] ?? 0)}`,
    }));
    yield { items: condition.perSentence ? items.map((i) => i.item) : onePerParagraph(items), read };
  }
}

/**
 * Passages read between two looks at Stop and two progress reports: a document arrives whole (one
 * `getChunks`), and a long one read as one batch showed no progress and could not be stopped.
 */
const SCAN_BATCH = 100;
/** Sentences embedded at once while the scan weighs candidates that hold only some condition words. */
const EMBED_SLICE = 32;

/**
 * A place where Stop is looked at. ONNX Runtime resolves through microtasks only, so in the library
 * worker a scan that embeds never let `stopAsk` in: every so often (not every batch: a 100k-passage
 * scan of words alone would lose seconds to timers) the worker's message queue gets a turn first.
 */
function stopPoints(signal: AbortSignal | undefined, everyMs = 40): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (signal && performance.now() - last >= everyMs) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      last = performance.now();
    }
    signal?.throwIfAborted();
  };
}

async function* rebatched<T>(batches: Iterable<T[]> | AsyncIterable<T[]>, size: number): AsyncGenerator<T[]> {
  for await (const xs of batches) for (let i = 0; i < xs.length; i += size) yield xs.slice(i, i + size);
}

function paragraphStarts(text: string): number[] {
  const out = [0];
  for (const m of text.matchAll(/\n\s*\n/g)) out.push(m.index + m[0].length);
  return out;
}

function onePerParagraph(items: { item: ListItem; paragraph: string }[]): ListItem[] {
  const best = new Map<string, ListItem>();
  for (const { item, paragraph } of items) {
    const had = best.get(paragraph);
    if (!had || item.score > had.score) best.set(paragraph, item);
  }
  return [...best.values()];
}

function dot(q: Float32Array, v: Float32Array, offset: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += q[j]! * v[offset + j]!;
  return s;
}

/** The count: distinct items, or distinct documents when documents are what is counted. */
export function countItems(items: ListItem[], condition: ListCondition): number {
  const distinct = distinctItems(items);
  return condition.countsDocuments ? new Set(distinct.map((i) => i.docId ?? i.docName)).size : distinct.length;
}
