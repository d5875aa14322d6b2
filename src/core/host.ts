/**
 * A library as a worker hosts it: opened with its embedder (built here, on the device chosen by
 * measurement), shared with the other tabs, and exposed as it is. `workers/library.worker.ts`
 * only hands a LibraryHost to Comlink; `client/library.ts` calls it. This file is the one
 * definition of that protocol: `RemoteLibrary` is derived from the Library class itself.
 */
import type { ChunkOptions } from './chunk/chunker';
import type { DeviceMemory } from './embed/device';
import type { DownloadProgress, EmbedDevice, Embedder } from './embed/embedder';
import type { EmbeddingDtype } from './embed/models';
import { openEmbedder, type LoadedModel } from './embed/open';
import type { ChatMessage, GenerateResult, Generator } from './generate/generator';
import { Library, openLibrary, type LibraryEvent } from './library/library';
import { askQuestion, type AskEvent, type AskOptions } from './whole/route';

export interface WorkerOpenOptions {
  /** IndexedDB name; null opens only the embedder (no library: `embed` and `close` only). */
  name?: string | null;
  model?: string;
  /** 'auto' (default): measured once per browser, see embed/device.ts. */
  device?: 'auto' | EmbedDevice;
  dtype?: EmbeddingDtype;
  /** URL of a hub-layout model folder served by the app; the hub is then never contacted. */
  localModelPath?: string;
  remoteHost?: string;
  chunking?: Partial<ChunkOptions>;
  maxFileBytes?: number;
  /**
   * false: open as soon as keyword search works (documents and postings read), while the model
   * loads and the vectors are read; search answers keyword-only until `whenSearchModelReady()`.
   * Default true: open once everything, model included, is ready.
   */
  awaitModel?: boolean;
}

export interface OpenedInfo {
  model: string;
  device: EmbedDevice;
  dtype: string;
  /** Why this device (measured, remembered, software adapter refused, …). */
  deviceReason: string;
  /** Embedding speed on it, when measured. */
  passagesPerSecond?: number;
  /** False while the model still loads (`awaitModel: false`): `device` and `dtype` are not known yet ('wasm', ''); see `modelInfo()`. */
  modelReady: boolean;
  /** Where opening spent its time: loading the model, and reading the library into memory. */
  timings: { modelMs?: number; libraryMs: number } & Record<string, number | undefined>;
}

/** Library methods as seen from another thread: the same calls, all asynchronous. */
export type Remote<T> = {
  [K in keyof T as T[K] extends (...args: never[]) => unknown ? K : never]: T[K] extends (...args: infer A) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : never;
};

/** A question about the whole answered in the worker: what can cross the thread boundary of `AskOptions`. */
export type HostAskOptions = Omit<AskOptions, 'source' | 'retriever' | 'generator' | 'signal'>;

/** An answer model as the worker reaches it: the UI thread keeps the model and the Stop signal. */
export type HostGenerate = (messages: ChatMessage[], maxNewTokens?: number) => Promise<GenerateResult>;

/** The worker-hosted library's handle: every Library call, plus what opening found; `close()` also ends the worker. */
export type RemoteLibrary = Omit<Remote<Library>, 'close'> & {
  info: OpenedInfo;
  /** Resolves with the model's device and timings once it is loaded. */
  modelInfo(): Promise<OpenedInfo>;
  /** `LibraryHost.ask`: a summary, list, count or comparison read in the worker, its events sent back. */
  ask(
    id: string,
    question: string,
    opts: HostAskOptions,
    onEvent: (e: AskEvent) => void,
    generate?: HostGenerate,
  ): Promise<void>;
  stopAsk(id: string): Promise<void>;
  close(): Promise<void>;
};

export class LibraryHost {
  /** The open library (undefined before `open`, after `close`, or when another tab upgraded it). */
  library: Library | undefined;
  private embedder: Embedder | undefined;
  private loaded: Promise<LoadedModel> | undefined;
  private info: Pick<OpenedInfo, 'model' | 'timings'> | undefined;

  constructor(private readonly deviceMemory?: DeviceMemory) {}

