/**
 * Built only for benchmarks (FOLIO_TEST_HARNESS=1): Folio's vector search and the browser vector
 * engines other apps use, on the same generated vectors and queries (benchData.ts), measured the
 * same way in the same page. scripts/bench/peers.ts drives it (`BENCH_ONLY=peers npm run bench`);
 * every task runs in a freshly loaded page, so one engine's memory and garbage never meet another's.
 */
import { PGlite } from '@electric-sql/pglite';
import { vector as pgvector } from '@electric-sql/pglite-pgvector';
import {
  create as createOrama,
  insertMultiple as oramaInsertMultiple,
  remove as oramaRemove,
  search as oramaSearch,
} from '@orama/orama';
import initEdgeVec, { EdgeVec, EdgeVecConfig } from 'edgevec';
import { loadHnswlib, syncFileSystem } from 'hnswlib-wasm';
import type { Voy } from 'voy-search';
// wasm-bindgen's glue (voy's own entry imports the .wasm as an ES module, which browsers cannot): typed below.
// @ts-expect-error: the glue module ships without type declarations
import * as voyGlue from 'voy-search/voy_search_bg.js';
import voyWasmUrl from 'voy-search/voy_search_bg.wasm?url';
import { buildPostings, evenSample, LibraryStore, VectorIndex } from '../../../src/core';
import { benchQueries, libraryDocs, libraryVectors, percentile } from './benchData';

// ---- Memory: live JavaScript (measureUserAgentSpecificMemory) + every WebAssembly memory ------
// Chromium's measurement leaves WebAssembly memories out, so every memory made in this page is
// recorded here, whether JavaScript creates it or a module exports it.

const memories = new Set<WebAssembly.Memory>();
{
  const Memory = WebAssembly.Memory;
  const Tracked = function (this: unknown, descriptor: WebAssembly.MemoryDescriptor) {
    const m = new Memory(descriptor);
    memories.add(m);
    return m;
  } as unknown as typeof WebAssembly.Memory;
  Tracked.prototype = Memory.prototype;
  WebAssembly.Memory = Tracked;
  const record = (instance: WebAssembly.Instance) => {
    for (const e of Object.values(instance.exports)) if (e instanceof Memory) memories.add(e);
    return instance;
  };
  const Instance = WebAssembly.Instance;
  // biome-ignore lint/complexity/useArrowFunction: called with `new` by the peers' glue code; an arrow function cannot be.
  WebAssembly.Instance = function (module: WebAssembly.Module, imports?: WebAssembly.Imports) {
    return record(new Instance(module, imports));
  } as unknown as typeof WebAssembly.Instance;
  const instantiate = WebAssembly.instantiate.bind(WebAssembly) as (...a: unknown[]) => Promise<unknown>;
  WebAssembly.instantiate = (async (...args: unknown[]) => {
    const out = (await instantiate(...args)) as WebAssembly.Instance | WebAssembly.WebAssemblyInstantiatedSource;
    record(out instanceof Instance ? out : out.instance);
    return out;
  }) as typeof WebAssembly.instantiate;
  const streaming = WebAssembly.instantiateStreaming.bind(WebAssembly);
  WebAssembly.instantiateStreaming = async (source, imports) => {
    const out = await streaming(source, imports);
    record(out.instance);
    return out;
  };
}

async function memoryNow(): Promise<{ js: number; wasm: number }> {
  const perf = performance as Performance & { measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }> };
  // Needs cross-origin isolation (the preview server sends COOP/COEP); counts live objects only.
  const js = perf.measureUserAgentSpecificMemory ? (await perf.measureUserAgentSpecificMemory()).bytes : NaN;
  let wasm = 0;
  for (const m of memories) wasm += m.buffer.byteLength;
  return { js, wasm };
}

// ---- Engines ----------------------------------------------------------------------------------

interface Library {
  /** All vectors, row r = document doc's chunk r - doc.first. */
  data: Float32Array;
  n: number;
  d: number;
  docs: { first: number; count: number }[];
}

interface Built {
  /** The k nearest rows (their numbers in the library), best first. */
  search(q: Float32Array, k: number): number[] | Promise<number[]>;
  /** A setting that trades speed for recall, values cheapest first. */
  knob?: { name: string; values: number[]; set(v: number): void | Promise<void> };
  /** Removes one document's rows without a rebuild. */
  remove?(doc: number): void | Promise<void>;
  /** Writes the index where `reopen` finds it in a new page (after which the page is reloaded). */
  persist?(): Promise<void>;
}

