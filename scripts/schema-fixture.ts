/**
 * Writes a schema fixture: run it in a checkout of a released version (see test/fixtures/schema/
 * README.md). It indexes two fixtures with THAT version's code and saves its IndexedDB (fake-
 * indexeddb) as JSON, with what that version's search answered.
 */
import 'fake-indexeddb/auto';
import fs from 'node:fs';
import { fixture, realEmbedder } from './lib/library';
import { openLibrary, SCHEMA_VERSION } from '../src/core';

const out = process.argv[2]!;
const lib = await openLibrary({ name: 'folio', embedder: await realEmbedder() });
await lib.addFiles([fixture('md/wiki-ibm.md'), fixture('txt/war-and-peace-1p.txt')]);
const queries = ['Which company is nicknamed Big Blue?', 'Where did Prince Vasili go?'];
const answers = [];
for (const q of queries) {
  // Only `k`, and only docId/chunkIndex of a hit: what every released version's search has.
  const hits = await lib.search(q, { k: 3 });
  answers.push({ query: q, top: hits.map((h) => ({ docId: h.docId, chunkIndex: h.chunkIndex })) });
}
lib.close();
// Blobs (schema 5 on) are read first, so encoding stays synchronous and works on any version.
const blobs = new Map<Blob, string>();
const collect = async (v: unknown): Promise<void> => {
  if (typeof Blob !== 'undefined' && v instanceof Blob)
    blobs.set(v, Buffer.from(await v.arrayBuffer()).toString('base64'));
  else if (Array.isArray(v)) for (const x of v) await collect(x);
  else if (v && typeof v === 'object' && !ArrayBuffer.isView(v)) for (const x of Object.values(v)) await collect(x);
};
const encode = (v: unknown): unknown => {
  if (blobs.has(v as Blob)) return { $blob: blobs.get(v as Blob) };
  if (v instanceof Float32Array) return { $f32: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
  if (v instanceof Uint8Array) return { $u8: Buffer.from(v).toString('base64') };
  if (v instanceof Uint32Array) return { $u32: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
  if (Array.isArray(v)) return v.map(encode);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x)]));
  return v;
};
const db: IDBDatabase = await new Promise((res, rej) => {
  const r = indexedDB.open('folio');
  r.onsuccess = () => res(r.result);
  r.onerror = () => rej(r.error);
});
const stores: Record<string, unknown[]> = {};
for (const name of Array.from(db.objectStoreNames)) {
  const rows: unknown[] = await new Promise((res) => {
    const r = db.transaction(name).objectStore(name).getAll();
    r.onsuccess = () => res(r.result);
  });
  await collect(rows);
  stores[name] = rows.map(encode);
}
fs.writeFileSync(
  out,
  JSON.stringify({ schemaVersion: SCHEMA_VERSION, dbVersion: db.version, searchedWithThisVersion: answers, stores }),
);
console.log(
  `schema v${SCHEMA_VERSION}: ${Object.entries(stores)
    .map(([k, v]) => `${k} ${v.length}`)
    .join(', ')}`,
);