  async open(
    opts: WorkerOpenOptions,
    onDownload?: (p: DownloadProgress) => void,
    onEvent?: (e: LibraryEvent) => void,
  ): Promise<OpenedInfo> {
    const t0 = performance.now();
    const early = opts.awaitModel === false;
    let keywordsRead!: (served?: Promise<void>) => void;
    const keywordsReady = new Promise<void>((resolve) => (keywordsRead = (served) => resolve(served)));
    const { embedder, loaded } = openEmbedder(
      {
        ...(opts.model ? { model: opts.model } : {}),
        ...(opts.device ? { device: opts.device } : {}),
        ...(opts.dtype ? { dtype: opts.dtype } : {}),
        ...(opts.localModelPath ? { localModelPath: opts.localModelPath } : {}),
        ...(opts.remoteHost ? { remoteHost: opts.remoteHost } : {}),
        ...(onDownload ? { onDownload } : {}),
      },
      this.deviceMemory,
      // Reopening for first results: the model's set-up takes the thread only once the keyword
      // index is read and the first search answered (see Library.open). Otherwise both go side by side.
      early ? keywordsReady : undefined,
    );
    this.embedder = embedder;
    this.loaded = loaded;
    // The library is read from IndexedDB while the model loads.
    try {
      if (opts.name !== null) {
        this.library = await openLibrary({
          name: opts.name ?? 'folio',
          embedder,
          ...(opts.chunking ? { chunking: opts.chunking } : {}),
          ...(opts.maxFileBytes ? { maxFileBytes: opts.maxFileBytes } : {}),
          shareChanges: true,
          keywordsFirst: early,
          onEvent: (e) => {
            // The connection is closed: no call may reach it any more.
            if (e === 'outdated') this.library = undefined;
            onEvent?.(e);
          },
        });
      }
    } finally {
      keywordsRead(this.library?.firstResultsServed());
    }
    this.info = { model: embedder.model.id, timings: { libraryMs: Math.round(performance.now() - t0) } };
    if (!early) await loaded;
    return early ? this.current() : this.modelInfo();
  }

  /** What opening found, complete once the model is loaded (and the vectors read). */
  async modelInfo(): Promise<OpenedInfo> {
    if (!this.loaded) throw new Error('nothing is open');
    const model = await this.loaded;
    await this.library?.whenSearchModelReady();
    return this.current(model);
  }

  private current(model?: LoadedModel): OpenedInfo {
    const timings = {
      ...this.info!.timings,
      ...(model ? { modelMs: model.modelMs, warmUpMs: model.warmUpMs } : {}),
      ...this.library?.loadTimings(),
    };
    if (!model)
      return {
        model: this.info!.model,
        device: this.embedder!.device,
        dtype: '',
        deviceReason: 'the model is still loading',
        modelReady: false,
        timings,
      };
    return {
      model: this.info!.model,
      device: model.device,
      dtype: model.dtype,
      deviceReason: model.reason,
      ...(model.passagesPerSecond !== undefined ? { passagesPerSecond: model.passagesPerSecond } : {}),
      modelReady: true,
      timings,
    };
  }

  /** The calls a remote handle forwards: every method of Library. */
  libraryMethods(): string[] {
    return Object.getOwnPropertyNames(Library.prototype).filter((m) => m !== 'constructor');
  }

  private readonly asks = new Map<string, AbortController>();

  /**
   * A question about the whole, answered here: reading every passage in scope (a summary of a
   * 100-page document, a scan of the library) would otherwise hold the UI thread for seconds.
   * Events go back one by one through `onEvent`; `stopAsk(id)` stops it between batches.
   */
  async ask(
    id: string,
    question: string,
    opts: HostAskOptions,
    onEvent: (e: AskEvent) => void,
    generate?: HostGenerate,
  ): Promise<void> {
    const library = this.library;
    if (!library) throw new Error('nothing is open');
    const abort = new AbortController();
    this.asks.set(id, abort);
    try {
      const events = askQuestion(question, {
        ...opts,
        source: library,
        retriever: library,
        generator: generate ? remoteGenerator(generate) : null,
        signal: abort.signal,
      });
      for await (const e of events) onEvent(e);
    } finally {
      this.asks.delete(id);
    }
  }

  stopAsk(id: string): void {
    this.asks.get(id)?.abort();
  }

  /** Embedding without a library (opened with `name: null`), e.g. to compare devices. */
  embed(texts: string[], kind: 'query' | 'passage'): Promise<Float32Array> {
    if (!this.embedder) throw new Error('nothing is open');
    return this.embedder.embed(texts, kind);
  }

  async close(): Promise<void> {
    this.library?.close();
    await this.embedder?.dispose();
    this.library = undefined;
    this.embedder = undefined;
  }
}

/**
 * The UI thread's model as a Generator for `askQuestion`: only `generate` is used (the map and
 * combine of a written summary, the yes/no check of list items); its Stop is the UI thread's.
 */
function remoteGenerator(generate: HostGenerate): Generator {
  return {
    id: 'remote',
    contextWindow: 2048,
    countTokens: async (text) => Math.ceil(text.length / 4),
    generate: (messages, o) => generate(messages, o?.maxNewTokens),
    interrupt: () => {},
    dispose: async () => {},
  };
}
