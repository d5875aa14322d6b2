/**
 * The generated vectors and queries of the search benchmarks (bench.ts, benchPeers.ts and the
 * Node side, scripts/bench/peers.ts): one definition, so every engine is measured on the same data.
 */

/** Clustered, off-centre unit vectors (the shape sentence embeddings have), deterministic. */
export function generate(n: number, d: number, seed: number): Float32Array {
  let x = seed >>> 0 || 1;
  const rnd = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32;
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

/** The benchmark's library: `n` vectors in 100 documents of equal size, document i drawn with seed i + 1. */
export function libraryDocs(n: number, docs = 100): { first: number; count: number; seed: number }[] {
  const per = Math.ceil(n / docs);
  const out = [];
  for (let i = 0; i < docs && i * per < n; i++)
    out.push({ first: i * per, count: Math.min(per, n - i * per), seed: i + 1 });
  return out;
}

/** All of the library's vectors in one array, rows in document order. */
export function libraryVectors(n: number, d: number): Float32Array {
  const all = new Float32Array(n * d);
  for (const doc of libraryDocs(n)) all.set(generate(doc.count, d, doc.seed), doc.first * d);
  return all;
}

/**
 * Queries, unit length. Even ones lie near stored content (a question about something in the
 * library: a stored vector plus noise); odd ones come from clusters (and an offset) the library
 * does not have, the hard case: their seeds are above every document's (1 to 100). `tuning` draws
 * a second set from other seeds (for choosing a peer's search setting, kept apart from the
 * queries reported on).
 */
export function benchQueries(queries: number, d: number, tuning = false): Float32Array {
  const near = generate(queries, d, tuning ? 5 : 3); // seed of document 2 (or 4): its vectors, re-drawn
  const noise = generate(queries, d, tuning ? 998 : 999);
  // Seed 7 until 2026-11: that is document 6's seed, so those "far" queries were its vectors plus noise.
  const far = generate(queries, d, tuning ? 1011 : 1007);
  const qs = new Float32Array(queries * d);
  for (let q = 0; q < queries; q++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const v = q % 2 === 0 ? near[q * d + j]! + 0.3 * noise[q * d + j]! : far[q * d + j]! + 0.2 * noise[q * d + j]!;
      qs[q * d + j] = v;
      s += v * v;
    }
    for (let j = 0; j < d; j++) qs[q * d + j]! /= Math.sqrt(s);
  }
  return qs;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}
