import type { EmbedDevice, Embedder } from './embedder';
import type { EmbeddingModelSpec } from './models';

/**
 * An embedder whose model is still loading. What a library needs to open (the model's id and
 * dimensions) is known at once, so reading the library from IndexedDB and loading the model run
 * side by side; embedding and token counting wait for the model.
 */
export class DeferredEmbedder implements Embedder {
  private inner: Embedder | undefined;
  private readonly loaded: Promise<Embedder>;

  constructor(
    readonly model: EmbeddingModelSpec,
    loading: Promise<Embedder>,
  ) {
    this.loaded = loading.then((e) => {
      if (e.model.id !== model.id) throw new Error(`expected ${model.id}, loaded ${e.model.id}`);
      this.inner = e;
      return e;
    });
    // The failure is reported by whenReady()/embed(); do not also leave it unhandled here.
    this.loaded.catch(() => {});
  }

  get device(): EmbedDevice {
    return this.inner?.device ?? 'wasm';
  }

  get dtype(): string {
    return this.inner?.dtype ?? '';
  }

  async whenReady(): Promise<void> {
    await this.loaded;
  }

  countTokens(text: string): number {
    if (!this.inner) throw new Error('The embedding model is still loading.');
    return this.inner.countTokens(text);
  }

  async embed(texts: string[], kind: 'query' | 'passage', onProgress?: (done: number, total: number) => void, signal?: AbortSignal): Promise<Float32Array> {
    return (await this.loaded).embed(texts, kind, onProgress, signal);
  }

  async dispose(): Promise<void> {
    await (await this.loaded.catch(() => undefined))?.dispose();
  }
}