interface Engine {
  approximate: boolean;
  build(lib: Library): Promise<Built>;
  /** Opens what `persist` stored, in a new page; resolves once the first query could run. */
  reopen?(lib: Omit<Library, 'data'>): Promise<Built>;
  /** Why the engine does not persist (printed instead of a reopening time). */
  notPersistent?: string;
}

const storeName = (engine: string, n: number) => `peers-${engine}-${n}`;

/** Folio's VectorIndex, filled the way a library fills it when it opens. */
function folioBuilt(index: VectorIndex, lib: Omit<Library, 'data'>): Built {
  const first = lib.docs.map((doc) => doc.first);
  const rowOf = (h: { docId: string; chunkIndex: number }) => first[Number(h.docId.slice(3))]! + h.chunkIndex;
  return {
    search: (q, k) => index.search(q, k).map(rowOf),
    remove: (doc) => index.remove(`doc${doc}`),
  };
}

const folio: Engine = {
  approximate: true,
  async build(lib) {
    const index = new VectorIndex(lib.d, lib.n);
    index.calibrate(evenSample([lib.data], lib.d), lib.n);
    lib.docs.forEach((doc, i) =>
      index.add(`doc${i}`, lib.data.subarray(doc.first * lib.d, (doc.first + doc.count) * lib.d)),
    );
    index.prepare();
    const built = folioBuilt(index, lib);
    return {
      ...built,
      // As a library stores them: each document's vectors in blocks of the IndexedDB store.
      async persist() {
        const name = storeName('folio', lib.n);
        const store = await LibraryStore.open(name);
        await store.setMeta({ key: 'library', embeddingModel: 'bench', dimensions: lib.d, createdAt: Date.now() });
        const empty = buildPostings([]);
        for (const [i, doc] of lib.docs.entries()) {
          const vectors = lib.data.subarray(doc.first * lib.d, (doc.first + doc.count) * lib.d);
          const record = {
            id: `doc${i}`,
            name: `doc${i}`,
            type: 'text',
            size: 0,
            hash: `${name}-${i}`,
            chunkCount: doc.count,
            status: 'ready',
            embeddingModel: 'bench',
            addedAt: Date.now(),
          } as const;
          await store.addDocument(record, '', [], vectors, lib.d, empty);
        }
        store.close();
      },
    };
  },
  // What Library.reload does with vectors: list documents, read every block, fit and fill the index, make the codes.
  async reopen(lib) {
    const store = await LibraryStore.open(storeName('folio', lib.n));
    const docs = new Set((await store.listDocuments()).map((d) => d.id));
    const blocks = (await store.allVectorBlocks()).filter((b) => docs.has(b.docId));
    const total = blocks.reduce((n, b) => n + b.count, 0);
    const index = new VectorIndex(lib.d, Math.max(1024, total));
    index.calibrate(
      evenSample(
        blocks.map((b) => b.vectors),
        lib.d,
      ),
      total,
    );
    for (const b of blocks) index.add(b.docId, b.vectors, b.first);
    index.prepare();
    store.close();
    return folioBuilt(index, lib);
  },
};

const orama: Engine = {
  approximate: false,
  notPersistent: 'in memory only (persisting needs a plugin that serialises the whole index)',
  async build(lib) {
    const { data, d } = lib;
    const db = createOrama({ schema: { v: `vector[${d}]` } as const });
    // Orama takes vectors as plain arrays (and keeps them in its document store).
    const docs = Array.from({ length: lib.n }, (_, r) => ({
      id: String(r),
      v: Array.from(data.subarray(r * d, (r + 1) * d)),
    }));
    await oramaInsertMultiple(db, docs as never, 1000);
    // Orama returns every row above a similarity threshold (0.8 by default), sorted: the threshold
    // is its speed setting. Highest (cheapest) first.
    let similarity = 0.8;
    return {
      knob: {
        name: 'similarity',
        values: [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0, -1],
        set: (v) => void (similarity = v),
      },
      search: async (q, k) => {
        const res = await oramaSearch(db, {
          mode: 'vector',
          vector: { value: q, property: 'v' },
          similarity,
          limit: k,
          includeVectors: false,
        } as never);
        return (res as { hits: { id: string }[] }).hits.map((h) => Number(h.id));
      },
      async remove(doc) {
        const { first, count } = lib.docs[doc]!;
        for (let r = first; r < first + count; r++) await oramaRemove(db, String(r));
      },
    };
  },
};

