import type { Block, PageBox, ParsedDocument, SourceLocation } from '../types';

export interface ChunkOptions {
  /** Largest chunk, in the embedding model's tokens. */
  maxTokens: number;
  /** Tokens of trailing sentences repeated at the start of the next chunk of the same section. */
  overlapTokens: number;
  /** A section smaller than this is merged with the next one instead of standing alone. */
  minTokens: number;
}

// Measured on SciFact with hybrid search (README, "Retrieval quality"): 240 tokens with 32 of
// overlap scored best (nDCG@10 0.737, against 0.733 for 200/32 and 240/0 and 0.732 for 128/24).
export const DEFAULT_CHUNK_OPTIONS: ChunkOptions = { maxTokens: 240, overlapTokens: 32, minTokens: 48 };

export interface Chunk {
  index: number;
  text: string;
  tokens: number;
  location: SourceLocation;
}

/** Counts tokens the way the embedding model will see them (no special tokens). */
export type TokenCounter = (text: string) => number;

interface Unit {
  start: number;
  end: number;
  tokens: number;
  block: Block;
  heading: boolean;
}

/**
 * Splits a document into passages: never across a heading unless a section is tiny, preferably
 * at paragraph ends, then at sentence ends, and only inside a sentence (between words) when one
 * sentence alone is larger than a chunk. Every chunk is an exact slice of the document's text, so
 * a citation can highlight it in place.
 */
export function chunkDocument(doc: ParsedDocument, count: TokenCounter, options: Partial<ChunkOptions> = {}): Chunk[] {
  const steps = chunkSteps(doc, count, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * chunkDocument for a thread that must keep answering: the work pauses for one turn of the event
 * loop every `sliceMs`, so other calls and a Cancel (`signal`) get through. A 10 MB file takes
 * seconds to split; done in one go it held up every other call to the library's worker.
 */
export async function chunkDocumentAsync(
  doc: ParsedDocument,
  count: TokenCounter,
  options: Partial<ChunkOptions> = {},
  signal?: AbortSignal,
  sliceMs = 20,
): Promise<Chunk[]> {
  const steps = chunkSteps(doc, count, options);
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart < sliceMs) continue;
    await new Promise((resolve) => setTimeout(resolve, 0));
    signal?.throwIfAborted();
    sliceStart = performance.now();
  }
}

/** The chunker's work, pausing (a bare `yield`) after every tokenizer call, so a driver can slice it. */
function* chunkSteps(
  doc: ParsedDocument,
  count: TokenCounter,
  options: Partial<ChunkOptions>,
): Generator<void, Chunk[]> {
  const opts = { ...DEFAULT_CHUNK_OPTIONS, ...options };
  if (opts.maxTokens < 8) throw new RangeError('maxTokens must be at least 8');
  opts.overlapTokens = Math.min(opts.overlapTokens, Math.floor(opts.maxTokens / 2));

  const chunks: Chunk[] = [];
  let cur: Unit[] = [];
  let curTokens = 0;
  let fresh = 0; // units in `cur` that are not overlap carried from the previous chunk

  const emit = (carryOverlap: boolean) => {
    if (!fresh) return;
    chunks.push(makeChunk(doc.text, cur, chunks.length));
    const carried: Unit[] = [];
    if (carryOverlap && opts.overlapTokens > 0) {
      let t = 0;
      for (let i = cur.length - 1; i > 0; i--) {
        const u = cur[i]!;
        if (u.heading || t + u.tokens > opts.overlapTokens) break;
        carried.unshift(u);
        t += u.tokens;
      }
    }
    cur = carried;
    curTokens = carried.reduce((n, u) => n + u.tokens, 0);
    fresh = 0;
  };
  const add = (u: Unit) => {
    if (curTokens + u.tokens > opts.maxTokens && fresh) emit(true);
    if (curTokens + u.tokens > opts.maxTokens) {
      // Even the carried overlap does not leave room: drop it rather than exceed the size.
      cur = [];
      curTokens = 0;
    }
    cur.push(u);
    curTokens += u.tokens;
    fresh++;
  };

  for (const block of doc.blocks) {
    const units = yield* blockUnits(doc.text, block, count, opts.maxTokens);
    if (block.kind === 'heading') {
      if (fresh && curTokens >= opts.minTokens) emit(false);
      for (const u of units) add(u);
      continue;
    }
    const blockTokens = units.reduce((n, u) => n + u.tokens, 0);
    if (curTokens + blockTokens <= opts.maxTokens) {
      for (const u of units) add(u);
      continue;
    }
    // The paragraph does not fit: end the chunk at the paragraph boundary if it is reasonably full.
    if (fresh && curTokens >= opts.maxTokens / 2) emit(true);
    for (const u of units) add(u);
  }
  emit(false);
  return chunks;
}

