import { DEFAULT_EMBEDDING_MODEL, type Embedder } from '../../src/core';

export interface StubOptions {
  /** Model id (vector spaces of different ids never mix, as with real models). */
  id?: string;
  /** Called before each batch of passages is embedded, with the texts: a test can stall, fail or count here. */
  beforeBatch?: (texts: string[]) => void | Promise<void>;
}

/**
 * A stand-in for the embedding model in tests of the pipeline (atomicity, recovery, resuming,
 * progress, cancelling), not of retrieval quality, which the real model's tests cover. Words are
 * hashed into 384 signed dimensions (feature hashing), so texts sharing words get similar
 * vectors and the same text always the same vector; a token is a word. It embeds thousands of
 * passages a second, in batches of 16 with a turn of the event loop between them, as the real
 * one does when it can be cancelled.
 */
export function stubEmbedder(opts: StubOptions = {}): Embedder & { embedded: number } {
  const model = { ...DEFAULT_EMBEDDING_MODEL, id: opts.id ?? 'folio-test/hashing-384', label: 'hashing stand-in' };
  const dims = model.dimensions;
  const stub = {
    model,
    device: 'cpu' as const,
    dtype: 'none',
    /** Passages embedded so far, over all calls. */
    embedded: 0,
    countTokens: (text: string) => words(text).length,
    async embed(
      texts: string[],
      _kind: 'query' | 'passage',
      onProgress?: (done: number, total: number) => void,
      signal?: AbortSignal,
    ) {
      const out = new Float32Array(texts.length * dims);
      for (let b = 0; b < texts.length; b += 16) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        signal?.throwIfAborted();
        const batch = texts.slice(b, b + 16);
        await opts.beforeBatch?.(batch);
        batch.forEach((text, i) => out.set(hashVector(text, dims), (b + i) * dims));
        stub.embedded += batch.length;
        onProgress?.(Math.min(texts.length, b + 16), texts.length);
      }
      return out;
    },
    async dispose() {},
  };
  return stub;
}

const words = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

function hashVector(text: string, dims: number): Float32Array {
  const v = new Float32Array(dims);
  for (const w of words(text)) {
    let h = 2166136261;
    for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), 16777619);
    v[(h >>> 1) % dims]! += h & 1 ? 1 : -1;
  }
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < dims; i++) v[i]! /= norm;
  return v;
}