let hnswlib: Awaited<ReturnType<typeof loadHnswlib>> | null = null;
const HNSW_FILE = (n: number) => `peers-hnswlib-${n}.bin`;

function hnswBuilt(
  index: InstanceType<NonNullable<typeof hnswlib>['HierarchicalNSW']>,
  lib: Omit<Library, 'data'>,
): Built {
  return {
    knob: {
      name: 'ef_search',
      values: [10, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024],
      set: (v) => index.setEfSearch(v),
    },
    search: (q, k) => index.searchKnn(q, k, undefined).neighbors,
    remove(doc) {
      const { first, count } = lib.docs[doc]!;
      for (let r = first; r < first + count; r++) index.markDelete(r);
    },
    async persist() {
      await index.writeIndex(HNSW_FILE(lib.n));
      await syncFileSystem('write');
    },
  };
}

const hnswlibWasm: Engine = {
  approximate: true,
  async build(lib) {
    hnswlib ??= await loadHnswlib();
    // hnswlib's README settings (M = 16, ef_construction = 200); inner product on unit vectors = cosine.
    const index = new hnswlib.HierarchicalNSW('ip', lib.d, '');
    index.initIndex(lib.n, 16, 200, 100);
    for (let r = 0; r < lib.n; r++) index.addPoint(lib.data.subarray(r * lib.d, (r + 1) * lib.d), r, false);
    return hnswBuilt(index, lib);
  },
  async reopen(lib) {
    hnswlib ??= await loadHnswlib();
    await syncFileSystem('read');
    const index = new hnswlib.HierarchicalNSW('ip', lib.d, '');
    await index.readIndex(HNSW_FILE(lib.n), lib.n);
    return hnswBuilt(index, lib);
  },
};

interface VoyGlue {
  __wbg_set_wasm(exports: WebAssembly.Exports): void;
  Voy: new (resource?: { embeddings: { id: string; title: string; url: string; embeddings: number[] }[] }) => Voy;
}
let voyReady: Promise<VoyGlue> | null = null;
const loadVoy = () =>
  (voyReady ??= WebAssembly.instantiateStreaming(fetch(voyWasmUrl), {
    './voy_search_bg.js': voyGlue as WebAssembly.ModuleImports,
  }).then(({ instance }) => {
    (voyGlue as VoyGlue).__wbg_set_wasm(instance.exports);
    return voyGlue as VoyGlue;
  }));

const voy: Engine = {
  approximate: false,
  notPersistent: 'serialises to a string the application must store itself',
  async build(lib) {
    const { Voy } = await loadVoy();
    const { data, d } = lib;
    const resource = (from: number, to: number) => ({
      embeddings: Array.from({ length: to - from }, (_, i) => ({
        id: String(from + i),
        title: '',
        url: '',
        embeddings: Array.from(data.subarray((from + i) * d, (from + i + 1) * d)),
      })),
    });
    // Voy takes its input as JSON text: in slices, since 100k rows in one would pass V8's string limit.
    const index = new Voy();
    for (let r = 0; r < lib.n; r += 5000) index.add(resource(r, Math.min(lib.n, r + 5000)));
    return {
      search: (q, k) => index.search(q, k).neighbors.map((x) => Number(x.id)),
      remove: (doc) => index.remove(resource(lib.docs[doc]!.first, lib.docs[doc]!.first + lib.docs[doc]!.count)),
    };
  },
};

