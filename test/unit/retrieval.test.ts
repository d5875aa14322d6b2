import { describe, expect, test } from 'vitest';
import { loadBeir } from '../../src/cli/beir';
import { SCIFACT_DIR } from '../../scripts/lib/paths';
import 'fake-indexeddb/auto';
import { LibraryStore } from '../../src/core/store/store';
import {
  analyze,
  buildPostings,
  hitAt,
  KeywordIndex,
  mrrAt,
  ndcgAt,
  recallAt,
  reciprocalRankFusion,
  scoreFusion,
} from '../../src/core';

describe('analyzer', () => {
  test('lower-cases, drops stop words, Porter-stems Latin words, keeps numbers', () => {
    expect(analyze('The cat is on the mat')).toEqual(['cat', 'mat']);
    expect(analyze('Running runners ran quickly')).toEqual(['run', 'runner', 'ran', 'quickli']);
    expect(analyze("IBM's revenue in 1911: 42%")).toEqual(['ibm', 'revenu', '1911', '42']);
  });
});

describe('BM25 (k1 = 0.9, b = 0.4)', () => {
  // Chunks: "cat sat mat" (3 terms), "cat cat dog" (3), "dog bird" (2); avgdl = 8/3.
  // idf(cat) = ln(1 + (3 − 2 + 0.5) / (2 + 0.5)) = ln 1.6 = 0.470004
  // chunk 0: tf 1 → 0.470004 · 1 · 1.9 / (1 + 0.9 · (0.6 + 0.4 · 3 / (8/3))) = 0.470004 · 1.9 / 1.945 = 0.459130
  // chunk 1: tf 2 → 0.470004 · 2 · 1.9 / (2 + 0.945) = 0.606456
  const index = new KeywordIndex({ k1: 0.9, b: 0.4 });
  index.add('doc', buildPostings(['cat sat mat', 'cat cat dog', 'dog bird']));

  test('scores match the hand computation', () => {
    const hits = index.search('cat', 10);
    expect(hits.map((h) => h.chunkIndex)).toEqual([1, 0]);
    expect(hits[0]!.score).toBeCloseTo(0.606456, 5);
    expect(hits[1]!.score).toBeCloseTo(0.45913, 5);
  });

  test('query terms add up; unknown and stop-word-only queries find nothing', () => {
    const [top] = index.search('the dog and the bird', 1);
    expect(top!.chunkIndex).toBe(2);
    expect(index.search('zebra', 5)).toEqual([]);
    expect(index.search('the of and', 5)).toEqual([]);
  });

  test('incremental remove leaves exactly the index a fresh build would have', () => {
    const texts = {
      a: ['ducks swim in lakes and ponds', 'ducks eat plants'],
      b: ['the typewriter was patented in 1868', 'word processors replaced typewriters'],
      c: ['IBM is called Big Blue', 'IBM built typewriters too'],
    };
    const incremental = new KeywordIndex();
    for (const [id, t] of Object.entries(texts)) incremental.add(id, buildPostings(t));
    incremental.remove('b');
    const fresh = new KeywordIndex();
    fresh.add('a', buildPostings(texts.a));
    fresh.add('c', buildPostings(texts.c));
    for (const q of ['typewriter', 'ducks lakes', 'IBM Big Blue', 'patented 1868']) {
      expect(incremental.search(q, 10)).toEqual(fresh.search(q, 10));
    }
    expect(incremental.size).toBe(4);
    expect(incremental.search('patented', 10)).toEqual([]);
  });

  test('a bulk load (opening a library) gives exactly the index of adding one document at a time, and stays so through later removes and adds', () => {
    const { corpus, queries } = loadBeir(SCIFACT_DIR);
    const docs = Array.from({ length: 20 }, (_, d) => ({
      docId: `doc${d}`,
      ...buildPostings(corpus.slice(d * 100, (d + 1) * 100).map((c) => `${c.title}\n${c.text}`)),
    }));
    const late = { docId: 'late', ...buildPostings(corpus.slice(2000, 2100).map((c) => c.text)) };
    const oneByOne = new KeywordIndex();
    for (const r of docs) oneByOne.add(r.docId, r);
    const bulk = new KeywordIndex();
    bulk.add('doc0', docs[0]!); // already there: the bulk load must replace, not duplicate, it
    bulk.addAll(docs);
    expect(bulk.size).toBe(oneByOne.size);
    const check = () => {
      for (const q of queries.slice(0, 60)) expect(bulk.search(q.text, 10)).toEqual(oneByOne.search(q.text, 10));
    };
    check();
    for (const index of [bulk, oneByOne]) {
      index.remove('doc7');
      index.add('late', late);
    }
    check();
    expect(bulk.search(queries[0]!.text, 10).length).toBe(10);
  });
});

