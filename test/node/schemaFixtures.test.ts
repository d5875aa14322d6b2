import fs from 'node:fs';
import path from 'node:path';
import { openDB } from 'idb';
import { describe, expect, test } from 'vitest';
import { openLibrary, SCHEMA_VERSION } from '../../src/core';
import { MIGRATIONS } from '../../src/core/store/schema';
import { fixture, realEmbedder } from '../../scripts/lib/library';

interface SchemaFixture {
  schemaVersion: number;
  dbVersion: number;
  searchedWithThisVersion: { query: string; top: { docId: string; chunkIndex: number }[] }[];
  stores: Record<string, unknown[]>;
}

const DIR = path.resolve(import.meta.dirname, '../fixtures/schema');
const decode = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(decode);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const bytes = (s: unknown) => Buffer.from(s as string, 'base64');
    if ('$f32' in o) return new Float32Array(new Uint8Array(bytes(o.$f32)).buffer);
    if ('$u32' in o) return new Uint32Array(new Uint8Array(bytes(o.$u32)).buffer);
    if ('$u8' in o) return new Uint8Array(bytes(o.$u8));
    if ('$blob' in o) return new Blob([new Uint8Array(bytes(o.$blob))]);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, decode(x)]));
  }
  return v;
};

const versions = fs
  .readdirSync(DIR)
  .filter((f) => /^v\d+\.json$/.test(f))
  .sort();

describe('libraries saved by every released schema version open and upgrade with nothing lost', () => {
  test('there is a fixture for every schema version up to the current one', () => {
    expect(versions).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => `v${i + 1}.json`));
  });

  test.each(versions)('%s', async (file) => {
    const fx = JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')) as SchemaFixture;
    const name = `schema-${file}-${process.pid}`;
    // The database exactly as that version left it: its stores (made by the released migration
    // steps, which are never edited) holding the records it wrote.
    const old = await openDB(name, fx.dbVersion, {
      async upgrade(db, from, _to, tx) {
        for (let v = from; v < fx.dbVersion; v++) await MIGRATIONS[v]!(db as never, tx as never);
      },
    });
    for (const [store, rows] of Object.entries(fx.stores))
      for (const row of rows) await old.put(store as never, decode(row) as never);
    old.close();

    const lib = await openLibrary({ name, embedder: await realEmbedder() });
    try {
      const docs = fx.stores.documents as { id: string; name: string; chunkCount: number }[];
      expect((await lib.listDocuments()).map((d) => [d.id, d.name, d.chunkCount]).sort()).toEqual(
        docs.map((d) => [d.id, d.name, d.chunkCount]).sort(),
      );
      expect((await lib.checkIntegrity()).problems).toEqual([]);
      // Chunk texts untouched, and every search the old version answered still finds the same passage first.
      const chunks = fx.stores.chunks as { docId: string; index: number; text: string }[];
      for (const d of docs)
        expect((await lib.getChunks(d.id)).map((c) => c.text)).toEqual(
          chunks.filter((c) => c.docId === d.id).map((c) => c.text),
        );
      for (const { query, top } of fx.searchedWithThisVersion) {
        const dense = await lib.search(query, { k: 3, mode: 'dense' });
        expect([dense[0]!.docId, dense[0]!.chunkIndex]).toEqual([top[0]!.docId, top[0]!.chunkIndex]);
        // Keyword search works on it too (schema 1 had none: the upgrade built it from the chunks).
        expect((await lib.search(query, { k: 3, mode: 'keyword' }))[0]!.docId).toBe(top[0]!.docId);
      }
      // Schema 6: every document knows what it keeps in storage (the upgrade counted it from the
      // stored records, recounted here from the fixture itself) and is in no collection yet.
      const bytesOf = (v: unknown) => (v instanceof Blob ? v.size : ArrayBuffer.isView(v) ? v.byteLength : 0);
      const utf8 = (t: string) => Buffer.byteLength(t, 'utf8');
      const rows = (store: string) =>
        ((fx.stores[store] ?? []) as Record<string, unknown>[]).map((r) => decode(r) as Record<string, unknown>);
      const upgraded = await lib.listDocuments();
      for (const d of upgraded) {
        const expected =
          utf8((rows('texts').find((t) => t.docId === d.id)?.text as string) ?? '') +
          rows('chunks')
            .filter((c) => c.docId === d.id)
            .reduce((n, c) => n + utf8(c.text as string), 0) +
          rows('vectors')
            .filter((v) => v.docId === d.id)
            .reduce((n, v) => n + bytesOf(v.vectors), 0) +
          bytesOf(rows('keywords').find((k) => k.docId === d.id)?.data) +
          bytesOf(rows('files').find((f) => f.docId === d.id)?.bytes);
        // Schema 1 had no postings (the upgrade built them), so they add to what it stored.
        if (fx.schemaVersion === 1) expect(d.storedBytes).toBeGreaterThan(expected);
        else if (fx.schemaVersion < 6) expect(d.storedBytes).toBe(expected);
        else expect(d.storedBytes).toBeGreaterThan(0);
        expect(d.collections ?? []).toEqual([]);
      }
      // Schema 8: documents carry the acronyms their text defines, mined by the upgrade for older ones.
      const ibm = upgraded.find((d) => d.name.endsWith('wiki-ibm.md'))!;
      expect(ibm.terms).toContainEqual(['ATM', 'automated teller machine']);
      expect(await lib.terms('What does DRAM stand for?')).toEqual([['DRAM', 'dynamic random-access memory']]);
      // Collections work on it: one made, a document put in, search scoped to it.
      const c = await lib.createCollection('Upgraded');
      expect(await lib.addToCollection(c.id, [docs[0]!.id])).toBe(1);
      expect((await lib.listCollections())[0]).toMatchObject({ documents: 1, chunks: docs[0]!.chunkCount });
      for (const h of await lib.search(fx.searchedWithThisVersion[0]!.query, { k: 5, collections: [c.id] }))
        expect(h.docId).toBe(docs[0]!.id);
      // And the upgraded library takes new documents.
      const [added] = await lib.addFiles([fixture('docx/word_sample.docx')]);
      expect(added!.status).toBe('added');
      expect((await lib.checkIntegrity()).problems).toEqual([]);
    } finally {
      lib.close();
    }
  });
});