/** PGlite with pgvector: the rows arrive by binary COPY (its fastest way in); exact scan or HNSW. */
function pglite(hnsw: boolean): Engine {
  const name = hnsw ? 'pglite-hnsw' : 'pglite-exact';
  const extensions = { vector: pgvector };
  const ready = (pg: PGlite, lib: Omit<Library, 'data'>): Built => ({
    knob: hnsw
      ? {
          name: 'hnsw.ef_search',
          values: [10, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1000],
          set: async (v) => void (await pg.exec(`SET hnsw.ef_search = ${v}`)),
        }
      : undefined,
    search: async (q, k) =>
      (
        await pg.query<{ id: number }>(`SELECT id FROM items ORDER BY embedding <#> $1::vector LIMIT ${k}`, [
          `[${q.join(',')}]`,
        ])
      ).rows.map((r) => r.id),
    remove: async (doc) =>
      void (await pg.query('DELETE FROM items WHERE id >= $1 AND id < $2', [
        lib.docs[doc]!.first,
        lib.docs[doc]!.first + lib.docs[doc]!.count,
      ])),
    // The built database, as a data-directory dump loaded into an IndexedDB-backed PGlite.
    async persist() {
      const dump = await pg.dumpDataDir('none');
      const stored = await PGlite.create(`idb://${storeName(name, lib.n)}`, { extensions, loadDataDir: dump });
      await stored.close();
    },
  });
  return {
    approximate: hnsw,
    async build(lib) {
      const pg = await PGlite.create({ extensions });
      await pg.exec(
        `CREATE EXTENSION IF NOT EXISTS vector; CREATE TABLE items (id int4 PRIMARY KEY, embedding vector(${lib.d}))`,
      );
      for (let r = 0; r < lib.n; r += 10_000)
        await pg.query(`COPY items FROM '/dev/blob' WITH (FORMAT binary)`, [], {
          blob: copyBinary(lib, r, Math.min(lib.n, r + 10_000)),
        });
      if (hnsw) {
        // pgvector's defaults (m = 16, ef_construction = 64), and room for the graph in memory.
        await pg.exec(`SET maintenance_work_mem = '512MB'; CREATE INDEX ON items USING hnsw (embedding vector_ip_ops)`);
      }
      await pg.exec('ANALYZE items');
      return ready(pg, lib);
    },
    async reopen(lib) {
      const pg = await PGlite.create(`idb://${storeName(name, lib.n)}`, { extensions });
      return ready(pg, lib);
    },
  };
}

/** Rows [from, to) in Postgres's binary COPY format: id int4, embedding as pgvector's binary form. */
function copyBinary({ data, d }: Library, from: number, to: number): Blob {
  const rowBytes = 2 + 4 + 4 + 4 + 4 + 4 * d;
  const buf = new ArrayBuffer(19 + (to - from) * rowBytes + 2);
  const v = new DataView(buf);
  new Uint8Array(buf).set([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00]); // PGCOPY\n\377\r\n\0, flags 0, extension 0
  let o = 19;
  for (let r = from; r < to; r++) {
    v.setInt16(o, 2);
    v.setInt32(o + 2, 4);
    v.setInt32(o + 6, r);
    v.setInt32(o + 10, 4 + 4 * d);
    v.setInt16(o + 14, d);
    v.setInt16(o + 16, 0);
    o += 18;
    for (let j = 0; j < d; j++, o += 4) v.setFloat32(o, data[r * d + j]!);
  }
  v.setInt16(o, -1);
  return new Blob([buf]);
}

let edgevecReady: Promise<unknown> | null = null;
/**
 * edgevec's HNSW index. Its 'dot' and 'cosine' metrics return the farthest vectors first (0.9.0,
 * checked on unit vectors), so it runs on L2, which ranks unit vectors as cosine does. Its
 * FlatIndex takes binary vectors only. Ids are given out from 1 in insertion order: row + 1.
 */
const edgevecHnsw: Engine = (() => {
  const ready = (db: EdgeVec, lib: Omit<Library, 'data'>): Built => {
    // Its search setting (ef_search) is fixed when the index is made; asking for more neighbours
    // and keeping the best k widens the search the same way.
    let fetch = 10;
    return {
      knob: {
        name: 'k_fetched',
        values: [10, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512],
        set: (v) => void (fetch = v),
      },
      search: (q, k) => (db.search(q, Math.max(k, fetch)) as { id: number }[]).slice(0, k).map((h) => h.id - 1),
      remove: (doc) =>
        void db.softDeleteBatch(
          Uint32Array.from({ length: lib.docs[doc]!.count }, (_, i) => lib.docs[doc]!.first + i + 1),
        ),
      persist: () => db.save(storeName('edgevec-hnsw', lib.n)),
    };
  };
  return {
    approximate: true,
    async build(lib) {
      await (edgevecReady ??= initEdgeVec());
      const config = new EdgeVecConfig(lib.d);
      config.metric = 'l2';
      const db = new EdgeVec(config);
      for (let r = 0; r < lib.n; r += 1000)
        db.insertBatchFlat(lib.data.subarray(r * lib.d, Math.min(lib.n, r + 1000) * lib.d), Math.min(1000, lib.n - r));
      return ready(db, lib);
    },
    async reopen(lib) {
      await (edgevecReady ??= initEdgeVec());
      return ready(await EdgeVec.load(storeName('edgevec-hnsw', lib.n)), lib);
    },
  };
})();

