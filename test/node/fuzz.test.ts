import { afterAll, expect, test } from 'vitest';
import { closeOcr } from '../../src/core/ocr';
import { fuzz } from '../../scripts/lib/fuzz';
import { freshLibrary } from '../../scripts/lib/library';

afterAll(() => closeOcr());

// `npm run fuzz` runs the same with 5,000 files (and any --seed).
test('fuzz: 500 mutated files of every format each end as added or a named failure; no hang, no crash, the store intact', async () => {
  const library = await freshLibrary();
  try {
    const report = await fuzz(library, { count: 500, seed: 20261130, batch: 50, perFileMs: 30_000 });
    console.log(`fuzz (500 files, seed 20261130, ${report.seconds} s): ${JSON.stringify(report.outcomes)}`);
    for (const [code, reasons] of Object.entries(report.examples)) console.log(`  ${code}: ${reasons.join(' | ')}`);
    expect(report.files).toBe(500);
    expect(Object.values(report.outcomes).reduce((a, b) => a + b, 0)).toBe(500);
    expect(report.timeouts).toEqual([]);
    expect(report.unnamed).toEqual([]);
    expect(report.unhandledRejections).toBe(0);
    expect(report.integrityProblems).toEqual([]);
    // The mutants are not all rejected (a fuzzer that only makes garbage tests nothing) nor all read.
    expect(report.outcomes.added).toBeGreaterThan(50);
    expect(report.outcomes['corrupt-file']).toBeGreaterThan(50);
    // Every document that was added is whole: searchable and with its passages.
    const docs = await library.listDocuments();
    expect(docs.length).toBe(report.outcomes.added);
    for (const d of docs) expect(d.chunkCount).toBeGreaterThan(0);
  } finally {
    library.close();
  }
}, 900_000);
