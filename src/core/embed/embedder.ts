import type { EmbeddingModelSpec } from './models';

export type EmbedDevice = 'webgpu' | 'wasm' | 'cpu';

export interface DownloadProgress {
  /** Model id. */
  model: string;
  /** File currently loading. */
  file: string;
  loaded: number;
  total: number;
}

/**
 * The one thing the pipeline needs from an embedding backend. Vectors come back as one flat
 * Float32Array (n × dimensions, row-major), normalised when the model says so.
 */
export interface Embedder {
  readonly model: EmbeddingModelSpec;
  readonly device: EmbedDevice;
  readonly dtype: string;
  /** Token count without special tokens; used to size chunks. */
  countTokens(text: string): number;
  /** Resolves once the model is loaded (for embedders that load in the background). */
  whenReady?(): Promise<void>;
  /** Whether `embed` runs now rather than waiting for a model still loading. */
  isReady?(): boolean;
  /** Resolves once `countTokens` works (a tokenizer loads before its model). */
  whenTokenizerReady?(): Promise<void>;
  /** Passages per second on this device, when measured (for "time left" while indexing). */
  readonly passagesPerSecond?: number;
  /** `signal` is checked between batches: a cancelled embedding stops within one batch. */
  embed(
    texts: string[],
    kind: 'query' | 'passage',
    onProgress?: (done: number, total: number) => void,
    signal?: AbortSignal,
  ): Promise<Float32Array>;
  dispose(): Promise<void>;
}
