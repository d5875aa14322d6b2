import { describe, expect, test, vi } from 'vitest';
import { mixTopics, topicQueries } from '../../scripts/lib/topics';
import { InvertedLists } from '../../src/core/search/invertedLists';
import { VectorArena } from '../../src/core/search/vectorArena';
import { evenSample, TopK, VectorIndex } from '../../src/core/search/vectorIndex';

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

  /** The float top 10 of every stored vector, by brute force. */
  function floatTop(q: Float32Array, sets: [string, Float32Array][], k = 10) {
    const all: { id: string; score: number }[] = [];
    for (const [docId, v] of sets)
      for (let r = 0; r < v.length / d; r++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += v[r * d + j]! * q[j]!;
        all.push({ id: `${docId}:${r}`, score: s });
      }
    return all.sort((a, b) => b.score - a.score).slice(0, k);
  }

  test('past the threshold rows are held as codes: recall@10 against the floats ≥ 0.99 and scores within 10⁻³ of them, fitted at the threshold or calibrated up front', () => {
    const sets = docs.map((v, i) => [`doc${i}`, v] as [string, Float32Array]);
    const grown = build(); // fitted on the first rows when the threshold was passed
    const calibrated = new VectorIndex(d, 6000, { approximateAbove: 1000 });
    calibrated.calibrate(evenSample(docs, d), 6000);
    docs.forEach((v, i) => calibrated.add(`doc${i}`, v));
    const far = randomUnit(20, d, 4242);
    for (const index of [grown, calibrated]) {
      let found = 0;
      let worst = 0;
      const qs = [...queries, ...Array.from({ length: 20 }, (_, i) => far.subarray(i * d, (i + 1) * d))];
      for (const q of qs) {
        const truth = new Map(floatTop(q, sets).map((h) => [h.id, h.score]));
        const got = index.search(q, 10);
        for (const h of got) {
          const exact = truth.get(`${h.docId}:${h.chunkIndex}`);
          if (exact === undefined) continue;
          found++;
          worst = Math.max(worst, Math.abs(h.score - exact));
        }
      }
      expect(found / (qs.length * 10)).toBeGreaterThanOrEqual(0.99);
      expect(worst).toBeLessThan(1e-3);
    }
  });

  test('the JavaScript path (40 dimensions: not whole 64s) codes past the threshold too, as exactly', () => {
    const dims = 40;
    const v = randomUnit(8000, dims, 5);
    const index = new VectorIndex(dims, 16, { approximateAbove: 1000 });
    for (let i = 0; i < 8; i++) index.add(`d${i}`, v.subarray(i * 1000 * dims, (i + 1) * 1000 * dims));
    expect(index.memoryBytes).toBeLessThan(8000 * dims * 4); // the floats are gone
    const noise = randomUnit(20, dims, 6);
    let found = 0;
    for (let q = 0; q < 20; q++) {
      const query = v.slice(q * 397 * dims, (q * 397 + 1) * dims).map((x, j) => x + 0.1 * noise[q * dims + j]!);
      const all: { id: string; score: number }[] = [];
      for (let r = 0; r < 8000; r++) {
        let s = 0;
        for (let j = 0; j < dims; j++) s += v[r * dims + j]! * query[j]!;
        all.push({ id: `d${Math.floor(r / 1000)}:${r % 1000}`, score: s });
      }
      const truth = new Map(
        all
          .sort((a, b) => b.score - a.score)
          .slice(0, 10)
          .map((h) => [h.id, h.score]),
      );
      for (const h of index.search(query, 10)) {
        const exact = truth.get(`${h.docId}:${h.chunkIndex}`);
        if (exact === undefined) continue;
        found++;
        expect(Math.abs(h.score - exact)).toBeLessThan(1e-3);
      }
    }
    expect(found / 200).toBeGreaterThanOrEqual(0.99);
  });

  test('calibrating an index already coded keeps its fit (its codes were made with it)', () => {
    const index = build();
    const before = index.search(queries[3]!, 10);
    index.calibrate(
      randomUnit(500, d, 7).map((x) => x * 5 + 1),
      6000,
    ); // a fit far off these rows
    expect(index.search(queries[3]!, 10)).toEqual(before);
  });

  test('a calibrated 384-d index holds at most 600 bytes per vector (no floats)', () => {
    const n = 20_000;
    const dims = 384;
    const vectors = randomUnit(n, dims, 99);
    const index = new VectorIndex(dims, n);
    index.calibrate(evenSample([vectors], dims), n);
    for (let i = 0; i < n; i += 1000) index.add(`doc${i}`, vectors.subarray(i * dims, (i + 1000) * dims));
    index.prepare();
    expect(index.memoryBytes / n).toBeLessThanOrEqual(600);
    expect(index.memoryBytes).toBeLessThan(n * dims * 4 * 0.4); // under 40% of the floats alone
    expect(index.search(vectors.subarray(0, dims), 1)[0]).toMatchObject({ docId: 'doc0', chunkIndex: 0 });
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

  test('a hundred asked (the depth hybrid search asks for): no row twice, none outside the filter, the exact top 100', () => {
    // 6,000 rows leave fewer unscored rows than a second batch of 64·k asks for: it once took the
    // distance no estimate has, listing rows already scored and rows filtered out (and, at a
    // capacity of exactly the rows, wrote past the candidates' room).
    const more = Array.from({ length: 10 }, (_, i) => clustered(600, 100 + i));
    const exactly = new VectorIndex(d, 6000, { approximateAbove: 1000 });
    docs.forEach((v, i) => exactly.add(`doc${i}`, v));
    const twelve = new VectorIndex(d, 12_000, { approximateAbove: 1000 });
    [...docs, ...more].forEach((v, i) => twelve.add(`doc${i}`, v));
    const half = Array.from({ length: 10 }, (_, i) => `doc${2 * i}`);
    for (const [index, documents] of [
      [build(), undefined],
      [exactly, undefined],
      [twelve, half],
    ] as const) {
      let found = 0;
      for (const q of queries) {
        const got = ids(index.search(q, 100, documents));
        expect(new Set(got).size).toBe(got.length);
        if (documents) expect(got.every((x) => documents.includes(x.split(':')[0]!))).toBe(true);
        const truth = new Set(ids(index.search(q, 100, documents, { exact: true })));
        found += got.filter((x) => truth.has(x)).length;
        expect(index.lastProbe.scored).toBeLessThanOrEqual(index.size);
      }
      expect(found / (queries.length * 100)).toBeGreaterThanOrEqual(0.99);
    }
  });

  test('a search without lists estimates each bit code once', () => {
    const index = build();
    index.search(queries[0]!, 10); // builds the codes
    // It once took its own probe of every row for "most lists reached" and searched again from scratch.
    const estimate = vi.spyOn(VectorArena.prototype, 'estimateRange');
    try {
      for (const q of queries) {
        estimate.mockClear();
        index.search(q, 10);
        const blocks = estimate.mock.calls.reduce((n, [from, to]) => n + Math.ceil(to / 16) - Math.floor(from / 16), 0);
        expect(blocks).toBe(Math.ceil(index.size / 16));
      }
    } finally {
      estimate.mockRestore();
    }
  });
});