function makeChunk(text: string, units: Unit[], index: number): Chunk {
  const first = units[0]!;
  const last = units[units.length - 1]!;
  // A tiny section merged into the next one is named by the section that holds the bulk: the
  // last heading inside the chunk, if any.
  const lastHeading = units.findLast((u) => u.heading);
  const location: SourceLocation = {
    headings: (lastHeading ?? first).block.headings,
    start: first.start,
    end: last.end,
  };
  if (first.block.page) location.page = first.block.page;
  if (last.block.page && last.block.page !== first.block.page) location.pageEnd = last.block.page;
  const boxes = linesIn(units, first.start, last.end);
  if (boxes.length) location.boxes = boxes;
  return { index, text: text.slice(first.start, last.end), tokens: units.reduce((n, u) => n + u.tokens, 0), location };
}

/** The page boxes of the OCR'd lines that share any text with [start, end). */
function linesIn(units: Unit[], start: number, end: number): PageBox[] {
  const out: PageBox[] = [];
  let previous: Block | undefined;
  for (const { block } of units) {
    if (block === previous || !block.boxes) continue;
    previous = block;
    const starts = block.boxStarts ?? [];
    block.boxes.forEach((box, i) => {
      const from = starts[i] ?? block.start;
      const to = starts[i + 1] ?? block.end;
      if (from < end && to > start) out.push(box);
    });
  }
  return out;
}

let sentenceSegmenter: Intl.Segmenter | undefined;

/** A block → sentence units (or word-window units for over-long sentences), with offsets. */
function* blockUnits(text: string, block: Block, count: TokenCounter, maxTokens: number): Generator<void, Unit[]> {
  const unit = (start: number, end: number, tokens: number): Unit => ({
    start,
    end,
    tokens,
    block,
    heading: block.kind === 'heading',
  });
  if (block.kind === 'heading' || block.kind === 'table-row') {
    return (yield* windows(text, block.start, block.end, count, maxTokens)).map(([s, e, t]) => unit(s, e, t));
  }
  sentenceSegmenter ??= new Intl.Segmenter(undefined, { granularity: 'sentence' });
  const units: Unit[] = [];
  const slice = text.slice(block.start, block.end);
  const sentences: [number, number][] = [];
  for (const seg of sentenceSegmenter.segment(slice)) {
    const trimmed = seg.segment.trimEnd();
    if (!trimmed.trim()) continue;
    const lead = trimmed.length - trimmed.trimStart().length;
    const start = block.start + seg.index + lead;
    const end = block.start + seg.index + trimmed.length;
    const prev = sentences[sentences.length - 1];
    // ICU breaks "…worldwide.[11] Next" after the "[": keep citation marks with their sentence.
    if (prev && (/[[({“‘"]$/.test(text.slice(prev[0], prev[1])) || /^[\])}”’]|^\d+\]/.test(text.slice(start, end))))
      prev[1] = end;
    else sentences.push([start, end]);
  }
  for (const [start, end] of sentences) {
    for (const [s, e, t] of yield* windows(text, start, end, count, maxTokens)) units.push(unit(s, e, t));
  }
  return units;
}

/**
 * Splits [start, end) into pieces of at most maxTokens, cutting only at white space. Long spans
 * are measured once on a sample to estimate characters per token, so a 10 MB line costs one
 * tokenizer call per piece rather than per word.
 */
function* windows(
  text: string,
  start: number,
  end: number,
  count: TokenCounter,
  maxTokens: number,
): Generator<void, [number, number, number][]> {
  const span = end - start;
  if (span <= maxTokens * 2) {
    const t = count(text.slice(start, end));
    yield;
    if (t <= maxTokens) return [[start, end, t]];
  }
  const sample = text.slice(start, Math.min(end, start + 4000));
  const charsPerToken = Math.max(1, sample.length / Math.max(1, count(sample)));
  const out: [number, number, number][] = [];
  let s = start;
  while (s < end) {
    let budget = Math.floor(maxTokens * charsPerToken * 0.9);
    for (;;) {
      let e = Math.min(end, s + budget);
      if (e < end) {
        const space = text.lastIndexOf(' ', e);
        if (space > s) e = space;
        else {
          // A single "word" longer than a chunk (a URL, a base64 blob): cut it, nothing else to do.
          e = Math.min(end, s + budget);
        }
      }
      const t = count(text.slice(s, e));
      yield;
      if (t <= maxTokens || budget <= 8) {
        out.push([s, e, t]);
        s = e;
        while (s < end && /\s/.test(text[s]!)) s++;
        break;
      }
      budget = Math.floor(budget * 0.8);
    }
  }
  return out;
}

/**
 * What the embedding model and the keyword index see for a passage: its heading path, then its
 * text. The heading gives a passage the context its own words often lack ("Results" sections
 * rarely repeat the topic).
 */
export function passageText(text: string, headings: string[]): string {
  const path = headings.filter((h) => !text.startsWith(h)).join(' › ');
  return path ? `${path}\n${text}` : text;
}
