import type { SourceLocation } from '../types';

/** A passage handed to the answer model: one or more adjacent chunks of one document. */
export interface ContextPassage {
  docId: string;
  docName: string;
  /** The chunks it covers, in document order. */
  chunkIndexes: number[];
  text: string;
  location: SourceLocation;
  /** The best retrieval score among its chunks. */
  score: number;
  /** The best raw cosine / BM25 score among its chunks, where search reported them. */
  dense?: number;
  keyword?: number;
  /** Found by keywords alone: the search model was still loading (see Library.searchModelReady). */
  keywordOnly?: boolean;
}

export interface ContextHit {
  docId: string;
  docName: string;
  chunkIndex: number;
  score: number;
  location: SourceLocation;
  dense?: number;
  keyword?: number;
}

export interface ContextSource {
  /** The document's full text (chunk locations are offsets into it). */
  text(docId: string): Promise<string | undefined>;
  /** Location of a neighbouring chunk, if it exists. */
  chunk(docId: string, index: number): Promise<{ location: SourceLocation } | undefined>;
  countTokens(text: string): number;
}

export interface ContextOptions {
  /** Tokens the passages may take in all. */
  budgetTokens: number;
  /** Passages sharing at least this fraction of word trigrams with a better one are dropped. */
  duplicateThreshold?: number;
}

/**
 * Chooses what the model reads: best hits first; chunks of one document that touch or overlap
 * are merged into one passage; a passage that stops mid-sentence gets its following chunk (and
 * one that starts mid-sentence its preceding chunk) when the budget allows; near-duplicates
 * (the same text in two files, quoted passages) are dropped.
 */
export async function selectContext(
  hits: ContextHit[],
  source: ContextSource,
  opts: ContextOptions,
): Promise<ContextPassage[]> {
  const threshold = opts.duplicateThreshold ?? 0.8;
  const texts = new Map<string, string>();
  const docText = async (id: string) => {
    if (!texts.has(id)) texts.set(id, (await source.text(id)) ?? '');
    return texts.get(id)!;
  };
  const chosen: ContextPassage[] = [];
  const shingles: Set<string>[] = [];
  let used = 0;

  for (const hit of hits) {
    const text = await docText(hit.docId);
    let loc = { ...hit.location };
    let indexes = [hit.chunkIndex];
    // Extend a passage cut mid-thought by one chunk on that side.
    if (!endsSentence(text.slice(loc.start, loc.end))) {
      const next = await source.chunk(hit.docId, hit.chunkIndex + 1);
      if (next) ({ loc, indexes } = extend(loc, indexes, next.location, hit.chunkIndex + 1));
    }
    if (startsMidSentence(text, loc.start)) {
      const prev = await source.chunk(hit.docId, hit.chunkIndex - 1);
      if (prev) ({ loc, indexes } = extend(loc, indexes, prev.location, hit.chunkIndex - 1));
    }

    // Merge into a passage of the same document that it touches or overlaps.
    const mate = chosen.find(
      (p) => p.docId === hit.docId && loc.start <= p.location.end + 2 && loc.end >= p.location.start - 2,
    );
    if (mate) {
      const merged = extend(mate.location, mate.chunkIndexes, loc, ...indexes);
      const mergedText = text.slice(merged.loc.start, merged.loc.end);
      const extra = source.countTokens(mergedText) - source.countTokens(mate.text);
      if (used + extra > opts.budgetTokens) continue;
      used += extra;
      Object.assign(mate, { location: merged.loc, chunkIndexes: merged.indexes, text: mergedText }, best(mate, hit));
      shingles[chosen.indexOf(mate)] = trigrams(mergedText);
      continue;
    }

    let passageText = text.slice(loc.start, loc.end);
    let tokens = source.countTokens(passageText);
    if (used + tokens > opts.budgetTokens && indexes.length > 1) {
      // The neighbours do not fit: fall back to the hit alone.
      loc = { ...hit.location };
      indexes = [hit.chunkIndex];
      passageText = text.slice(loc.start, loc.end);
      tokens = source.countTokens(passageText);
    }
    if (used + tokens > opts.budgetTokens) continue;
    const grams = trigrams(passageText);
    if (shingles.some((s) => overlap(grams, s) >= threshold)) continue;
    used += tokens;
    chosen.push({
      docId: hit.docId,
      docName: hit.docName,
      chunkIndexes: indexes,
      text: passageText,
      location: loc,
      score: hit.score,
      ...best(hit),
    });
    shingles.push(grams);
  }
  return chosen;
}

/** The higher raw scores of the given hits or passages, leaving out those none has. */
function best(...xs: { dense?: number; keyword?: number }[]): { dense?: number; keyword?: number } {
  const out: { dense?: number; keyword?: number } = {};
  for (const key of ['dense', 'keyword'] as const) {
    const values = xs.map((x) => x[key]).filter((v): v is number => v !== undefined);
    if (values.length) out[key] = Math.max(...values);
  }
  return out;
}

function extend(loc: SourceLocation, indexes: number[], other: SourceLocation, ...more: number[]) {
  const start = Math.min(loc.start, other.start);
  const end = Math.max(loc.end, other.end);
  const first = start === loc.start ? loc : other;
  const last = end === loc.end ? loc : other;
  const merged: SourceLocation = { headings: first.headings, start, end };
  if (first.page) merged.page = first.page;
  const lastPage = last.pageEnd ?? last.page;
  if (lastPage && lastPage !== merged.page) merged.pageEnd = lastPage;
  // OCR'd lines of both, so a joined passage of a scan still boxes its lines on the page.
  const boxes = [...(first.boxes ?? []), ...(first === last ? [] : (last.boxes ?? []))];
  const seen = new Set<string>();
  const unique = boxes.filter((b) => {
    const key = `${b.page}:${b.x}:${b.y}`;
    return !seen.has(key) && !!seen.add(key);
  });
  if (unique.length) merged.boxes = unique;
  return { loc: merged, indexes: [...new Set([...indexes, ...more])].sort((a, b) => a - b) };
}

function endsSentence(text: string): boolean {
  return /[.!?:;"”’)\]]\s*$/.test(text) || /\n\s*$/.test(text);
}

function startsMidSentence(docText: string, start: number): boolean {
  if (start === 0) return false;
  const before = docText.slice(Math.max(0, start - 3), start);
  return !/[.!?:;"”’)\]]\s*$|\n\s*$/.test(before) && /^\p{Ll}/u.test(docText.slice(start, start + 1));
}

function trigrams(text: string): Set<string> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const out = new Set<string>();
  for (let i = 0; i + 2 < words.length; i++) out.add(`${words[i]} ${words[i + 1]} ${words[i + 2]}`);
  if (!out.size && words.length) out.add(words.join(' '));
  return out;
}

/** Share of the smaller set's trigrams found in the other (containment, so a quoted excerpt counts). */
function overlap(a: Set<string>, b: Set<string>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  if (!small.size) return 0;
  let n = 0;
  for (const g of small) if (large.has(g)) n++;
  return n / small.size;
}