const ENGINES: Record<string, Engine> = {
  folio,
  orama,
  'hnswlib-wasm': hnswlibWasm,
  voy,
  'pglite-exact': pglite(false),
  'pglite-hnsw': pglite(true),
  'edgevec-hnsw': edgevecHnsw,
};

// ---- Measuring --------------------------------------------------------------------------------

const QUERIES = 50;
const K = 10;

function recallOf(got: number[][], truth: number[][]): number {
  let hit = 0;
  got.forEach((rows, q) => {
    const want = new Set(truth[q]!.slice(0, K));
    hit += rows.slice(0, K).filter((r) => want.has(r)).length;
  });
  return hit / (K * got.length);
}

async function runAll(built: Built, qs: Float32Array, d: number, timed: boolean) {
  const rows: number[][] = [];
  const times: number[] = [];
  for (let q = 0; q < qs.length / d; q++) {
    const query = qs.slice(q * d, (q + 1) * d);
    const t0 = performance.now();
    rows.push(await built.search(query, K));
    if (timed) times.push(performance.now() - t0);
  }
  return { rows, times };
}

export interface PeerTask {
  engine: string;
  n: number;
  d: number;
  /** Exact top-10 rows of the reported queries and of the tuning queries (computed in Node). */
  truth: number[][];
  tuningTruth: number[][];
  persist: boolean;
  /** For a reopening: the setting `measure` chose. */
  setting?: number;
}

async function measure(task: PeerTask) {
  const engine = ENGINES[task.engine];
  if (!engine) throw new Error(`unknown engine ${task.engine}`);
  const { n, d } = task;
  const lib: Library = { data: libraryVectors(n, d), n, d, docs: libraryDocs(n) };
  const queries = benchQueries(QUERIES, d);
  const tuning = benchQueries(QUERIES, d, true);
  const before = await memoryNow();
  const t0 = performance.now();
  const built = await engine.build(lib);
  const buildMs = performance.now() - t0;
  const after = await memoryNow();
  const memory = after.js - before.js + (after.wasm - before.wasm);
  const wasmMemory = after.wasm - before.wasm;
  // The cheapest setting reaching recall 0.99 on the tuning queries (or the last one tried).
  const tune = async (qs: Float32Array, truth: number[][]) => {
    if (!built.knob) return undefined;
    let chosen = built.knob.values[0]!;
    for (const v of built.knob.values) {
      await built.knob.set((chosen = v));
      if (recallOf((await runAll(built, qs, d, false)).rows, truth) >= 0.99) break;
    }
    return chosen;
  };
  const even = <T>(xs: T[]) => xs.filter((_, q) => q % 2 === 0);
  const odd = <T>(xs: T[]) => xs.filter((_, q) => q % 2 === 1);
  const evenRows = (qs: Float32Array) =>
    Float32Array.from({ length: qs.length / 2 }, (_, i) => qs[Math.floor(i / d) * 2 * d + (i % d)]!);
  // Queries near stored content alone (a peer tuned on those alone), then the whole set (half of it off-distribution).
  const nearSetting = await tune(evenRows(tuning), even(task.tuningTruth));
  // Warm-up for an engine without a setting to tune: the tuning queries a tuned peer runs at least
  // once before it is timed (with five of them Folio's near-query p50 ranged 0.52–1.03 ms over
  // three runs).
  if (!built.knob) await runAll(built, tuning, d, false);
  const nearRun = await runAll(built, evenRows(queries), d, true);
  const setting = await tune(tuning, task.tuningTruth);
  const { rows, times } = await runAll(built, queries, d, true);
  let persistMs: number | undefined;
  if (task.persist && built.persist) {
    const t1 = performance.now();
    await built.persist();
    persistMs = performance.now() - t1;
  }
  let deleteMs: number | undefined;
  let afterDelete: { hits: number; deleted_rows_returned: number } | undefined;
  if (built.remove) {
    const t2 = performance.now();
    await built.remove(0);
    deleteMs = performance.now() - t2;
    // Gone from the answers: a query at one of document 0's own vectors should get k hits, none of them its rows.
    const hits = await built.search(lib.data.slice(0, d), K);
    afterDelete = { hits: hits.length, deleted_rows_returned: hits.filter((r) => r < lib.docs[0]!.count).length };
  }
  return {
    metric: 'search_top10_ms',
    engine: task.engine,
    n,
    p50: round(percentile(times, 50)),
    p95: round(percentile(times, 95)),
    'recall@10': round(recallOf(rows, task.truth), 3),
    'recall@10_near': round(recallOf(even(rows), even(task.truth)), 3),
    'recall@10_far': round(recallOf(odd(rows), odd(task.truth)), 3),
    build_ms: Math.round(buildMs),
    memory_bytes: memory,
    bytes_per_vector: Math.round(memory / n),
    memory_wasm_bytes: wasmMemory,
    approximate: engine.approximate,
    ...(built.knob ? { setting_name: built.knob.name, setting } : {}),
    // The near half on its own, with the setting tuned on near queries alone.
    near_only: {
      ...(built.knob ? { setting: nearSetting } : {}),
      p50: round(percentile(nearRun.times, 50)),
      p95: round(percentile(nearRun.times, 95)),
      'recall@10': round(recallOf(nearRun.rows, even(task.truth)), 3),
    },
    delete_doc_ms: deleteMs === undefined ? null : round(deleteMs),
    after_delete: afterDelete ?? null,
    ...(persistMs !== undefined
      ? { persist_ms: Math.round(persistMs) }
      : task.persist
        ? { persist: engine.notPersistent ?? 'no' }
        : {}),
  };
}