describe('stored keyword postings', () => {
  test('16-bit when every number fits, 32-bit when a vocabulary outgrows it; both read back from the store as written', async () => {
    const small = buildPostings(['ducks swim in lakes', 'ducks eat plants']);
    // 70,000 different numbers in one chunk: term indexes past 65,535.
    const large = buildPostings([Array.from({ length: 70_000 }, (_, i) => String(i)).join(' '), 'ducks']);
    expect(small.data).toBeInstanceOf(Uint16Array);
    expect(large.data).toBeInstanceOf(Uint32Array);
    const store = await LibraryStore.open(`postings-${process.pid}`);
    try {
      for (const [docId, postings] of [
        ['small', small],
        ['large', large],
      ] as const) {
        // Stored as a document is: with its record, then its postings rebuilt (putKeywords writes
        // only for a document still there).
        await store.addDocument(
          {
            id: docId,
            name: `${docId}.txt`,
            type: 'text',
            size: 1,
            hash: docId,
            chunkCount: 0,
            status: 'ready',
            embeddingModel: 'test',
            addedAt: 0,
          },
          '',
          [],
          new Float32Array(0),
          4,
          buildPostings([]),
        );
        expect(await store.putKeywords({ docId, ...postings })).toBe(true);
      }
      const back = new Map((await store.allKeywords()).map((k) => [k.docId, k]));
      expect(back.get('small')!.data).toEqual(small.data);
      expect(back.get('large')!.data).toEqual(large.data);
      const index = new KeywordIndex();
      index.addAll([...back.values()]);
      expect(index.search('69999', 3).map((h) => [h.docId, h.chunkIndex])).toEqual([['large', 0]]);
      expect(
        index
          .search('ducks', 3)
          .map((h) => h.docId)
          .sort(),
      ).toEqual(['large', 'small', 'small']);
    } finally {
      store.close();
    }
  });
});

describe('fusion', () => {
  const A = [
    { docId: 'x', chunkIndex: 0, score: 4 },
    { docId: 'y', chunkIndex: 0, score: 2 },
    { docId: 'w', chunkIndex: 0, score: 0 },
  ];
  const B = [
    { docId: 'y', chunkIndex: 0, score: 9 },
    { docId: 'z', chunkIndex: 0, score: 3 },
  ];

  test('reciprocal rank fusion: Σ 1/(60 + rank)', () => {
    const fused = reciprocalRankFusion([A, B]);
    expect(fused.map((h) => h.docId)).toEqual(['y', 'x', 'z', 'w']); // z: 1/62 (2nd in B) > w: 1/63 (3rd in A)
    expect(fused[0]!.score).toBeCloseTo(1 / 62 + 1 / 61, 10);
    expect(fused[1]!.score).toBeCloseTo(1 / 61, 10);
  });

  test('z-score fusion, a missing hit taking its list’s lowest score', () => {
    // A: mean 2, sd √(8/3) → x 1.224745, y 0, w −1.224745. B: mean 6, sd 3 → y 1, z −1.
    const fused = scoreFusion([A, B], [0.5, 0.5], 'zscore');
    const score = Object.fromEntries(fused.map((h) => [h.docId, h.score]));
    expect(fused[0]!.docId).toBe('y');
    expect(score.y).toBeCloseTo(0.5, 6);
    expect(score.x).toBeCloseTo(0.5 * 1.224745 - 0.5, 5);
    expect(score.z).toBeCloseTo(-0.5 * 1.224745 - 0.5, 5);
  });

  test('min-max fusion with weights', () => {
    const score = Object.fromEntries(scoreFusion([A, B], [0.7, 0.3], 'minmax').map((h) => [h.docId, h.score]));
    expect(score.x).toBeCloseTo(0.7, 10);
    expect(score.y).toBeCloseTo(0.7 * 0.5 + 0.3, 10);
    expect(score.z).toBeCloseTo(0, 10);
  });
});

describe('evaluation metrics', () => {
  const ranked = ['a', 'b', 'c', 'd'];
  const rel = new Map([
    ['b', 1],
    ['d', 2],
  ]);
  test('nDCG with graded gains and log2 discount', () => {
    // DCG@3 = 1/log2(3) = 0.630930; IDCG@3 = 2/log2(2) + 1/log2(3) = 2.630930
    expect(ndcgAt(ranked, rel, 3)).toBeCloseTo(0.63093 / 2.63093, 6);
    // DCG@4 adds 2/log2(5) = 0.861353
    expect(ndcgAt(ranked, rel, 4)).toBeCloseTo((0.63093 + 0.861353) / 2.63093, 5);
    expect(ndcgAt(['b', 'd'], new Map([['b', 1]]), 10)).toBe(1);
  });
  test('recall, MRR and hit rate at k', () => {
    expect(recallAt(ranked, rel, 3)).toBe(0.5);
    expect(recallAt(ranked, rel, 4)).toBe(1);
    expect(mrrAt(ranked, rel, 10)).toBe(0.5);
    expect(mrrAt(ranked, rel, 1)).toBe(0);
    expect(hitAt(ranked, rel, 1)).toBe(0);
    expect(hitAt(ranked, rel, 2)).toBe(1);
  });
});
