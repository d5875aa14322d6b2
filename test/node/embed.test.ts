import { beforeAll, describe, expect, test } from 'vitest';
import { EMBEDDING_MODELS, getEmbeddingModel, type Embedder } from '../../src/core';
import { realEmbedder } from '../../scripts/lib/library';

let embedder: Embedder;
beforeAll(async () => {
  embedder = await realEmbedder();
});

const cos = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);
const row = (v: Float32Array, i: number, d = 384) => v.subarray(i * d, (i + 1) * d);

describe('transformers.js embedder (real MiniLM q8)', () => {
  test('vectors are 384-d, unit length, and closer for related sentences', async () => {
    expect(embedder.model.id).toBe('Xenova/all-MiniLM-L6-v2');
    expect(embedder.device).toBe('cpu');
    const v = await embedder.embed(
      ['A cat sits on the mat.', 'A kitten is resting on a rug.', 'Quarterly revenue rose by 4 percent.'],
      'passage',
    );
    expect(v.length).toBe(3 * 384);
    for (let i = 0; i < 3; i++) expect(Math.sqrt(cos(row(v, i), row(v, i)))).toBeCloseTo(1, 4);
    expect(cos(row(v, 0), row(v, 1))).toBeGreaterThan(0.5);
    expect(cos(row(v, 0), row(v, 1))).toBeGreaterThan(cos(row(v, 0), row(v, 2)) + 0.3);
  });

  test('batching and length-sorting keep each vector with its text', async () => {
    const topics = [
      'ducks swim on the lake',
      'the stock market fell sharply',
      'a recipe for tomato soup',
      'volcanoes erupt with lava',
      'the violin concerto in D major',
    ];
    const texts = Array.from({ length: 37 }, (_, i) => `${topics[i % 5]} ${'and more words '.repeat(i % 7)}(${i})`);
    const batched = await embedder.embed(texts, 'passage');
    for (const i of [0, 5, 18, 36]) {
      const single = await embedder.embed([texts[i]!], 'passage');
      // int8 dynamic quantisation scales activations per batch, so vectors shift slightly with
      // their batch-mates (cos ≈ 0.98); another text's vector would be far further away.
      expect(cos(row(batched, i), single)).toBeGreaterThan(0.95);
      for (const j of [1, 2, 3, 4])
        expect(cos(row(batched, (i + j) % 35), single)).toBeLessThan(cos(row(batched, i), single) - 0.2);
    }
  });

  test('reports progress per batch and counts tokens without special tokens', async () => {
    const seen: [number, number][] = [];
    await embedder.embed(
      Array.from({ length: 40 }, (_, i) => `text ${i}`),
      'passage',
      (d, t) => seen.push([d, t]),
    );
    expect(seen.at(-1)).toEqual([40, 40]);
    expect(seen.length).toBeGreaterThan(1);
    expect(embedder.countTokens('hello world')).toBe(2);
  });

  test('inputs longer than the model window are truncated, not rejected', async () => {
    const v = await embedder.embed(['duck '.repeat(2000)], 'passage');
    expect(v.length).toBe(384);
    expect(Number.isFinite(v[0]!)).toBe(true);
  });
});

describe('model registry', () => {
  test('entries carry the facts from each model card', () => {
    expect(EMBEDDING_MODELS.map((m) => m.id)).toEqual([
      'Xenova/all-MiniLM-L6-v2',
      'Xenova/bge-small-en-v1.5',
      'Snowflake/snowflake-arctic-embed-xs',
      'Xenova/multilingual-e5-small',
    ]);
    expect(getEmbeddingModel('Xenova/all-MiniLM-L6-v2')).toMatchObject({
      pooling: 'mean',
      queryPrefix: '',
      maxTokens: 256,
      dimensions: 384,
    });
    expect(getEmbeddingModel('Xenova/bge-small-en-v1.5')).toMatchObject({
      pooling: 'cls',
      queryPrefix: 'Represent this sentence for searching relevant passages: ',
      passagePrefix: '',
    });
    expect(getEmbeddingModel('Snowflake/snowflake-arctic-embed-xs')).toMatchObject({
      pooling: 'cls',
      maxTokens: 512,
      queryPrefix: 'Represent this sentence for searching relevant passages: ',
    });
    expect(getEmbeddingModel('Xenova/multilingual-e5-small')).toMatchObject({
      pooling: 'mean',
      queryPrefix: 'query: ',
      passagePrefix: 'passage: ',
    });
    for (const m of EMBEDDING_MODELS) expect(m.normalize).toBe(true);
    expect(() => getEmbeddingModel('nope/model')).toThrow(/Unknown embedding model/);
  });
});
