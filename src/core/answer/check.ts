/**
 * Checking a written answer against the passages it was written from: each sentence gets the
 * quote that best supports it, or none. Small models cite confidently and wrongly, so a citation
 * number is only a hint where to look first; the support is found in the text.
 *
 * A passage sentence supports an answer sentence when it carries most of the answer sentence's
 * words (stemmed, weighted by rarity among the passages' sentences) and, with embeddings, means
 * much the same; every number in the answer sentence must appear in it as written.
 */
import { analyze } from '../search/analyzer';
import type { ContextPassage } from '../search/context';
import { splitSentences, type Span } from './sentences';
import type { CheckedSentence, Support } from './types';

/** Embeds texts as passages (one flat row-major array of normalised vectors). */
export type EmbedTexts = (texts: string[]) => Promise<Float32Array>;

export interface CheckResult {
  sentences: CheckedSentence[];
  supported: number;
  total: number;
}

/** Support scores at or above this count as supported (0..1, see `supportScore`). */
export const SUPPORTED = 0.5;
/** Sources per claim whose embeddings are compared (the best on words). */
const SHORTLIST = 6;

const CITATION = /\s*\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\]/g;

/** Answer text → sentences with their citation numbers, markers removed from the text. */
export function answerSentences(
  answer: string,
  passageCount: number,
): { text: string; citations: number[]; cited: number[] }[] {
  // Markdown that is layout, not words: list bullets, headings, emphasis.
  const plain = answer
    .replace(/^\s*(?:[-*+•]|\d+[.)]|#{1,6})\s+/gm, '')
    .replace(/(\*\*|__|\*|_|`)(?=\S)([\s\S]*?\S)\1/g, '$2');
  const out: { text: string; citations: number[]; cited: number[] }[] = [];
  for (const span of splitSentences(plain)) {
    let text = span.text;
    // "…in 1868. [1] It was…": a citation that opens a sentence belongs to the one before.
    const lead = text.match(/^(?:\s*\[\d{1,3}(?:\s*[,;]\s*\d{1,3})*\])+/);
    if (lead && out.length) {
      const numbers = [...lead[0].matchAll(/\d{1,3}/g)].map((m) => Number(m[0]));
      const prev = out.at(-1)!;
      for (const n of numbers) if (!prev.cited.includes(n)) prev.cited.push(n);
      prev.citations = prev.cited.filter((n) => n >= 1 && n <= passageCount);
      text = text.slice(lead[0].length).trim();
    }
    const cited: number[] = [];
    for (const m of text.matchAll(CITATION))
      for (const n of m[1]!.split(/[,;]/)) if (!cited.includes(Number(n))) cited.push(Number(n));
    text = text
      .replace(CITATION, '')
      .replace(/\s+([.,;:!?])/g, '$1')
      .trim();
    if (!/[\p{L}\p{N}]/u.test(text)) continue;
    out.push({ text, cited, citations: cited.filter((n) => n >= 1 && n <= passageCount) });
  }
  return out;
}

/** Numbers as written, without thousands separators: "1,300" and "1300" are the same number. */
function numbers(text: string): string[] {
  return [...text.matchAll(/\d[\d,]*(?:\.\d+)?/g)].map((m) => m[0].replace(/,(?=\d{3}\b)/g, '').replace(/[.,]$/, ''));
}

interface Source extends Span {
  passage: number;
  terms: Set<string>;
  numbers: Set<string>;
}

/**
 * How well a source sentence supports a claim, 0..1: the rarity-weighted share of the claim's
 * words it contains, averaged with the embeddings' cosine when there is one. 0 when a number of
 * the claim is missing from it (a changed figure is the error that matters most).
 */
export function supportScore(
  claimTerms: string[],
  claimNumbers: string[],
  source: { terms: Set<string>; numbers: Set<string> },
  idf: (t: string) => number,
  cosine?: number,
): number {
  if (claimNumbers.some((n) => !source.numbers.has(n))) return 0;
  const weight = claimTerms.reduce((s, t) => s + idf(t), 0);
  const lexical = weight ? claimTerms.reduce((s, t) => s + (source.terms.has(t) ? idf(t) : 0), 0) / weight : 0;
  return cosine === undefined ? lexical : (lexical + Math.max(0, cosine)) / 2;
}

/**
 * Checks every sentence of `answer` against `passages` (numbered from 1 as the model saw them).
 * Support is looked for first among the passages the sentence cites, then among all; when it is
 * only found elsewhere, the sentence is marked `miscited`.
 */
export async function checkAnswer(
  answer: string,
  passages: ContextPassage[],
  embed?: EmbedTexts,
): Promise<CheckResult> {
  const claims = answerSentences(answer, passages.length);
  const sources: Source[] = [];
  passages.forEach((p, i) => {
    const spans = splitSentences(p.text);
    spans.forEach((s, j) => {
      sources.push({ ...s, passage: i + 1, terms: new Set(analyze(s.text)), numbers: new Set(numbers(s.text)) });
      // A claim often joins two neighbouring sentences ("…was patented in 1868 by Sholes").
      const next = spans[j + 1];
      if (next) {
        const text = p.text.slice(s.start, next.end);
        sources.push({
          text,
          start: s.start,
          end: next.end,
          passage: i + 1,
          terms: new Set(analyze(text)),
          numbers: new Set(numbers(text)),
        });
      }
    });
  });
  const df = new Map<string, number>();
  for (const s of sources) for (const t of s.terms) df.set(t, (df.get(t) ?? 0) + 1);
  const idf = (t: string) => Math.log(1 + (sources.length + 0.5) / ((df.get(t) ?? 0) + 0.5));

  const claimTerms = claims.map((c) => [...new Set(analyze(c.text))]);
  const claimNumbers = claims.map((c) => numbers(c.text));
  // Embedding every sentence of every passage would cost seconds on a phone: only the sources
  // that share the most words with some claim (and the best of the passages it cites) are
  // embedded; the others keep their word score, which is below theirs.
  let cosines: ((claim: number, source: number) => number | undefined) | undefined;
  if (embed && claims.length && sources.length) {
    const shortlist = new Set<number>();
    claims.forEach((claim, ci) => {
      const ranked = sources
        .map((src, si) => ({
          si,
          s: supportScore(claimTerms[ci]!, [], src, idf),
          cited: claim.citations.includes(src.passage),
        }))
        .sort((a, b) => b.s - a.s);
      ranked.slice(0, SHORTLIST).forEach((r) => shortlist.add(r.si));
      ranked
        .filter((r) => r.cited)
        .slice(0, 2)
        .forEach((r) => shortlist.add(r.si));
    });
    const picked = [...shortlist];
    const at = new Map(picked.map((si, i) => [si, i]));
    const v = await embed([...claims.map((c) => c.text), ...picked.map((si) => sources[si]!.text)]);
    const d = v.length / (claims.length + picked.length);
    cosines = (c, s) => {
      const i = at.get(s);
      if (i === undefined) return undefined;
      let dot = 0;
      for (let j = 0; j < d; j++) dot += v[c * d + j]! * v[(claims.length + i) * d + j]!;
      return dot;
    };
  }

  const sentences: CheckedSentence[] = claims.map((claim, ci) => {
    const terms = claimTerms[ci]!;
    const nums = claimNumbers[ci]!;
    let bestCited: { s: number; score: number } | undefined;
    let bestAny: { s: number; score: number } | undefined;
    sources.forEach((source, si) => {
      const cosine = cosines?.(ci, si);
      // Sources left out of the embedding count with half their word score (as a cosine of 0 would).
      const score =
        cosines && cosine === undefined
          ? supportScore(terms, nums, source, idf) / 2
          : supportScore(terms, nums, source, idf, cosine);
      if (!bestAny || score > bestAny.score) bestAny = { s: si, score };
      if (claim.citations.includes(source.passage) && (!bestCited || score > bestCited.score))
        bestCited = { s: si, score };
    });
    const chosen =
      bestCited && bestCited.score >= SUPPORTED
        ? bestCited
        : bestAny && bestAny.score >= SUPPORTED
          ? bestAny
          : undefined;
    const support: Support | null = chosen ? toSupport(sources[chosen.s]!, chosen.score) : null;
    const checked: CheckedSentence = { text: claim.text, citations: claim.citations, support };
    if (support && claim.citations.length && !claim.citations.includes(support.passage)) checked.miscited = true;
    if (claim.cited.length > claim.citations.length)
      checked.droppedCitations = claim.cited.filter((n) => !claim.citations.includes(n));
    return checked;
  });
  return { sentences, supported: sentences.filter((s) => s.support).length, total: sentences.length };
}

function toSupport(s: Source, score: number): Support {
  return { passage: s.passage, start: s.start, end: s.end, quote: s.text, score: Math.round(score * 1000) / 1000 };
}