/** In a new page: opens what `measure` persisted and answers one query (the reopening time), then checks recall. */
async function reopen(task: PeerTask) {
  const engine = ENGINES[task.engine]!;
  const { n, d } = task;
  const lib = { n, d, docs: libraryDocs(n) };
  const queries = benchQueries(QUERIES, d);
  const t0 = performance.now();
  const built = await engine.reopen!(lib);
  const first = await built.search(queries.slice(0, d), K);
  const ms = performance.now() - t0;
  if (task.setting !== undefined) await built.knob?.set(task.setting);
  const { rows } = await runAll(built, queries, d, false);
  return {
    metric: 'reopen_first_query_ms',
    engine: task.engine,
    n,
    ms: Math.round(ms),
    first_hits: first.length,
    'recall@10': round(recallOf(rows, task.truth), 3),
  };
}

/** Builds a small index and answers one query: does the engine run at all under this page's policy? */
async function probe(engine: string): Promise<{ result: string; memory_bytes?: number }> {
  const n = 1000;
  const lib: Library = { data: libraryVectors(n, 384), n, d: 384, docs: libraryDocs(n) };
  try {
    const before = await memoryNow();
    const built = await ENGINES[engine]!.build(lib);
    const after = await memoryNow();
    await built.knob?.set(built.knob.values.at(-1)!);
    const ok = (await built.search(lib.data.slice(0, 384), K)).length === K;
    return { result: ok ? 'ok' : 'no results', memory_bytes: after.js - before.js + (after.wasm - before.wasm) };
  } catch (e) {
    return { result: String(e instanceof Error ? e.message : JSON.stringify(e)).split('\n')[0]! };
  }
}

const round = (x: number, digits = 2) => +x.toFixed(digits);

declare global {
  interface Window {
    peers: {
      measure: typeof measure;
      reopen: typeof reopen;
      probe: typeof probe;
      embedSideBySide: (texts: string[]) => Promise<object[]>;
      engines: string[];
    };
    peersReady: boolean;
  }
}

// transformers.js only loads for the embedding comparison, not with every engine's page.
const embedSideBySide = async (texts: string[]) => (await import('./benchEmbed')).embedSideBySide(texts);
/** Engines throw plain objects too (edgevec): made into Errors, so the message reaches Node. */
const plainErrors =
  <A extends unknown[], R>(f: (...a: A) => Promise<R>) =>
  (...a: A) =>
    f(...a).catch((e: unknown) => {
      throw e instanceof Error ? e : new Error(JSON.stringify(e));
    });
window.peers = {
  measure: plainErrors(measure),
  reopen: plainErrors(reopen),
  probe,
  embedSideBySide,
  engines: Object.keys(ENGINES),
};
window.peersReady = true;
