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
    const want = brute(
      [
        ['a', a],
        ['b', b],
      ],
      10,
    );
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
    expect(index.search(q, 10)).toEqual(
      brute([['b', b]], 10).map((h) => ({ ...h, score: expect.closeTo(h.score, 5) })),
    );
    index.add('c', a);
    expect(index.search(q, 1)[0]!.docId).toBe(
      brute(
        [
          ['b', b],
          ['c', a],
        ],
        1,
      )[0]!.docId,
    );
  });

  test('rejects vectors of the wrong size', () => {
    const index = new VectorIndex(d);
    expect(() => index.add('x', new Float32Array(d + 1))).toThrow(RangeError);
    expect(() => index.search(new Float32Array(d - 1), 3)).toThrow(RangeError);
  });

  test('TopK keeps the k largest in descending order', () => {
    const t = new TopK(3);
    [5, 1, 9, 7, 3, 9.5, 0].forEach((s, i) => t.push(s, i));
    expect(t.sorted()).toEqual([
      [9.5, 5],
      [9, 2],
      [7, 3],
    ]);
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
    const q = src.slice(((i * 37) % 600) * d, (((i * 37) % 600) + 1) * d);
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
        const e = index
          .search(q, 6000, undefined, { exact: true })
          .find((x) => x.docId === h.docId && x.chunkIndex === h.chunkIndex)!;
        expect(h.score).toBeCloseTo(e.score, 6);
      }
    }
    expect(found / (queries.length * 10)).toBeGreaterThanOrEqual(0.99);
  });

  test('queries far from every stored vector (off-distribution) still find their exact top 10', () => {
    const index = build();
    const far = randomUnit(20, d, 4242); // uniform directions: no cluster and not the stored vectors' offset
    let found = 0;
    for (let i = 0; i < 20; i++) {
      const q = far.subarray(i * d, (i + 1) * d);
      const truth = new Set(ids(index.search(q, 10, undefined, { exact: true })));
      found += ids(index.search(q, 10)).filter((x) => truth.has(x)).length;
    }
    expect(found / 200).toBeGreaterThanOrEqual(0.99);
  });

  test('removing a document re-makes the codes of the rows that moved (no rebuild of the rest)', () => {
    const index = build();
    const q = queries[7]!;
    const before = index.search(q, 10).filter((h) => h.docId !== 'doc0');
    index.remove('doc0'); // the first 600 rows: every later row moves down
    const after = index.search(q, 10);
    expect(after.some((h) => h.docId === 'doc0')).toBe(false);
    // The same answers as before, minus doc0's rows, and as exact search gives them.
    expect(ids(after).slice(0, before.length)).toEqual(ids(before));
    expect(ids(after)).toEqual(ids(index.search(q, 10, undefined, { exact: true })));
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
  test('estimates, fine codes, candidate dot products, full scans, centre and codes match the JavaScript loops and their definitions, across growth', async () => {
    const { VectorArena } = await import('../../src/core/search/vectorArena');
    expect(new VectorArena(40, 8).simd).toBe(false); // not whole 32-dimension steps: the JavaScript path
    const d = 384;
    const B = d / 8;
    const simd = new VectorArena(d, 16);
    const js = new VectorArena(d, 16, false);
    expect(simd.simd).toBe(true);
    expect(js.simd).toBe(false);
    const codeAt = (r: number, j: number) => (r - (r % 16)) * B + (r % 16) + 16 * j; // 16 rows to a block
    let rows = 0;
    for (const more of [1000, 69_003]) {
      const vectors = randomUnit(more, d, more);
      for (const a of [simd, js]) {
        a.reserve(rows + more, rows, rows); // the earlier rows (and their codes) must survive the move
        a.data.set(vectors, rows * d);
      }
      rows += more;
      // Centre: the mean, within float rounding. Codes: identical for the same centre, and as defined.
      simd.computeCentre(rows);
      js.computeCentre(rows);
      for (let j = 0; j < d; j++) expect(simd.centre[j]).toBeCloseTo(js.centre[j]!, 5);
      js.centre.set(simd.centre);
      for (const a of [simd, js]) {
        a.computeSpread(rows);
        a.encodeRows(0, rows);
        a.quantizeRows(0, rows);
      }
      expect(simd.codes.subarray(0, rows * B).findIndex((x, i) => x !== js.codes[i])).toBe(-1);
      expect(simd.fine.subarray(0, (rows * d) / 2).findIndex((x, i) => x !== js.fine[i])).toBe(-1);
      for (const r of [0, 5, 17, rows - 1]) {
        for (const j of [0, 7, 200, d - 1]) {
          expect((simd.codes[codeAt(r, j >> 3)]! >> (j & 7)) & 1).toBe(simd.data[r * d + j]! > simd.centre[j]! ? 1 : 0);
          // Fine code: 16 steps over low … low + 16 / inv, clamped; dimension 32c + i in byte 16c + i, + 16 in its high nibble.
          const c = j >> 5;
          const i = j & 15;
          const byte = simd.fine[(r * d) / 2 + 16 * c + i]!;
          const u = j & 16 ? byte >> 4 : byte & 15;
          const want = Math.min(15, Math.max(0, Math.floor((simd.data[r * d + j]! - simd.low[j]!) * simd.inv[j]!)));
          expect(Math.abs(u - want)).toBeLessThanOrEqual(want === 0 || want === 15 ? 0 : 1); // float rounding at a step's edge
        }
      }
      const query = randomUnit(1, d, 77 + rows);
      for (const a of [simd, js]) {
        a.query.set(query);
        a.setQuery();
        a.estimate(rows);
      }
      for (let r = 0; r < rows; r++) {
        let s = 0;
        for (let j = 0; j < B; j++) {
          const x = simd.codes[codeAt(r, j)]!;
          s += simd.lut[j * 32 + (x & 15)]! + simd.lut[j * 32 + 16 + (x >> 4)]!;
        }
        if (simd.distance[r] !== simd.offset - s || js.distance[r] !== simd.offset - s)
          throw new Error(`row ${r}: ${simd.distance[r]}, ${js.distance[r]} vs ${simd.offset - s}`);
      }
      // The table: entry v of nibble n is Σ ±q over its four dimensions, scaled to at most 31.
      const raw = (n: number, v: number) =>
        [0, 1, 2, 3].reduce((t, k) => t + (v & (1 << k) ? query[4 * n + k]! : -query[4 * n + k]!), 0);
      const scale = 31 / Math.max(...Array.from({ length: 2 * B * 16 }, (_, i) => Math.abs(raw(i >> 4, i & 15))));
      expect(simd.lut[2 * 32 + 16 + 9]).toBe(Math.round(raw(5, 9) * scale));
      const picks = Int32Array.from({ length: 501 }, (_, i) => (i * 7919) % rows); // not a multiple of 4
      for (const a of [simd, js]) {
        a.list.set(picks);
        a.fineEstimates(picks.length);
      }
      for (let i = 0; i < picks.length; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) {
          const byte = simd.fine[(picks[i]! * d) / 2 + 16 * (j >> 5) + (j & 15)]!;
          s += (j & 16 ? byte >> 4 : byte & 15) * simd.weights[j]!;
        }
        if (simd.fineScores[i] !== s || js.fineScores[i] !== s)
          throw new Error(`pick ${i}: ${simd.fineScores[i]}, ${js.fineScores[i]} vs ${s}`);
      }
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
    }
  });
});
