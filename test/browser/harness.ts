/**
 * Built only for the browser tests (FOLIO_TEST_HARNESS=1): exposes the same main-thread client
 * the app uses, so tests drive the real worker, IndexedDB and transformers.js through it.
 */
import { openLibraryInWorker, type RemoteLibrary } from '../../src/client/library';
import { VectorIndex } from '../../src/core';
import { encryptedPdf, randomBytes, scannedPdf, truncated } from '../../scripts/lib/pdf';
import { engineHarness } from './engineHarness';

async function fixture(rel: string): Promise<File> {
  const res = await fetch(`/fixtures/${rel}`);
  if (!res.ok) throw new Error(`fixture ${rel}: HTTP ${res.status}`);
  return new File([await res.arrayBuffer()], rel.split('/').pop()!);
}

/**
 * `rows` clustered, off-centre 384-d unit vectors (the shape sentence embeddings have) in documents
 * of 1,000 rows, coded past 2,000 rows; 25 queries near stored rows and 25 unlike any: recall@10
 * of the approximate search against a brute-force float top 10, the rows it scored, and the kernels that ran.
 */
function vectorRecall(rows: number) {
  const d = 384;
  let x = 7;
  const r = () => ((x = (x * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  const gauss = () => Math.sqrt(-2 * Math.log((r() + 1) / 2 + 1e-12)) * Math.cos(Math.PI * (r() + 1));
  const unit = (v: Float32Array) => {
    const n = Math.hypot(...v);
    return v.map((a) => a / n);
  };
  const centres = Array.from({ length: 60 }, () => Float32Array.from({ length: d }, gauss));
  const bias = Float32Array.from({ length: d }, () => gauss() * 0.6);
  const all = new Float32Array(rows * d);
  for (let i = 0; i < rows; i++) {
    const c = centres[Math.floor(((r() + 1) / 2) * 60) % 60]!;
    all.set(unit(Float32Array.from({ length: d }, (_, j) => c[j]! + 0.9 * gauss() + bias[j]!)), i * d);
  }
  const index = new VectorIndex(d, 1024, { approximateAbove: 2000 });
  for (let doc = 0; doc * 1000 < rows; doc++) index.add(`doc${doc}`, all.slice(doc * 1000 * d, (doc + 1) * 1000 * d));
  const truth = (q: Float32Array) => {
    const scores: [number, string][] = [];
    for (let i = 0; i < rows; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += all[i * d + j]! * q[j]!;
      scores.push([s, `doc${Math.floor(i / 1000)}:${i % 1000}`]);
    }
    return new Set(
      scores
        .sort((a, b) => b[0] - a[0])
        .slice(0, 10)
        .map(([, id]) => id),
    );
  };
  // Recall, and the most rows any query scored from int8 codes: the bit-code estimate picked them.
  const recall = (qs: Float32Array[]) => {
    let found = 0;
    let scored = 0;
    for (const q of qs) {
      const want = truth(q);
      found += index.search(q, 10).filter((h) => want.has(`${h.docId}:${h.chunkIndex}`)).length;
      scored = Math.max(scored, index.lastProbe.scored);
    }
    return { recall: found / (qs.length * 10), scored };
  };
  const near = Array.from({ length: 25 }, (_, i) => {
    const q = all.slice(((i * 7919) % rows) * d, (((i * 7919) % rows) + 1) * d);
    for (let j = 0; j < d; j++) q[j]! += 0.02 * gauss();
    return unit(q);
  });
  const off = Array.from({ length: 25 }, () => unit(Float32Array.from({ length: d }, gauss)));
  return { kernels: index.kernels, size: index.size, near: recall(near), off: recall(off) };
}

declare global {
  interface Window {
    folio: typeof folio;
    lib?: RemoteLibrary;
    harnessReady: boolean;
  }
}

const folio = {
  openLibraryInWorker,
  fixture,
  generate: { encryptedPdf, randomBytes, scannedPdf, truncated },
  /** Answer engines (test/browser/engineHarness.ts). */
  engines: engineHarness,
  /** The vector index's approximate search as this browser runs it (its WebAssembly), against the floats. */
  vectorRecall,
  /** Plain-data view of an outcome list, for asserting from the test. */
  summarize: (outcomes: Awaited<ReturnType<RemoteLibrary['addFiles']>>) =>
    outcomes.map((o) => ({
      file: o.file,
      status: o.status,
      code: o.status === 'added' ? undefined : o.error.code,
      message: o.status === 'added' ? undefined : o.error.message,
    })),
};

window.folio = folio;
window.harnessReady = true;
