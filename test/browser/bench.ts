/**
 * Built only for benchmarks and tests (FOLIO_TEST_HARNESS=1). Measures the core's vector search
 * in the page itself, on generated vectors shaped like sentence embeddings.
 */
import { VectorIndex } from '../../src/core/search/vectorIndex';

/** Clustered, off-centre unit vectors (the shape sentence embeddings have), deterministic. */
function generate(n: number, d: number, seed: number): Float32Array {
  let x = seed >>> 0 || 1;
  const rnd = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const gauss = () => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
  const clusters = 500;
  const centres = new Float32Array(clusters * d).map(gauss);
  const bias = new Float32Array(d).map(() => gauss() * 0.6);
  const v = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(rnd() * clusters) * d;
    let s = 0;
    for (let j = 0; j < d; j++) s += (v[i * d + j] = centres[c + j]! + 0.9 * gauss() + bias[j]!) ** 2;
    s = Math.sqrt(s);
    for (let j = 0; j < d; j++) v[i * d + j]! /= s;
  }
  return v;
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

async function searchBench(n: number, d = 384, queries = 50) {
  const docs = 100;
  const per = Math.ceil(n / docs);
  const index = new VectorIndex(d, n);
  for (let i = 0; i < docs && i * per < n; i++) index.add(`doc${i}`, generate(Math.min(per, n - i * per), d, i + 1));
  // Queries near stored vectors (a question about something in the library), slightly perturbed.
  const qs = generate(queries, d, 999).map((x, i) => x * 0.2);
  const sample = generate(queries, d, 7);
  for (let i = 0; i < queries * d; i++) qs[i] = qs[i]! + sample[i]!;
  const times: number[] = [];
  let recall = 0;
  index.search(qs.subarray(0, d), 10); // builds the bit codes once, outside the timing
  for (let q = 0; q < queries; q++) {
    const query = qs.subarray(q * d, (q + 1) * d);
    const t0 = performance.now();
    const got = index.search(query, 10);
    times.push(performance.now() - t0);
    if (q < 20) {
      const truth = new Set(index.search(query, 10, undefined, { exact: true }).map((h) => `${h.docId}:${h.chunkIndex}`));
      recall += got.filter((h) => truth.has(`${h.docId}:${h.chunkIndex}`)).length / 10;
    }
  }
  const exactTimes: number[] = [];
  for (let q = 0; q < 5; q++) {
    const t0 = performance.now();
    index.search(qs.subarray(q * d, (q + 1) * d), 10, undefined, { exact: true });
    exactTimes.push(performance.now() - t0);
  }
  return {
    metric: 'search_top10_ms',
    n,
    dims: d,
    p50: +percentile(times, 50).toFixed(2),
    p95: +percentile(times, 95).toFixed(2),
    'recall@10': +(recall / Math.min(20, queries)).toFixed(3),
    exact_scan_p50: +percentile(exactTimes, 50).toFixed(1),
    memory_mb: +(index.memoryBytes / 2 ** 20).toFixed(1),
  };
}

declare global {
  interface Window {
    bench: { searchBench: typeof searchBench };
    benchReady: boolean;
  }
}
window.bench = { searchBench };
window.benchReady = true;
