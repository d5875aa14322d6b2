import fs from 'node:fs';
import path from 'node:path';
import { openDB } from 'idb';
import { describe, expect, test } from 'vitest';
import { openLibrary, SCHEMA_VERSION } from '../../src/core';
import { MIGRATIONS } from '../../src/core/store/schema';
import { fixture, realEmbedder } from '../helpers/library';

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

const versions = fs.readdirSync(DIR).filter((f) => /^v\d+\.json$/.test(f)).sort();

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
    for (const [store, rows] of Object.entries(fx.stores)) for (const row of rows) await old.put(store as never, decode(row) as never);
    old.close();

    const lib = await openLibrary({ name, embedder: await realEmbedder() });
    try {
      const docs = fx.stores.documents as { id: string; name: string; chunkCount: number }[];
      expect((await lib.listDocuments()).map((d) => [d.id, d.name, d.chunkCount]).sort()).toEqual(docs.map((d) => [d.id, d.name, d.chunkCount]).sort());
      expect((await lib.checkIntegrity()).problems).toEqual([]);
      // Chunk texts untouched, and every search the old version answered still finds the same passage first.
      const chunks = fx.stores.chunks as { docId: string; index: number; text: string }[];
      for (const d of docs) expect((await lib.getChunks(d.id)).map((c) => c.text)).toEqual(chunks.filter((c) => c.docId === d.id).map((c) => c.text));
      for (const { query, top } of fx.searchedWithThisVersion) {
        const dense = await lib.search(query, { k: 3, mode: 'dense' });
        expect([dense[0]!.docId, dense[0]!.chunkIndex]).toEqual([top[0]!.docId, top[0]!.chunkIndex]);
        // Keyword search works on it too (schema 1 had none: the upgrade built it from the chunks).
        expect((await lib.search(query, { k: 3, mode: 'keyword' }))[0]!.docId).toBe(top[0]!.docId);
      }
      // And the upgraded library takes new documents.
      const [added] = await lib.addFiles([fixture('docx/word_sample.docx')]);
      expect(added!.status).toBe('added');
      expect((await lib.checkIntegrity()).problems).toEqual([]);
    } finally {
      lib.close();
    }
  });
});
