import 'fake-indexeddb/auto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { memoryLocks, openLibrary, type Library, type LibraryOptions } from '../../src/core';
import { TABLES_DIR } from '../../scripts/lib/paths';
import { stubEmbedder } from '../helpers/stubEmbedder';

// Issue 24, "Indexing": a large table is stored searchable by keywords at once and its vectors are
// added after (library/fill.ts). The stub embedder stands in for the model; a gate holds back the
// table's passages (each carries its "Columns: …" heading) so the state before and between steps
// can be looked at.

const birdstrikes = () => ({
  name: 'birdstrikes.csv',
  data: new Uint8Array(fs.readFileSync(path.join(TABLES_DIR, 'birdstrikes.csv'))),
});
const isTablePassage = (texts: string[]) => texts.some((t) => t.includes('Columns: Airport Name'));

/** Holds back embedding of the table's passages after `allow` batches, until opened. */
function gate(allow = 0) {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  let passed = 0;
  return {
    open,
    beforeBatch: async (texts: string[]) => {
      if (!isTablePassage(texts)) return;
      if (passed++ >= allow) await opened;
    },
  };
}

const libs: Library[] = [];
afterEach(() => {
  while (libs.length) libs.pop()!.close();
});
let counter = 0;
async function library(opts: Partial<LibraryOptions> & { name: string }) {
  const lib = await openLibrary({ embedder: stubEmbedder(), fillQuietMs: 100, ...opts });
  libs.push(lib);
  return lib;
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('a large table is searchable before its vectors exist (issue 24, Indexing)', () => {
  test('stored with no vectors: keyword search finds its row and the table computes; the vectors follow', async () => {
    const held = gate();
    const events: string[] = [];
    const lib = await library({
      name: `fill-${++counter}`,
      embedder: stubEmbedder({ beforeBatch: held.beforeBatch }),
      onEvent: (e) => events.push(e),
    });
    const [outcome] = await lib.addFiles([birdstrikes()]);
    expect(outcome!.status).toBe('added');
    const doc = (await lib.listDocuments())[0]!;
    expect(doc.chunkCount).toBeGreaterThan(256);
    expect(doc.vectorCount).toBe(0);

    // A hybrid search (the default) answers from the keyword postings for this document.
    const hits = await lib.search('AEROS SN601');
    expect(hits[0]?.docName).toBe('birdstrikes.csv');
    expect(hits[0]?.text).toContain('Row 1072: PHILADELPHIA INTL | AEROS SN601');
    // Its table computes at once (the count from the question set, test/fixtures/tables).
    expect(await lib.tableAnswer('How many bird strikes were there in Texas?')).toMatchObject({
      status: 'computed',
      value: 1495,
    });
    const before = await lib.checkIntegrity();
    expect(before.problems).toEqual([]);
    expect(before.vectors).toBe(0);

    held.open();
    await lib.vectorsFilled();
    const filled = (await lib.listDocuments())[0]!;
    expect(filled.vectorCount).toBeUndefined();
    expect(filled.storedBytes).toBeGreaterThan(doc.storedBytes! + doc.chunkCount * 384 * 4 - 1);
    const after = await lib.checkIntegrity();
    expect(after.problems).toEqual([]);
    expect(after.vectors).toBe(doc.chunkCount);
    expect(events.filter((e) => e === 'vectors').length).toBe(Math.ceil(doc.chunkCount / 64));
    const dense = await lib.search('AEROS SN601 PHILADELPHIA', { mode: 'dense' });
    expect(dense[0]?.docName).toBe('birdstrikes.csv');
  });

  test('closed mid-fill, the stored state is consistent and reopening resumes where it stopped', async () => {
    const name = `fill-${++counter}`;
    const held = gate(16); // two steps of 64 passages (embedded 8 at a time), then it stalls
    const first = await library({ name, embedder: stubEmbedder({ beforeBatch: held.beforeBatch }) });
    await first.addFiles([birdstrikes()]);
    await until(async () => (await first.listDocuments())[0]?.vectorCount === 128, 'two steps stored');
    const stopped = await first.checkIntegrity();
    expect(stopped.problems).toEqual([]);
    expect(stopped.vectors).toBe(128);
    first.close(); // as a closed tab: the step in hand is lost, nothing half-written
    libs.splice(libs.indexOf(first), 1);

    const counting = stubEmbedder();
    const again = await library({ name, embedder: counting });
    const doc = (await again.listDocuments())[0]!;
    await again.vectorsFilled();
    expect(counting.embedded).toBe(doc.chunkCount - 128);
    expect((await again.listDocuments())[0]!.vectorCount).toBeUndefined();
    const report = await again.checkIntegrity();
    expect(report.problems).toEqual([]);
    expect(report.vectors).toBe(doc.chunkCount);

    // The same vectors as a library that filled it in one go (the stub is deterministic).
    const whole = await library({ name: `fill-${++counter}` });
    await whole.addFiles([birdstrikes()]);
    await whole.vectorsFilled();
    const query = 'PHILADELPHIA INTL AEROS SN601 Pennsylvania Approach';
    const a = await again.search(query, { mode: 'dense', k: 20 });
    const b = await whole.search(query, { mode: 'dense', k: 20 });
    expect(a.map((h) => [h.chunkIndex, h.score.toFixed(5)])).toEqual(b.map((h) => [h.chunkIndex, h.score.toFixed(5)]));
  });

  test('removed mid-fill, nothing of it is left and the fill stops', async () => {
    const held = gate(8); // one step of 64 passages
    const embedder = stubEmbedder({ beforeBatch: held.beforeBatch });
    const lib = await library({ name: `fill-${++counter}`, embedder });
    await lib.addFiles([birdstrikes()]);
    await until(async () => (await lib.listDocuments())[0]?.vectorCount === 64, 'a step stored');
    const doc = (await lib.listDocuments())[0]!;
    expect(await lib.removeDocument(doc.id)).toBe(true);
    held.open();
    await lib.vectorsFilled();
    expect(await lib.listDocuments()).toEqual([]);
    const report = await lib.checkIntegrity();
    expect(report).toEqual({ documents: 0, chunks: 0, vectors: 0, problems: [] });
    expect(await lib.search('AEROS SN601')).toEqual([]);
    // The step in hand was dropped, not carried on to the end.
    expect(embedder.embedded).toBeLessThan(64 * 3);
  });

  test('two tabs on one library: one fills, the other reads the vectors when it is done', async () => {
    const name = `fill-${++counter}`;
    const locks = memoryLocks();
    const held = gate();
    const a = stubEmbedder({ beforeBatch: held.beforeBatch });
    const b = stubEmbedder();
    const tabA = await library({ name, locks, embedder: a, shareChanges: true });
    const tabB = await library({ name, locks, embedder: b, shareChanges: true });
    await tabA.addFiles([birdstrikes()]);
    const doc = (await tabA.listDocuments())[0]!;
    await until(async () => (await tabB.listDocuments()).length === 1, 'the other tab to see it');
    held.open();
    await Promise.all([tabA.vectorsFilled(), tabB.vectorsFilled()]);
    expect(a.embedded + b.embedded).toBe(doc.chunkCount);
    await until(async () => (await tabB.search('AEROS SN601', { mode: 'dense' })).length > 0, 'tab B dense');
    expect((await tabB.checkIntegrity()).problems).toEqual([]);
  });

  test('the integrity report counts a partly filled document by its vectorCount', async () => {
    const name = `fill-${++counter}`;
    const held = gate(8); // one step of 64 passages
    const lib = await library({ name, embedder: stubEmbedder({ beforeBatch: held.beforeBatch }) });
    await lib.addFiles([birdstrikes()]);
    await until(async () => (await lib.listDocuments())[0]?.vectorCount === 64, 'a step stored');
    lib.close();
    libs.splice(libs.indexOf(lib), 1);
    // A record that claims more vectors than are stored, as a bug would leave it.
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open(name);
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const tx = db.transaction('documents', 'readwrite');
    const docs = tx.objectStore('documents');
    await new Promise<void>((resolve) => {
      docs.getAll().onsuccess = (e) => {
        const [d] = (e.target as IDBRequest).result as { vectorCount: number }[];
        docs.put({ ...d, vectorCount: 128 });
        resolve();
      };
    });
    await new Promise((resolve) => (tx.oncomplete = resolve));
    db.close();
    const reopened = await library({ name, embedder: stubEmbedder({ beforeBatch: gate().beforeBatch }) });
    const report = await reopened.checkIntegrity();
    expect(report.problems).toEqual(['birdstrikes.csv: 64 vectors stored, 128 expected']);
  });
});
