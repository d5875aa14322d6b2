import { describe, expect, test } from 'vitest';
import { TopK, VectorIndex } from '../../src/core/search/vectorIndex';

function rng(seed: number) {
  let x = seed;
  return () => ((x = (x * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
}

function randomUnit(n: number, d: number, seed: number): Float32Array {
  const r = rng(seed);
  const v = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += (v[i * d + j] = r()) ** 2;
    for (let j = 0; j < d; j++) v[i * d + j]! /= Math.sqrt(s);
  }
  return v;
}

describe('VectorIndex', () => {
  const d = 32;
  const a = randomUnit(300, d, 1);
  const b = randomUnit(200, d, 2);
  const q = randomUnit(1, d, 3);

  function brute(sets: [string, Float32Array][], k: number) {
    const all: { docId: string; chunkIndex: number; score: number }[] = [];
    for (const [docId, v] of sets) {
      for (let i = 0; i < v.length / d; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += v[i * d + j]! * q[j]!;
        all.push({ docId, chunkIndex: i, score: s });
      }
    }
    return all.sort((x, y) => y.score - x.score).slice(0, k);
  }

  test('top-k equals a brute-force sort, across growth of the backing arrays', () => {
    const index = new VectorIndex(d, 4);
    index.add('a', a);
    index.add('b', b);
    expect(index.size).toBe(500);
    const got = index.search(q, 10);
    const want = brute([['a', a], ['b', b]], 10);
    expect(got.map((h) => [h.docId, h.chunkIndex])).toEqual(want.map((h) => [h.docId, h.chunkIndex]));
    got.forEach((h, i) => expect(h.score).toBeCloseTo(want[i]!.score, 5));
  });

  test('filters to chosen documents and forgets removed ones', () => {
    const index = new VectorIndex(d);
    index.add('a', a);
    index.add('b', b);
    expect(index.search(q, 5, ['b']).map((h) => h.docId)).toEqual(['b', 'b', 'b', 'b', 'b']);
    index.remove('a');
    expect(index.size).toBe(200);
    expect(index.has('a')).toBe(false);
    expect(index.search(q, 10)).toEqual(brute([['b', b]], 10).map((h) => ({ ...h, score: expect.closeTo(h.score, 5) })));
    index.add('c', a);
    expect(index.search(q, 1)[0]!.docId).toBe(brute([['b', b], ['c', a]], 1)[0]!.docId);
  });

  test('rejects vectors of the wrong size', () => {
    const index = new VectorIndex(d);
    expect(() => index.add('x', new Float32Array(d + 1))).toThrow(RangeError);
    expect(() => index.search(new Float32Array(d - 1), 3)).toThrow(RangeError);
  });

  test('TopK keeps the k largest in descending order', () => {
    const t = new TopK(3);
    [5, 1, 9, 7, 3, 9.5, 0].forEach((s, i) => t.push(s, i));
    expect(t.sorted()).toEqual([[9.5, 5], [9, 2], [7, 3]]);
  });
});

describe('VectorIndex above the approximate threshold (bit codes + exact rescoring)', () => {
  const d = 128; // whole SIMD blocks (4 code words), so the WebAssembly kernels run
  /** Clustered, off-centre unit vectors: the shape sentence embeddings have. */
  function clustered(n: number, seed: number): Float32Array {
    const r = rng(seed);
    const gauss = () => Math.sqrt(-2 * Math.log((r() + 1) / 2 + 1e-12)) * Math.cos(Math.PI * (r() + 1));
    const centres = Array.from({ length: 40 }, () => Float32Array.from({ length: d }, gauss));
    const bias = Float32Array.from({ length: d }, () => gauss() * 0.6);
    const v = new Float32Array(n * d);
    for (let i = 0; i < n; i++) {
      const c = centres[Math.floor(((r() + 1) / 2) * 40) % 40]!;
      let s = 0;
      for (let j = 0; j < d; j++) s += (v[i * d + j] = c[j]! + 0.9 * gauss() + bias[j]!) ** 2;
      for (let j = 0; j < d; j++) v[i * d + j]! /= Math.sqrt(s);
    }
    return v;
  }
  const docs = Array.from({ length: 10 }, (_, i) => clustered(600, 10 + i));
  const queries = Array.from({ length: 20 }, (_, i) => {
    const src = docs[i % 10]!;
    const q = src.slice(((i * 37) % 600) * d, ((i * 37) % 600 + 1) * d);
    q[0]! += 0.05;
    return q;
  });

  function build() {
    const index = new VectorIndex(d, 16, { approximateAbove: 1000 });
    docs.forEach((v, i) => index.add(`doc${i}`, v));
    return index;
  }
  const ids = (hits: { docId: string; chunkIndex: number }[]) => hits.map((h) => `${h.docId}:${h.chunkIndex}`);

  test('recall@10 against exact search is at least 0.99, with exact scores for what it returns', () => {
    const index = build();
    let found = 0;
    for (const q of queries) {
      const exact = index.search(q, 10, undefined, { exact: true });
      const approx = index.search(q, 10);
      const truth = new Set(ids(exact));
      found += ids(approx).filter((x) => truth.has(x)).length;
      for (const h of approx) {
        const e = index.search(q, 6000, undefined, { exact: true }).find((x) => x.docId === h.docId && x.chunkIndex === h.chunkIndex)!;
        expect(h.score).toBeCloseTo(e.score, 6);
      }
    }
    expect(found / (queries.length * 10)).toBeGreaterThanOrEqual(0.99);
  });

  test('removal and document filters hold in the approximate path too', () => {
    const index = build();
    index.search(queries[0]!, 10); // builds the codes
    index.remove('doc3');
    index.add('late', docs[3]!); // rows added after the codes were made get codes too
    for (const q of queries) {
      const approx = index.search(q, 10);
      expect(approx.some((h) => h.docId === 'doc3')).toBe(false);
      const truth = new Set(ids(index.search(q, 10, undefined, { exact: true })));
      expect(ids(approx).filter((x) => truth.has(x)).length).toBeGreaterThanOrEqual(9);
      const two = index.search(q, 5, ['doc1', 'late']);
      expect(two.every((h) => h.docId === 'doc1' || h.docId === 'late')).toBe(true);
      // One document is 600 rows, under the threshold: scored exactly, so identical to exact search.
      expect(ids(index.search(q, 5, ['doc1']))).toEqual(ids(index.search(q, 5, ['doc1'], { exact: true })));
    }
  });
});

describe('WASM SIMD kernels', () => {
  test('Hamming distances, candidate dot products, full scans, centre and codes match the JavaScript loops and a plain popcount, across growth', async () => {
    const { VectorArena } = await import('../../src/core/search/vectorArena');
    expect(new VectorArena(40, 2, 8).simd).toBe(false); // not whole SIMD blocks: the JavaScript path
    const d = 384;
    const W = 12;
    const simd = new VectorArena(d, W, 16);
    const js = new VectorArena(d, W, 16, false);
    expect(simd.simd).toBe(true);
    expect(js.simd).toBe(false);
    const r = rng(5);
    const word = () => Math.floor(((r() + 1) / 2) * 2 ** 32) >>> 0;
    const pop = (x: number) => x.toString(2).split('').filter((b) => b === '1').length;
    let rows = 0;
    for (const more of [1000, 69_000]) {
      const codes = Uint32Array.from({ length: more * W }, word);
      const vectors = randomUnit(more, d, more);
      for (const a of [simd, js]) {
        a.reserve(rows + more, rows, rows); // the earlier rows must survive the move
        a.codes.set(codes, rows * W);
        a.data.set(vectors, rows * d);
      }
      rows += more;
      const queryCode = Uint32Array.from({ length: W }, word);
      const query = randomUnit(1, d, 77 + rows);
      for (const a of [simd, js]) {
        a.queryCode.set(queryCode);
        a.query.set(query);
        a.hamming(rows);
      }
      for (let i = 0; i < rows; i++) {
        let h = 0;
        for (let w = 0; w < W; w++) h += pop((simd.codes[i * W + w]! ^ queryCode[w]!) >>> 0);
        if (simd.distance[i] !== h || js.distance[i] !== h) throw new Error(`row ${i}: ${simd.distance[i]}, ${js.distance[i]} vs ${h}`);
      }
      const picks = Int32Array.from({ length: 500 }, (_, i) => (i * 7919) % rows);
      for (const a of [simd, js]) {
        a.list.set(picks);
        a.dots(picks.length);
      }
      for (let i = 0; i < picks.length; i++) {
        let exact = 0;
        for (let j = 0; j < d; j++) exact += simd.data[picks[i]! * d + j]! * query[j]!;
        expect(simd.scores[i]).toBeCloseTo(exact, 5);
        expect(js.scores[i]).toBeCloseTo(exact, 5);
      }
      const scanned = [simd, js].map((a) => {
        a.scan(rows);
        return a.scores.slice(0, rows);
      });
      for (const i of picks) expect(scanned[0]![i]).toBeCloseTo(scanned[1]![i]!, 5);
      // Centre: the mean, within float rounding. Codes: identical for the same centre.
      simd.computeCentre(rows);
      js.computeCentre(rows);
      for (let j = 0; j < d; j++) expect(simd.centre[j]).toBeCloseTo(js.centre[j]!, 5);
      js.centre.set(simd.centre);
      for (const a of [simd, js]) {
        a.encodeRows(0, rows);
        a.encodeQuery();
      }
      expect(simd.codes.subarray(0, rows * W).findIndex((x, i) => x !== js.codes[i])).toBe(-1);
      expect(simd.queryCode).toEqual(js.queryCode);
      expect(simd.codes[5 * W]! & 1).toBe(simd.data[5 * d]! > simd.centre[0]! ? 1 : 0);
    }
  });
});
