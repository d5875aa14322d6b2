import { describe, expect, test } from 'vitest';
import { selectContext, type SourceLocation } from '../../src/core';

// One document of four chunks; chunk 1 stops mid-sentence, chunk 2 starts mid-sentence.
const DOC =
  'Ducks are birds. They swim well.\n\nDucks eat plants and small insects that live near the water, which is why they dabble in shallow ponds. Geese are larger.\n\nSwans are largest.';
const cut = DOC.indexOf('that live');
const LOCS: SourceLocation[] = [
  { headings: [], start: 0, end: DOC.indexOf('\n\n') },
  { headings: [], start: DOC.indexOf('Ducks eat'), end: cut - 1 },
  { headings: [], start: cut, end: DOC.indexOf(' Geese') + ' Geese are larger.'.length },
  { headings: [], start: DOC.indexOf('Swans'), end: DOC.length },
];
const words = (t: string) => t.split(/\s+/).filter(Boolean).length;
const source = (docs: Record<string, string> = { d: DOC }) => ({
  text: async (id: string) => docs[id],
  chunk: async (id: string, i: number) => (id === 'd' && LOCS[i] ? { location: LOCS[i]! } : undefined),
  countTokens: words,
});
const hit = (i: number, score = 1, docId = 'd') => ({
  docId,
  docName: `${docId}.txt`,
  chunkIndex: i,
  score,
  location: LOCS[i]!,
});

describe('selectContext', () => {
  test('a passage cut mid-sentence is completed with its neighbour', async () => {
    const [p] = await selectContext([hit(1)], source(), { budgetTokens: 100 });
    expect(p!.chunkIndexes).toEqual([1, 2]);
    expect(p!.text).toBe(DOC.slice(LOCS[1]!.start, LOCS[2]!.end));
    const [q] = await selectContext([hit(2)], source(), { budgetTokens: 100 });
    expect(q!.chunkIndexes).toEqual([1, 2]); // starts with "that live…": the previous chunk is added
  });

  test("a joined passage of a scan keeps both chunks' OCR line boxes (issue 23, problem 6)", async () => {
    // Before, joining dropped the boxes and the scanned page opened with nothing marked.
    const box = (y: number) => ({ page: 1, x: 0.1, y, w: 0.8, h: 0.02 });
    const scanned = LOCS.map((l, i) => ({ ...l, page: 1, boxes: [box(0.1 * (i + 1))] }));
    const scanSource = { ...source(), chunk: async (_: string, i: number) => ({ location: scanned[i]! }) };
    const [p] = await selectContext([{ ...hit(1), location: scanned[1]! }], scanSource, { budgetTokens: 100 });
    expect(p!.chunkIndexes).toEqual([1, 2]);
    expect(p!.location.boxes).toEqual([box(0.1 * 2), box(0.1 * 3)]);
  });

  test('hits on adjacent chunks of a document merge into one passage', async () => {
    const out = await selectContext([hit(0, 0.9), hit(3, 0.8), hit(1, 0.7)], source(), { budgetTokens: 100 });
    expect(out.map((p) => p.chunkIndexes)).toEqual([[0, 1, 2], [3]]);
    expect(out[0]!.score).toBe(0.9);
  });

  test('the token budget is never exceeded; neighbours are dropped before the hit itself', async () => {
    const budget = words(DOC.slice(LOCS[1]!.start, LOCS[1]!.end)) + 1;
    const out = await selectContext([hit(1), hit(3)], source(), { budgetTokens: budget });
    expect(out.map((p) => p.chunkIndexes)).toEqual([[1]]);
    expect(out.reduce((n, p) => n + words(p.text), 0)).toBeLessThanOrEqual(budget);
  });

  test('near-duplicate passages from different files are dropped', async () => {
    const copy = `Notes. ${DOC.slice(LOCS[0]!.start, LOCS[0]!.end)}`;
    const docs = { d: DOC, e: copy };
    const dupe = {
      docId: 'e',
      docName: 'e.txt',
      chunkIndex: 0,
      score: 0.5,
      location: { headings: [], start: 0, end: copy.length },
    };
    const out = await selectContext([hit(0), dupe], source(docs), { budgetTokens: 100 });
    expect(out.map((p) => p.docId)).toEqual(['d']);
  });
});
