import type { EmbedDevice, Embedder } from './embedder';
import type { EmbeddingModelSpec } from './models';

/**
 * An embedder whose model is still loading. What a library needs to open (the model's id and
 * dimensions) is known at once, so reading the library from IndexedDB and loading the model run
 * side by side; embedding waits for the model, and token counting for the tokenizer (which loads
 * first) when one is given.
 */
export class DeferredEmbedder implements Embedder {
  private inner: Embedder | undefined;
  private counter: ((text: string) => number) | undefined;
  private readonly loaded: Promise<Embedder>;
  private readonly counting: Promise<unknown>;

  constructor(
    readonly model: EmbeddingModelSpec,
    loading: Promise<Embedder>,
    countTokens?: Promise<(text: string) => number>,
  ) {
    this.loaded = loading.then((e) => {
      if (e.model.id !== model.id) throw new Error(`expected ${model.id}, loaded ${e.model.id}`);
      this.inner = e;
      return e;
    });
    this.counting = countTokens ? countTokens.then((c) => void (this.counter = c)) : this.loaded;
    // A failure is reported by whenReady()/embed(); do not also leave it unhandled here.
    this.loaded.catch(() => {});
    this.counting.catch(() => {});
  }

  get device(): EmbedDevice {
    return this.inner?.device ?? 'wasm';
  }

  get dtype(): string {
    return this.inner?.dtype ?? '';
  }

  get passagesPerSecond(): number | undefined {
    return this.inner?.passagesPerSecond;
  }

  isReady(): boolean {
    return this.inner !== undefined;
  }

  async whenReady(): Promise<void> {
    await this.loaded;
  }

  async whenTokenizerReady(): Promise<void> {
    await this.counting;
  }

  countTokens(text: string): number {
    if (this.inner) return this.inner.countTokens(text);
    if (this.counter) return this.counter(text);
    throw new Error('The embedding model is still loading.');
  }

  async embed(
    texts: string[],
    kind: 'query' | 'passage',
    onProgress?: (done: number, total: number) => void,
    signal?: AbortSignal,
  ): Promise<Float32Array> {
    return (await this.loaded).embed(texts, kind, onProgress, signal);
  }

  async dispose(): Promise<void> {
    await (await this.loaded.catch(() => undefined))?.dispose();
  }
}
