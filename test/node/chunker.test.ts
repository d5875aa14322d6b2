import { beforeAll, describe, expect, test } from 'vitest';
import { chunkDocument, chunkDocumentAsync, parseBytes, type Embedder, type ParsedDocument } from '../../src/core';
import { fixture, realEmbedder } from '../../scripts/lib/library';
import { FIXTURE_FILES } from '../../scripts/lib/paths';

let embedder: Embedder;
const count = (t: string) => embedder.countTokens(t);
beforeAll(async () => {
  embedder = await realEmbedder();
});

async function parse(rel: string): Promise<ParsedDocument> {
  const f = fixture(rel);
  return parseBytes(f.data as Uint8Array, f.name);
}

/** A chunk boundary may only fall between words: at the text's edges or next to white space. */
function atWordBoundary(text: string, offset: number): boolean {
  return (
    offset === 0 ||
    offset === text.length ||
    /\s/.test(text[offset - 1]!) ||
    /\s/.test(text[offset]!) ||
    /[.!?;:,)"”’]/.test(text[offset - 1]!)
  );
}

describe('chunkDocument', () => {
  test.each(Object.entries(FIXTURE_FILES))(
    '%s: exact slices, within the token budget, cut only between words',
    async (_, rel) => {
      const doc = await parse(rel);
      const chunks = chunkDocument(doc, count, { maxTokens: 120, overlapTokens: 20 });
      expect(chunks.length).toBeGreaterThan(0);
      chunks.forEach((c, i) => {
        expect(c.index).toBe(i);
        expect(c.text).toBe(doc.text.slice(c.location.start, c.location.end));
        expect(c.tokens).toBeLessThanOrEqual(120);
        expect(count(c.text)).toBeLessThanOrEqual(124); // sums of sentence counts ≈ count of the whole
        expect(atWordBoundary(doc.text, c.location.start)).toBe(true);
        expect(atWordBoundary(doc.text, c.location.end)).toBe(true);
      });
      // Nothing is lost: every block's text is inside some chunk.
      for (const b of doc.blocks) {
        expect(
          chunks.some((c) => c.location.start <= b.start && c.location.end >= b.end) ||
            chunks.some((c) => c.location.start < b.end && c.location.end > b.start),
        ).toBe(true);
      }
    },
  );

  test('PDF chunks carry page and heading path for citations', async () => {
    const doc = await parse(FIXTURE_FILES.pdf);
    const chunks = chunkDocument(doc, count, { maxTokens: 200, overlapTokens: 30 });
    const sholes = chunks.find((c) => c.text.includes('Christopher Latham Sholes'))!;
    expect(sholes.location.page).toBe(1);
    expect(sholes.location.headings).toEqual(['Pre-Digital Era (19th - Early 20th Century)']);
    const pages = new Set(chunks.flatMap((c) => [c.location.page, c.location.pageEnd ?? c.location.page]));
    expect([...pages].sort()).toEqual([1, 2, 3, 4, 5]);
    const crossing = chunks.find((c) => c.location.pageEnd);
    if (crossing) expect(crossing.location.pageEnd).toBe(crossing.location.page! + 1);
  });

  test('consecutive chunks of one section overlap by whole sentences', async () => {
    const doc = await parse(FIXTURE_FILES.text);
    const chunks = chunkDocument(doc, count, { maxTokens: 80, overlapTokens: 30, minTokens: 10 });
    let overlaps = 0;
    for (let i = 1; i < chunks.length; i++) {
      const prev = chunks[i - 1]!;
      const cur = chunks[i]!;
      expect(cur.location.start).toBeGreaterThan(prev.location.start); // always moves forward
      if (cur.location.start < prev.location.end) {
        overlaps++;
        expect(count(doc.text.slice(cur.location.start, prev.location.end))).toBeLessThanOrEqual(30);
      }
    }
    expect(overlaps).toBeGreaterThan(0);
  });

  test('no overlap: chunks tile the document in order', async () => {
    const doc = await parse(FIXTURE_FILES.markdown);
    const chunks = chunkDocument(doc, count, { maxTokens: 100, overlapTokens: 0 });
    for (let i = 1; i < chunks.length; i++)
      expect(chunks[i]!.location.start).toBeGreaterThanOrEqual(chunks[i - 1]!.location.end);
  });

  test('a new heading starts a new chunk once the current one is substantial', async () => {
    const doc = await parse(FIXTURE_FILES.pdf);
    const chunks = chunkDocument(doc, count, { maxTokens: 250, overlapTokens: 0, minTokens: 20 });
    const headingStarts = doc.blocks.filter((b) => b.kind === 'heading').map((b) => b.start);
    // Each heading in this document follows a long section, so each begins a chunk.
    for (const start of headingStarts) expect(chunks.some((c) => c.location.start === start)).toBe(true);
  });

  test('one 1 MB line with no sentence breaks is split into bounded pieces between words', () => {
    const words = Array.from({ length: 150_000 }, (_, i) => `word${i % 97}`).join(' ');
    const doc: ParsedDocument = {
      type: 'text',
      text: words,
      blocks: [{ kind: 'paragraph', start: 0, end: words.length, headings: [] }],
    };
    const t0 = performance.now();
    const chunks = chunkDocument(doc, count, { maxTokens: 200, overlapTokens: 0 });
    const ms = performance.now() - t0;
    expect(chunks.length).toBeGreaterThan(100);
    for (const c of chunks) {
      expect(c.tokens).toBeLessThanOrEqual(200);
      expect(c.text.startsWith('word')).toBe(true);
      expect(/\d$/.test(c.text)).toBe(true);
    }
    expect(chunks.at(-1)!.location.end).toBe(words.length);
    console.log(`1 MB single line → ${chunks.length} chunks in ${ms.toFixed(0)} ms`);
  });

  test('the sliced chunker gives the same chunks while letting other work run, and stops when cancelled', async () => {
    const line = Array.from({ length: 100_000 }, (_, i) => `w${i % 9973}`).join(' ');
    const doc = await parseBytes(new TextEncoder().encode(line), 'one-line.txt');
    const opts = { maxTokens: 240, overlapTokens: 0 };
    const whole = chunkDocument(doc, count, opts);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const sliced = await chunkDocumentAsync(doc, count, opts, undefined, 5);
    clearInterval(timer);
    expect(sliced).toEqual(whole);
    expect(ticks).toBeGreaterThan(0); // timers fired in between: the thread was not held for the whole split

    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('cancelled by the test')), 0);
    await expect(chunkDocumentAsync(doc, count, opts, controller.signal, 5)).rejects.toThrow('cancelled by the test');
  });

  test('a 10 MB text file that is one line parses and splits into bounded pieces covering all of it', async () => {
    const line = Array.from({ length: 2_000_000 }, (_, i) => `w${i % 9973}`)
      .join(' ')
      .slice(0, 10 * 2 ** 20)
      .trimEnd();
    const bytes = new TextEncoder().encode(line);
    expect(bytes.length).toBeGreaterThan(10 * 2 ** 20 - 8);
    expect(line.includes('\n')).toBe(false);
    const t0 = performance.now();
    const doc = await parseBytes(bytes, 'one-line.txt');
    const chunks = chunkDocument(doc, count, { maxTokens: 240, overlapTokens: 0 });
    const ms = performance.now() - t0;
    expect(chunks.every((c) => c.tokens <= 240)).toBe(true);
    expect(chunks[0]!.location.start).toBe(0);
    expect(chunks.at(-1)!.location.end).toBe(doc.text.length);
    for (let i = 1; i < chunks.length; i++)
      expect(chunks[i]!.location.start).toBe(
        chunks[i - 1]!.location.end + (/\s/.test(doc.text[chunks[i - 1]!.location.end]!) ? 1 : 0),
      );
    console.log(`10 MB single-line file → ${chunks.length} chunks, parsed and split in ${ms.toFixed(0)} ms`);
  });
});
