import { beforeAll, describe, expect, test } from 'vitest';
import type { Library } from '../../src/core';
import { fixture, freshLibrary } from '../../scripts/lib/library';
import { FIXTURE_FILES } from '../../scripts/lib/paths';

// What the real model finds; the pipeline's behaviour is in test/unit/library.test.ts.
const ALL = Object.values(FIXTURE_FILES).map(fixture);

describe('Library: questions find the right passage first', () => {
  let lib: Library;
  beforeAll(async () => {
    lib = await freshLibrary({ name: 'qa' });
    const out = await lib.addFiles(ALL);
    expect(out.map((o) => o.status)).toEqual(ALL.map(() => 'added'));
  }, 120_000); // the real model on eight documents: 9–16 s on two busy cores

  test.each([
    ['Who patented the typewriter in 1868?', 'multi_page.pdf', 'Christopher Latham Sholes', 1],
    ['How does an elastic stop nut stay tight?', 'amt_handbook_sample.pdf', 'elastic stop nut', 1],
    ['Which company is nicknamed Big Blue?', 'wiki-ibm.md', 'Big Blue', undefined],
    ['Where does the English word duck come from?', 'wiki_duck.html', 'Old English', undefined],
    ['What should I remember to wear when swimming in summer?', 'word_sample.docx', 'Wear sunglasses', undefined],
    ['Who greeted Prince Vasili Kuragin?', 'war-and-peace-1p.txt', 'Anna Pavlovna', undefined],
  ])('%s → %s', async (question, docName, phrase, page) => {
    const [top] = await lib.search(question, { k: 3 });
    expect(top!.docName).toBe(docName);
    expect(top!.text).toContain(phrase);
    expect(top!.location.page).toBe(page);
    expect(top!.score).toBeGreaterThan(0.3);
  });

  test('results carry heading paths and can be limited to some documents', async () => {
    const hits = await lib.search('When did word processors appear on personal computers?', { k: 5 });
    expect(hits[0]!.docName).toBe('multi_page.pdf');
    expect(hits[0]!.location.headings.length).toBeGreaterThan(0);
    const md = (await lib.listDocuments()).find((d) => d.name === 'wiki-ibm.md')!;
    const only = await lib.search('When did word processors appear on personal computers?', {
      k: 5,
      documents: [md.id],
    });
    expect(only.length).toBe(5);
    expect(new Set(only.map((h) => h.docName))).toEqual(new Set(['wiki-ibm.md']));
    for (let i = 1; i < hits.length; i++) expect(hits[i]!.score).toBeLessThanOrEqual(hits[i - 1]!.score);
  });

  test('documents record type, size, hash, pages and chunk count; store is consistent', async () => {
    const docs = await lib.listDocuments();
    const pdf = docs.find((d) => d.name === 'multi_page.pdf')!;
    expect(pdf).toMatchObject({
      type: 'pdf',
      pageCount: 5,
      status: 'ready',
      embeddingModel: 'Xenova/all-MiniLM-L6-v2',
    });
    expect(pdf.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(pdf.size).toBe((ALL[0]!.data as Uint8Array).byteLength);
    expect((await lib.getChunks(pdf.id)).length).toBe(pdf.chunkCount);
    expect(await lib.getOriginal(pdf.id)).toEqual(ALL[0]!.data); // the original bytes, kept
    const text = (await lib.getDocumentText(pdf.id))!;
    for (const c of await lib.getChunks(pdf.id)) expect(text.slice(c.location.start, c.location.end)).toBe(c.text);
    const report = await lib.checkIntegrity();
    expect(report.problems).toEqual([]);
    expect(report.documents).toBe(ALL.length);
    expect(report.vectors).toBe(report.chunks);
  });
});