describe('WASM SIMD kernels', () => {
  test('estimates, int8 codes and their rests, bit codes, coded and float dot products match the JavaScript loops and their definitions, across growth', async () => {
    const { VectorArena } = await import('../../src/core/search/vectorArena');
    expect(new VectorArena(40, 8).simd).toBe(false); // not whole 64-dimension steps: the JavaScript path
    const d = 384;
    const B = d / 8;
    const simd = new VectorArena(d, 16, 16);
    const js = new VectorArena(d, 16, 16, false);
    expect(simd.simd).toBe(true);
    expect(js.simd).toBe(false);
    const codeAt = (r: number, j: number) => (r - (r % 16)) * B + (r % 16) + 16 * j; // 16 rows to a block
    let rows = 0;
    for (const more of [1000, 9003]) {
      const vectors = randomUnit(more, d, more);
      for (const a of [simd, js]) {
        // The earlier rows (codes, rests, scales, bit codes) must survive the move.
        a.reserve(rows + more, more, { floats: 0, coded: rows, bits: rows });
        a.floats.set(vectors);
        if (!rows) a.fit(vectors, more);
        a.quantize(more, rows);
      }
      rows += more;
      for (const a of [simd, js]) a.signs(0, rows);
      expect(simd.coded.subarray(0, rows * d).findIndex((x, i) => x !== js.coded[i])).toBe(-1);
      expect(simd.rest.subarray(0, rows * 96).findIndex((x, i) => x !== js.rest[i])).toBe(-1);
      expect(simd.rowScale.subarray(0, rows).findIndex((x, i) => x !== js.rowScale[i])).toBe(-1);
      expect(simd.codes.subarray(0, rows * B).findIndex((x, i) => x !== js.codes[i])).toBe(-1);
      for (const r of [0, 5, 17, rows - 1]) {
        const at = rows - more <= r ? r - (rows - more) : -1; // its floats still in the float region
        const y = (j: number) => (vectors[at * d + j]! - simd.centre[j]!) * simd.inv[j]!;
        const max = at < 0 ? 0 : Math.max(...Array.from({ length: d }, (_, j) => Math.abs(y(j))));
        if (at >= 0) expect(simd.rowScale[r]).toBeCloseTo(max / 127, 6);
        for (const j of [0, 7, 16, 40, 200, d - 1]) {
          const u = simd.coded[r * d + j]!;
          expect((simd.codes[codeAt(r, j >> 3)]! >> (j & 7)) & 1).toBe(u > 0 ? 1 : 0);
          if (at < 0) continue;
          // u = the nearest step to y; the rest v says where y lies within it, in quarters.
          const exact = (y(j) * 127) / max;
          expect(Math.abs(u - exact)).toBeLessThanOrEqual(0.5 + 1e-4);
          const v = (simd.rest[r * 96 + (j >> 6) * 16 + (j & 15)]! >> (2 * ((j >> 4) & 3))) & 3;
          expect(Math.abs(u + (2 * v - 3) / 8 - exact)).toBeLessThanOrEqual(0.125 + 1e-4);
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
      // The table: entry v of nibble n is Σ ±q_j / inv_j over its four dimensions, scaled to at most 31.
      const w = (j: number) => query[j]! / simd.inv[j]!;
      const raw = (n: number, v: number) =>
        [0, 1, 2, 3].reduce((t, k) => t + (v & (1 << k) ? w(4 * n + k) : -w(4 * n + k)), 0);
      const scale = 31 / Math.max(...Array.from({ length: 2 * B * 16 }, (_, i) => Math.abs(raw(i >> 4, i & 15))));
      expect(simd.lut[2 * 32 + 16 + 9]).toBe(Math.round(raw(5, 9) * scale));
      const picks = Int32Array.from({ length: 501 }, (_, i) => (i * 7919) % rows); // not a multiple of 4
      for (const a of [simd, js]) {
        a.list.set(picks);
        a.codedDots(picks.length);
      }
      const base = query.reduce((t, q, j) => t + q * simd.centre[j]!, 0);
      for (let i = 0; i < picks.length; i++) {
        const r = picks[i]!;
        let s = 0;
        for (let j = 0; j < d; j++) s += simd.weights[j]! * simd.coded[r * d + j]!;
        if (simd.scores[i] !== js.scores[i]) throw new Error(`pick ${i}: ${simd.scores[i]} vs ${js.scores[i]}`);
        // The int8 score: the centre's part plus the row's code scaled back, in the weights' unit.
        const unit = Math.max(...Array.from({ length: d }, (_, j) => Math.abs(w(j)))) / 32767;
        expect(simd.scores[i]).toBeCloseTo(base + simd.rowScale[r]! * s * unit, 4);
        // Refined with the rests: the row's dot product with the query as the codes give it.
        let refined = base;
        for (let j = 0; j < d; j++) {
          const v = (simd.rest[r * 96 + (j >> 6) * 16 + (j & 15)]! >> (2 * ((j >> 4) & 3))) & 3;
          refined += w(j) * simd.rowScale[r]! * (simd.coded[r * d + j]! + (2 * v - 3) / 8);
        }
        expect(simd.refine(r)).toBeCloseTo(refined, 6);
        expect(js.refine(r)).toBe(simd.refine(r));
      }
      // The same over a list of rows, in the kernel's float32 sums.
      for (const a of [simd, js]) {
        a.list.set(picks);
        a.refineList(picks.length);
      }
      for (let i = 0; i < picks.length; i++) {
        expect(Math.abs(simd.scores[i]! - simd.refine(picks[i]!))).toBeLessThan(2e-6);
        expect(js.scores[i]).toBe(Math.fround(simd.refine(picks[i]!)));
      }
      // Float rows: a candidate list and a full scan, against their definition.
      for (const a of [simd, js]) {
        a.list.set(picks.map((p) => p % more));
        a.dots(picks.length);
      }
      for (let i = 0; i < picks.length; i++) {
        let exact = 0;
        for (let j = 0; j < d; j++) exact += vectors[(picks[i]! % more) * d + j]! * query[j]!;
        expect(simd.scores[i]).toBeCloseTo(exact, 5);
        expect(js.scores[i]).toBeCloseTo(exact, 5);
      }
      const scanned = [simd, js].map((a) => {
        a.scan(more);
        return a.scores.slice(0, more);
      });
      for (let r = 0; r < more; r += 97) expect(scanned[0]![r]).toBeCloseTo(scanned[1]![r]!, 5);
    }
  });
});

describe('the first part of the bit codes (head)', () => {
  test('is kept from headAbove rows on, across growth; its estimate, and the rest added to it, match the definition in SIMD and JavaScript', () => {
    const d = 384;
    const B = d / 8;
    const simd = new VectorArena(d, 16, 16, true, 2000);
    const js = new VectorArena(d, 16, 16, false, 2000);
    const H = simd.headBytes;
    expect(H).toBe(24);
    const codeAt = (r: number, j: number) => (r - (r % 16)) * B + (r % 16) + 16 * j;
    let rows = 0;
    for (const more of [1000, 9003]) {
      const vectors = randomUnit(more, d, more + 1);
      for (const a of [simd, js]) {
        a.reserve(rows + more, more, { floats: 0, coded: rows, bits: rows });
        a.floats.set(vectors);
        if (!rows) a.fit(vectors, more);
        a.quantize(more, rows);
        // Bit codes for the new rows only: the first ones' part is copied when the arena grows past 2,000.
        a.signs(rows, rows + more);
      }
      rows += more;
      expect(simd.headed).toBe(rows >= 2000);
      if (!simd.headed) continue;
      expect(js.headed).toBe(true);
      for (let r = 0; r < rows; r++)
        for (let j = 0; j < H; j++)
          if (simd.head[(r - (r % 16)) * H + (r % 16) + 16 * j] !== simd.codes[codeAt(r, j)])
            throw new Error(`row ${r}, byte ${j}: head differs from the code`);
      const query = randomUnit(1, d, 31);
      const part = (a: VectorArena, r: number, from: number, to: number) => {
        let s = 0;
        for (let j = from; j < to; j++) {
          const x = a.codes[codeAt(r, j)]!;
          s += a.lut[j * 32 + (x & 15)]! + a.lut[j * 32 + 16 + (x >> 4)]!;
        }
        return s;
      };
      for (const a of [simd, js]) {
        a.query.set(query);
        a.setQuery();
        a.estimateHead(0, rows);
        for (let r = 0; r < rows; r++)
          if (a.distance[r] !== a.offset - part(a, r, 0, H))
            throw new Error(`row ${r}: head distance ${a.distance[r]} vs ${a.offset - part(a, r, 0, H)}`);
        // The rest of every code added: the whole estimate, as estimateRange gives it.
        a.estimateRest(0, rows);
        const whole = a.distance.slice(0, rows);
        a.estimateRange(0, rows);
        expect(whole.findIndex((x, r) => x !== a.distance[r] || x !== a.offset - part(a, r, 0, B))).toBe(-1);
      }
    }
  });
});

describe('the relaxed-SIMD estimate', () => {
  test('gives the distances of the plain kernel and of their definition (Node run with relaxed SIMD on)', async () => {
    const { ESTIMATE_RELAXED_WASM, KERNELS_WASM } = await import('../../src/core/search/kernelsWasm');
    // Node 20 compiles relaxed SIMD only behind a flag (browsers by default): a child process with it.
    const script = `
      const compile = (b) => new WebAssembly.Module(Buffer.from(b, 'base64'));
      const memory = new WebAssembly.Memory({ initial: 4 });
      const plain = new WebAssembly.Instance(compile(process.env.PLAIN), { env: { memory } }).exports;
      const relaxed = new WebAssembly.Instance(compile(process.env.RELAXED), { env: { memory } }).exports;
      const bytes = 48, blocks = 37, lut = 0, codes = 2048, out = codes + blocks * 16 * bytes;
      const u8 = new Uint8Array(memory.buffer);
      let x = 7;
      const rnd = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32;
      for (let i = 0; i < bytes * 32; i++) u8[lut + i] = Math.floor(rnd() * 63);
      for (let i = 0; i < blocks * 16 * bytes; i++) u8[codes + i] = Math.floor(rnd() * 256);
      const top = 4 * 31 * bytes;
      const run = (f) => { f(codes, blocks, bytes, lut, top, out); return Array.from(new Uint16Array(memory.buffer, out, blocks * 16)); };
      const want = Array.from({ length: blocks * 16 }, (_, r) => {
        let s = 0;
        for (let j = 0; j < bytes; j++) {
          const c = u8[codes + (r >> 4) * 16 * bytes + 16 * j + (r & 15)];
          s += u8[lut + 32 * j + (c & 15)] + u8[lut + 32 * j + 16 + (c >> 4)];
        }
        return top - s;
      });
      console.log(JSON.stringify({ plain: run(plain.estimate), relaxed: run(relaxed.estimate), want }));`;
    const { execFileSync } = await import('node:child_process');
    const out = execFileSync(process.execPath, ['--experimental-wasm-relaxed-simd', '-e', script], {
      env: { ...process.env, PLAIN: KERNELS_WASM, RELAXED: ESTIMATE_RELAXED_WASM },
      encoding: 'utf8',
    });
    const { plain, relaxed, want } = JSON.parse(out) as Record<string, number[]>;
    expect(want).toHaveLength(37 * 16);
    expect(plain).toEqual(want);
    expect(relaxed).toEqual(want);
  });
});

/**
 * Unit vectors shaped like sentence embeddings: each set (seed) has its own 500 cluster centres and
 * its own offset, rows are a centre plus noise plus the offset. The same seed gives the same centres,
 * offset and rows, so a set's first rows can be drawn again as queries near it.
 */
function embeddingLike(n: number, d: number, seed: number): Float32Array {
  let x = seed >>> 0 || 1;
  const rnd = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const gauss = () => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
  const centres = Float32Array.from({ length: 500 * d }, gauss);
  const offset = Float32Array.from({ length: d }, () => gauss() * 0.6);
  const v = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(rnd() * 500) * d;
    for (let j = 0; j < d; j++) v[i * d + j] = centres[c + j]! + 0.9 * gauss() + offset[j]!;
    const s = Math.hypot(...v.subarray(i * d, (i + 1) * d));
    for (let j = 0; j < d; j++) v[i * d + j]! /= s;
  }
  return v;
}

describe('the calibration batch (bit-code estimate against int8 score)', () => {
  // The benchmark's shape at 30,000 rows (30 documents, each its own clusters and offset; 384-d, no
  // lists): near queries (a stored row plus noise), off-distribution ones, and topics scattered
  // through every document (scripts/lib/topics.ts).
  const d = 384;
  const docs = Array.from({ length: 30 }, (_, i) => {
    const v = embeddingLike(1000, d, i + 1);
    mixTopics(v, i * 1000, d);
    return v;
  });
  const noise = embeddingLike(40, d, 999);
  const offDocs = embeddingLike(40, d, 1007);
  const asked = (q: number, near: boolean) => {
    const v = new Float32Array(d);
    for (let j = 0; j < d; j++)
      v[j] = near ? docs[2]![q * d + j]! + 0.3 * noise[q * d + j]! : offDocs[q * d + j]! + 0.2 * noise[q * d + j]!;
    const s = Math.hypot(...v);
    return v.map((x) => x / s);
  };
  const topics = topicQueries(10, d);
  const kinds = {
    near: Array.from({ length: 20 }, (_, q) => asked(q, true)),
    off: Array.from({ length: 20 }, (_, q) => asked(q, false)),
    topic: Array.from({ length: 10 }, (_, q) => topics.slice(q * d, (q + 1) * d)),
  };

  /** The true top 10, from the float vectors (the index holds codes only). */
  function floatTop(q: Float32Array): Set<string> {
    const top = new TopK(10);
    docs.forEach((v, i) => {
      for (let r = 0; r < 1000; r++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += v[r * d + j]! * q[j]!;
        top.push(s, i * 1000 + r);
      }
    });
    return new Set(top.sorted().map(([, id]) => `doc${Math.floor(id / 1000)}:${id % 1000}`));
  }

  test('a small batch for near queries and topics, the large one for off-distribution queries: recall@10 ≥ 0.99 on each', () => {
    const index = new VectorIndex(d, 1024);
    index.calibrate(evenSample(docs, d), docs.length * 1000);
    docs.forEach((v, i) => index.add(`doc${i}`, v));
    const recall: Record<string, number> = {};
    const calibrated: Record<string, number[]> = {};
    for (const [kind, queries] of Object.entries(kinds)) {
      let found = 0;
      for (const q of queries) {
        const want = floatTop(q);
        const got = index.search(q, 10);
        (calibrated[kind] ??= []).push(index.lastProbe.calibrated);
        found += got.filter((h) => want.has(`${h.docId}:${h.chunkIndex}`)).length;
      }
      recall[kind] = found / (10 * queries.length);
    }
    expect(recall.near).toBeGreaterThanOrEqual(0.99);
    expect(recall.off).toBeGreaterThanOrEqual(0.99);
    expect(recall.topic).toBeGreaterThanOrEqual(0.99);
    // The line was fitted on 160 rows (16 · k) for every near query and topic, on 640 (64 · k) for
    // every off-distribution query, whose cut reached past 1,024 more rows.
    expect(calibrated.near!.every((c) => c >= 160 && c < 640)).toBe(true);
    expect(calibrated.topic!.every((c) => c >= 160 && c < 640)).toBe(true);
    expect(calibrated.off!.every((c) => c >= 640)).toBe(true);
  });
  test('the first part of every code settles near queries alone; the others are searched whole, with the same hits: recall@10 ≥ 0.99 on each', () => {
    const build = (opts: { firstPartAbove?: number }) => {
      const index = new VectorIndex(d, 1024, opts);
      index.calibrate(evenSample(docs, d), docs.length * 1000);
      docs.forEach((v, i) => index.add(`doc${i}`, v));
      return index;
    };
    const parted = build({ firstPartAbove: 20_000 });
    const whole = build({});
    const settled: Record<string, number> = {};
    for (const [kind, queries] of Object.entries(kinds)) {
      let found = 0;
      for (const q of queries) {
        const want = floatTop(q);
        const got = parted.search(q, 10);
        found += got.filter((h) => want.has(`${h.docId}:${h.chunkIndex}`)).length;
        expect(parted.lastProbe.estimated).toBe(30_000);
        if (parted.lastProbe.codeBytes === 24) settled[kind] = (settled[kind] ?? 0) + 1;
        else {
          expect(parted.lastProbe.codeBytes).toBe(48);
          // Searched whole after the part: what the index without it finds.
          expect(got).toEqual(whole.search(q, 10));
        }
      }
      expect(found / (10 * queries.length)).toBeGreaterThanOrEqual(0.99);
    }
    expect(settled.near ?? 0).toBeGreaterThanOrEqual(15);
    expect(settled.off ?? 0).toBe(0);
    // The index without the part never takes it.
    whole.search(kinds.near[0]!, 10);
    expect(whole.lastProbe.codeBytes).toBe(48);
    // After a removal (rows move, their codes and halves are made again) and under a filter of most
    // documents: nothing of the removed or filtered-out documents, and what the whole search finds.
    for (const index of [parted, whole]) index.remove('doc7');
    const most = docs.map((_, i) => `doc${i}`).filter((id) => id !== 'doc11');
    let agree = 0;
    let asked = 0;
    for (const q of [...kinds.near, ...kinds.topic]) {
      for (const documents of [undefined, most]) {
        const got = parted.search(q, 10, documents);
        expect(got.some((h) => h.docId === 'doc7' || (documents && h.docId === 'doc11'))).toBe(false);
        if (parted.lastProbe.codeBytes === 24) asked++;
        const want = new Set(whole.search(q, 10, documents).map((h) => `${h.docId}:${h.chunkIndex}`));
        agree += got.filter((h) => want.has(`${h.docId}:${h.chunkIndex}`)).length;
      }
    }
    expect(asked).toBeGreaterThanOrEqual(30);
    expect(agree / (10 * 2 * (kinds.near.length + kinds.topic.length))).toBeGreaterThanOrEqual(0.99);
  });
  test('the first part of the codes is held from firstPartAbove rows, not from that much room', () => {
    const index = new VectorIndex(d, 1024, { firstPartAbove: 20_000 });
    const plain = new VectorIndex(d, 1024);
    for (const ix of [index, plain]) ix.calibrate(evenSample(docs, d), docs.length * 1000);
    // 17,000 rows: room for 32,768 (doubled), no half held.
    for (let i = 0; i < 17; i++) for (const ix of [index, plain]) ix.add(`doc${i}`, docs[i]!);
    index.search(kinds.near[0]!, 10);
    plain.search(kinds.near[0]!, 10);
    expect(index.memoryBytes).toBe(plain.memoryBytes);
    expect(index.lastProbe.codeBytes).toBe(48);
    // 21,000 rows: the half of every code (24 bytes a row of the room), made for the rows held before
    // too, and a near query settled on it with what the plain index finds.
    for (let i = 17; i < 21; i++) for (const ix of [index, plain]) ix.add(`doc${i}`, docs[i]!);
    const want = new Set(plain.search(kinds.near[1]!, 10).map((h) => `${h.docId}:${h.chunkIndex}`));
    const got = index.search(kinds.near[1]!, 10);
    expect(index.lastProbe.codeBytes).toBe(24);
    expect(got.filter((h) => want.has(`${h.docId}:${h.chunkIndex}`)).length).toBeGreaterThanOrEqual(9);
    expect(index.memoryBytes - plain.memoryBytes).toBeGreaterThanOrEqual(32_768 * 24);
    expect(index.memoryBytes - plain.memoryBytes).toBeLessThan(32_768 * 24 + 65_536 * 2);
  });
  test('off-distribution queries list the rows within reach in one pass, without counting every distance', () => {
    const index = new VectorIndex(d, 1024);
    index.calibrate(evenSample(docs, d), docs.length * 1000);
    docs.forEach((v, i) => index.add(`doc${i}`, v));
    index.search(kinds.near[0]!, 10); // the bit codes
    const count = vi.spyOn(VectorArena.prototype, 'countRange');
    try {
      for (const [kind, queries] of Object.entries(kinds)) {
        let found = 0;
        for (const q of queries) {
          count.mockClear();
          const want = floatTop(q);
          found += index.search(q, 10).filter((h) => want.has(`${h.docId}:${h.chunkIndex}`)).length;
          expect(count).not.toHaveBeenCalled();
          // Off-distribution queries went past their first batch and the 1,024 rows listed with it.
          if (kind === 'off') expect(index.lastProbe.scored - index.lastProbe.calibrated).toBeGreaterThan(1024);
        }
        expect(found / (10 * queries.length)).toBeGreaterThanOrEqual(0.99);
      }
    } finally {
      count.mockRestore();
    }
  });
});

describe('the cap on rows scored (64·√n)', () => {
  /**
   * Rows about one direction at very different distances from it: a bit code keeps which side of the
   * centre a row lies on, not how far, so the estimate tells these rows apart poorly and the line lets
   * in many of them.
   */
  function uneven(n: number, d: number, seed: number): Float32Array {
    const g = randomUnit(n, d, seed);
    const r = rng(seed + 1);
    const v = new Float32Array(n * d);
    for (let i = 0; i < n; i++) {
      const far = 2 * Math.abs(r()) ** 3;
      let s = 0;
      for (let j = 0; j < d; j++) s += (v[i * d + j] = (j === 0 ? 1 : 0) + far * g[i * d + j]!) ** 2;
      for (let j = 0; j < d; j++) v[i * d + j]! /= Math.sqrt(s);
    }
    return v;
  }

  test('a query whose line reaches past the cap counts every distance and is cut at the cap; the others are not counted', () => {
    const n = 8000;
    const d = 128;
    const v = uneven(n, d, 5);
    const index = new VectorIndex(d, n);
    index.calibrate(evenSample([v], d), n);
    for (let i = 0; i < n; i += 1000) index.add(`d${i}`, v.subarray(i * d, (i + 1000) * d));
    const queries = randomUnit(10, d, 77);
    const cap = Math.ceil(64 * Math.sqrt(n));
    const count = vi.spyOn(VectorArena.prototype, 'countRange');
    const capped: boolean[] = [];
    try {
      for (let q = 0; q < 10; q++) {
        count.mockClear();
        const hits = index.search(queries.subarray(q * d, (q + 1) * d), 10);
        expect(new Set(hits.map((h) => `${h.docId}:${h.chunkIndex}`)).size).toBe(10);
        const { scored } = index.lastProbe;
        capped.push(count.mock.calls.length > 0);
        // Cut at the cap (rows tied at the cut's distance included), or short of it without a count.
        if (capped.at(-1)) expect(scored >= cap && scored <= cap * 1.05).toBe(true);
        else expect(scored).toBeLessThan(cap);
      }
    } finally {
      count.mockRestore();
    }
    // Both ways taken (recall here is what the cap allows: this shape is made to defeat the estimate).
    expect(capped.filter(Boolean).length).toBeGreaterThan(0);
    expect(capped.filter((c) => !c).length).toBeGreaterThan(0);
  });
});

describe('VectorIndex with inverted lists (past 25,000 rows)', () => {
  // Shaped like sentence embeddings (clustered, off-centre, 384-d), as the benchmarks draw them: 30
  // documents of 1,000 rows, each document its own clusters and offset.
  const d = 384;
  const docs = Array.from({ length: 30 }, (_, i) => embeddingLike(1000, d, i + 1));
  const noise = embeddingLike(40, d, 999);
  const offDocs = embeddingLike(40, d, 1007); // clusters and an offset no document has
  /** Even queries: a stored row of document 2 (seed 3) plus noise; odd ones: off-distribution. */
  const queries = Array.from({ length: 40 }, (_, q) => {
    const v = new Float32Array(d);
    for (let j = 0; j < d; j++)
      v[j] =
        q % 2 === 0 ? docs[2]![q * d + j]! + 0.3 * noise[q * d + j]! : offDocs[q * d + j]! + 0.2 * noise[q * d + j]!;
    const s = Math.hypot(...v);
    return v.map((x) => x / s);
  });

  function exactTop(sets: Map<string, Float32Array>, q: Float32Array, k = 10, only?: Set<string>) {
    const all: { key: string; score: number }[] = [];
    for (const [docId, v] of sets) {
      if (only && !only.has(docId)) continue;
      for (let i = 0; i < v.length / d; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += v[i * d + j]! * q[j]!;
        all.push({ key: `${docId}:${i}`, score: s });
      }
    }
    return all.sort((a, b) => b.score - a.score).slice(0, k);
  }

  function build(ids: number[]) {
    const index = new VectorIndex(d, 1024, { invertedLists: true });
    index.calibrate(
      evenSample(
        ids.map((i) => docs[i]!),
        d,
      ),
      ids.length * 1000,
    );
    for (const i of ids) index.add(`doc${i}`, docs[i]!);
    return index;
  }

  /** Recall@10 of near and of off-distribution queries against the floats, and codes each estimated. */
  function judge(index: VectorIndex, sets: Map<string, Float32Array>, only?: Set<string>) {
    const recall = [0, 0];
    const estimated: number[][] = [[], []];
    for (const [q, query] of queries.entries()) {
      const want = exactTop(sets, query, 10, only);
      const got = index.search(query, 10, only);
      estimated[q % 2]!.push(index.lastProbe.estimated);
      const keys = new Set(got.map((h) => `${h.docId}:${h.chunkIndex}`));
      expect(keys.size).toBe(got.length); // no row twice
      recall[q % 2]! += want.filter((w) => keys.has(w.key)).length / want.length / (queries.length / 2);
      const byKey = new Map(want.map((w) => [w.key, w.score]));
      for (const h of got) {
        const exact = byKey.get(`${h.docId}:${h.chunkIndex}`);
        if (exact !== undefined) expect(Math.abs(exact - h.score)).toBeLessThan(1e-3);
      }
    }
    return { recall, estimated };
  }

  const ids = Array.from({ length: 30 }, (_, i) => i);
  const all = new Map(ids.map((i) => [`doc${i}`, docs[i]!]));

  test('recall@10 ≥ 0.99 on near and off-distribution queries', () => {
    const index = build(ids);
    const { recall } = judge(index, all);
    expect(index.lastProbe.of).toBeGreaterThan(50); // √30,000 / 2
    expect(recall[0]).toBeGreaterThanOrEqual(0.99);
    expect(recall[1]).toBeGreaterThanOrEqual(0.99);
  });

  // A topic carried by one row in 100, through every document and so through many lists whose
  // other rows score low for it: the lists' former bound (mean + 4.5 spreads) found 51 of its top 100.
  const topical = docs.map((v, i) => {
    const copy = v.slice();
    mixTopics(copy, i * 1000, d);
    return copy;
  });
  const topicAsked = topicQueries(10, d);

  test('a topic scattered through many lists: recall@10 ≥ 0.99', () => {
    const index = new VectorIndex(d, 1024, { invertedLists: true });
    index.calibrate(evenSample(topical, d), topical.length * 1000);
    for (const [i, v] of topical.entries()) index.add(`doc${i}`, v);
    const sets = new Map(topical.map((v, i) => [`doc${i}`, v]));
    let found = 0;
    for (let q = 0; q < 10; q++) {
      const query = topicAsked.subarray(q * d, (q + 1) * d);
      const want = exactTop(sets, query).map((w) => w.key);
      const got = new Set(index.search(query, 10).map((h) => `${h.docId}:${h.chunkIndex}`));
      found += want.filter((key) => got.has(key)).length;
    }
    expect(index.lastProbe.of).toBeGreaterThan(50);
    expect(found).toBeGreaterThanOrEqual(99); // of 100
  });

  test("no row scores above its list's bound, for near, off-distribution and topic queries", () => {
    const rows = topical.length * 1000;
    const arena = new VectorArena(d, rows, rows);
    topical.forEach((v, i) => arena.floats.set(v, i * 1000 * d));
    const sample = evenSample(topical, d);
    arena.fit(sample, sample.length / d);
    arena.quantize(rows, 0);
    arena.signs(0, rows);
    const lists = InvertedLists.train(sample, sample.length / d, arena.centre, rows)!;
    const listOf = new Int32Array(rows);
    lists.assign(arena, listOf, 0, rows);
    lists.organize(arena, listOf, rows);
    const bound = new Float64Array(lists.count);
    const asked = [...queries, ...Array.from({ length: 10 }, (_, q) => topicAsked.subarray(q * d, (q + 1) * d))];
    for (const query of asked) {
      arena.query.set(query);
      arena.setQuery();
      lists.bounds(arena, bound);
      const w = arena.exactWeights;
      let above = Number.NEGATIVE_INFINITY;
      for (let r = 0; r < rows; r++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += w[j]! * arena.coded[r * d + j]!;
        above = Math.max(above, arena.base + arena.rowScale[r]! * s - bound[listOf[r]!]!);
      }
      // Within float32 rounding of the summaries.
      expect(above).toBeLessThanOrEqual(1e-5);
    }
  });

  test('tight clusters: near queries skip most lists and find what the search without lists finds', () => {
    // Clusters much narrower than the distances between them (unlike the rows above, whose clusters
    // are as wide as they are apart): the bound excludes the lists of other clusters.
    const r = rng(71);
    const gauss = () => Math.sqrt(-2 * Math.log((r() + 1) / 2 + 1e-12)) * Math.cos(Math.PI * (r() + 1));
    const centres = Float32Array.from({ length: 100 * d }, gauss);
    const tight = Array.from({ length: 30 }, () => {
      const v = new Float32Array(1000 * d);
      for (let i = 0; i < 1000; i++) {
        const c = Math.floor(((r() + 1) / 2) * 100) % 100;
        for (let j = 0; j < d; j++) v[i * d + j] = centres[c * d + j]! + 0.3 * gauss();
        const s = Math.hypot(...v.subarray(i * d, (i + 1) * d));
        for (let j = 0; j < d; j++) v[i * d + j]! /= s;
      }
      return v;
    });
    const [listed, plain] = [true, false].map((invertedLists) => {
      const index = new VectorIndex(d, 1024, { invertedLists });
      index.calibrate(evenSample(tight, d), 30_000);
      for (const [i, v] of tight.entries()) index.add(`doc${i}`, v);
      return index;
    });
    const sets = new Map(tight.map((v, i) => [`doc${i}`, v]));
    let same = 0;
    let found = 0;
    const estimated: number[] = [];
    for (let q = 0; q < 10; q++) {
      const query = tight[q * 3]!.slice(q * 37 * d, (q * 37 + 1) * d).map((x) => x + 0.02 * gauss());
      const key = (h: { docId: string; chunkIndex: number }) => `${h.docId}:${h.chunkIndex}`;
      const got = listed!.search(query, 10).map(key);
      estimated.push(listed!.lastProbe.estimated);
      const without = new Set(plain!.search(query, 10).map(key));
      same += got.filter((k) => without.has(k)).length;
      const want = new Set(exactTop(sets, query).map((w) => w.key));
      found += got.filter((k) => want.has(k)).length;
    }
    expect(Math.max(...estimated)).toBeLessThan(30_000 / 4);
    expect(same).toBe(100);
    expect(found).toBeGreaterThanOrEqual(99); // of 100
  });

  test('rows added after the layout, removed documents and document filters: still the exact top 10 as often', () => {
    const index = build(ids.slice(0, 27));
    index.search(queries[0]!, 10); // lays the lists out
    for (const i of ids.slice(27)) index.add(`doc${i}`, docs[i]!); // the tail: searched in full
    let { recall } = judge(index, all);
    expect(recall[0]).toBeGreaterThanOrEqual(0.99);
    expect(recall[1]).toBeGreaterThanOrEqual(0.99);
    // Removing document 1 moves every later row, the near queries' neighbours (document 2) too.
    for (const gone of [1, 17, 28]) index.remove(`doc${gone}`);
    const kept = new Map([...all].filter(([id]) => !['doc1', 'doc17', 'doc28'].includes(id)));
    ({ recall } = judge(index, kept));
    expect(recall[0]).toBeGreaterThanOrEqual(0.99);
    expect(recall[1]).toBeGreaterThanOrEqual(0.99);
    const only = new Set(['doc3', 'doc20', 'doc29']);
    ({ recall } = judge(index, kept, only));
    expect(recall[0]).toBeGreaterThanOrEqual(0.99);
    expect(recall[1]).toBeGreaterThanOrEqual(0.99);
  });

  test('an index filled the way a library reopens it finds the same rows as one grown a document at a time', () => {
    const reopened = build(ids);
    reopened.prepare();
    const grown = new VectorIndex(d, 1024, { invertedLists: true });
    for (const i of ids) {
      grown.add(`doc${i}`, docs[i]!);
      if (i % 8 === 7) grown.search(queries[1]!, 10); // lays out its lists as it grows
    }
    for (const index of [reopened, grown]) {
      const { recall } = judge(index, all);
      expect(recall[0]).toBeGreaterThanOrEqual(0.99);
      expect(recall[1]).toBeGreaterThanOrEqual(0.99);
    }
  });
});

describe('WASM SIMD kernels on ranges of positions', () => {
  test('a bit code written at another position, estimates, counts, selections and nearest tables over a range match the JavaScript loops', async () => {
    const { VectorArena } = await import('../../src/core/search/vectorArena');
    const d = 128;
    const rows = 300;
    const vectors = randomUnit(rows, d, 31);
    const arenas = [new VectorArena(d, rows, rows), new VectorArena(d, rows, rows, false)];
    const query = randomUnit(1, d, 32);
    // Rows laid out backwards: position p holds row rows − 1 − p.
    for (const a of arenas) {
      a.floats.set(vectors);
      a.fit(vectors, rows);
      a.quantize(rows, 0);
      for (let p = 0; p < rows; p++) a.signAt(rows - 1 - p, p);
      a.query.set(query);
      a.setQuery();
      a.distance.fill(7);
      a.estimateRange(37, 250);
      a.histogram.fill(0);
      a.countRange(37, 250);
    }
    const [simd, js] = arenas as [InstanceType<typeof VectorArena>, InstanceType<typeof VectorArena>];
    expect(simd.simd).toBe(true);
    const forwards = new VectorArena(d, rows, rows, false);
    forwards.floats.set(vectors);
    forwards.fit(vectors, rows);
    forwards.quantize(rows, 0);
    forwards.signs(0, rows);
    forwards.query.set(query);
    forwards.setQuery();
    forwards.estimate(rows);
    // Whole blocks of 16 around the range are estimated, nothing beyond them.
    for (let p = 0; p < rows; p++) {
      const want = p >= 32 && p < 256 ? forwards.distance[rows - 1 - p] : 7;
      if (simd.distance[p] !== want || js.distance[p] !== want) throw new Error(`position ${p}`);
    }
    expect([...simd.histogram]).toEqual([...js.histogram]);
    expect(simd.histogram.reduce((n, x) => n + x, 0)).toBe(250 - 37);
    const cut = forwards.distance[150]!;
    const m = [simd.selectRange(37, 250, cut, 5), js.selectRange(37, 250, cut, 5)];
    expect(m[0]).toBe(m[1]);
    expect([...simd.list.subarray(5, 5 + m[0]!)]).toEqual([...js.list.subarray(5, 5 + m[1]!)]);
    const want = [];
    for (let p = 37; p < 250; p++) if (forwards.distance[rows - 1 - p]! <= cut) want.push(p);
    expect([...js.list.subarray(5, 5 + m[1]!)]).toEqual(want);
    // Told to stop past `most`: more than that, at most 8 more, the first of the same positions.
    const most = Math.floor(want.length / 3);
    for (const a of [simd, js]) {
      const got = a.selectRange(37, 250, cut, 5, most);
      expect(got).toBeGreaterThan(most);
      expect(got).toBeLessThanOrEqual(most + 8);
      expect([...a.list.subarray(5, 5 + got)]).toEqual(want.slice(0, got));
    }
    // Each position's nearest of three tables: the smallest distance and the table it came from.
    const tables = randomUnit(3, d, 33);
    const seen = Array.from({ length: 3 }, () => new Uint16Array(rows));
    let scale = Number.POSITIVE_INFINITY; // one scale for all three, no larger than each table's own
    for (let t = 0; t < 3; t++) {
      forwards.query.set(tables.subarray(t * d, (t + 1) * d));
      forwards.setQuery();
      scale = Math.min(scale, forwards.lutScale);
    }
    for (const a of [...arenas, forwards]) {
      a.distance.fill(65535);
      for (let t = 0; t < 3; t++) {
        a.query.set(tables.subarray(t * d, (t + 1) * d));
        a.setQuery(scale);
        if (a === forwards) {
          a.estimate(rows);
          seen[t]!.set(a.distance.subarray(0, rows));
        } else a.nearest(0, rows, t);
      }
    }
    for (let p = 0; p < rows; p++) {
      const r = rows - 1 - p;
      const best = Math.min(...seen.map((x) => x[r]!));
      const id = seen.findIndex((x) => x[r] === best);
      if (p === 0) expect(new Set(seen.map((x) => x[r])).size).toBeGreaterThan(1); // the tables differ
      for (const a of arenas)
        if (a.distance[p] !== best || a.nearestId[p] !== id)
          throw new Error(`position ${p}: ${a.distance[p]}, ${a.nearestId[p]}`);
    }
  });
});
