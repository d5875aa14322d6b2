/**
 * llama.cpp (wllama) as a worker hosts it, for one page: checks GGUF files, keeps them in the model
 * store, downloads catalogue models, loads one model and answers with it. `workers/wllama.worker.ts`
 * only hands a WllamaHost to Comlink; `client/generator.ts` calls it through `WllamaWorkerApi`,
 * derived from this class. wllama starts its own worker (and threads) below the host's; ending the
 * host's worker frees all of it.
 */
import { LoggerWithoutDebug, Wllama } from '@wllama/wllama';
import type { Remote } from '../host';
import {
  EngineError,
  httpError,
  isOutOfMemory,
  isQuota,
  networkError,
  outOfMemory,
  storageFull,
  tagged,
} from './engineErrors';
import { type ChatMessage, type GenerateResult, type RunStats, timedGenerate } from './generator';
import { checkComplete, GgufError, type GgufInfo, memoryNeeded, readGguf } from './gguf';
import { ggufTokenizer } from './ggufTokenizer';
import { type ModelStore, opfsModelStore, type StoredModel } from './modelStore';
import { WllamaGenerator } from './wllama';

/** Where this build serves llama.cpp's worker, thread script and wasm (scripts/vite-wllama.ts). */
export interface WllamaAssets {
  mainScript: string;
  threadScript: string;
  wasm: string;
}

/** Most memory llama.cpp in the browser can use: its WebAssembly memory is capped at 4 GiB. */
const WASM_MEMORY_LIMIT = 4 * 2 ** 30;
/** Context window Folio asks for: room for the passages, the question and a long answer. */
const MAX_CONTEXT = 4096;

export interface LoadedInfo {
  id: string;
  contextWindow: number;
  hasChatTemplate: boolean;
  threads: number;
  multiThread: boolean;
  loadMs: number;
}

const gib = (n: number) => `${(n / 2 ** 30).toFixed(1)} GB`;
const here = () => (typeof self === 'undefined' ? undefined : self);

/**
 * Checks one model (all its parts) before anything is kept: a GGUF, complete, of an architecture
 * llama.cpp runs, small enough for this device. Throws EngineError with the reason.
 */
export async function checkModel(parts: Blob[], label: string, deviceMemoryGiB?: number): Promise<GgufInfo> {
  let first: GgufInfo | undefined;
  for (const [i, part] of parts.entries()) {
    let info: GgufInfo;
    try {
      info = await readGguf(part);
      checkComplete(info, part.size);
    } catch (err) {
      if (!(err instanceof GgufError)) throw err;
      const code =
        err.problem === 'not-gguf'
          ? 'not-gguf'
          : err.problem === 'truncated'
            ? 'truncated'
            : err.problem === 'unknown-architecture'
              ? 'unknown-architecture'
              : 'not-a-model';
      throw new EngineError(code, `${label} cannot be used: ${err.message}.`);
    }
    if (i === 0) first = info;
  }
  const info = first!;
  if (info.split && info.split.count !== parts.length) {
    throw new EngineError(
      'truncated',
      `${label} is part ${info.split.no} of a model split into ${info.split.count} files: add all ${info.split.count} files together.`,
    );
  }
  const bytes = parts.reduce((n, p) => n + p.size, 0);
  const needed = memoryNeeded(info, bytes, Math.min(info.contextLength ?? MAX_CONTEXT, MAX_CONTEXT));
  const deviceLimit = deviceMemoryGiB ? deviceMemoryGiB * 2 ** 30 * 0.5 : Infinity;
  if (needed > Math.min(WASM_MEMORY_LIMIT, deviceLimit)) {
    const limit =
      deviceLimit < WASM_MEMORY_LIMIT
        ? `this device (${deviceMemoryGiB} GB of memory) can give it about ${gib(deviceLimit)}`
        : `llama.cpp in a browser can use at most ${gib(WASM_MEMORY_LIMIT)}`;
    throw new EngineError(
      'too-large',
      `${label} is too big to run here: it needs about ${gib(needed)} of memory and ${limit}. Choose a smaller or more quantised model (e.g. Q4_K_M of a model under 3B parameters).`,
    );
  }
  return info;
}

/** Failures as they cross to the page: Comlink keeps only the message, so the code rides in it. */
function fail(err: unknown): never {
  if (err instanceof EngineError) throw tagged(err);
  if (isQuota(err)) throw tagged(storageFull(err));
  if (isOutOfMemory(err)) throw tagged(outOfMemory(err));
  throw err;
}

function metaOf(info: GgufInfo, fallbackName: string) {
  return {
    name: info.name || fallbackName,
    architecture: info.architecture,
    quantization: info.quantization,
    ...(info.contextLength ? { contextLength: info.contextLength } : {}),
    hasChatTemplate: !!info.chatTemplate,
  };
}

/**
 * wllama starts llama.cpp's worker from a blob: URL, which the app's policy (worker-src 'self')
 * refuses. The same code is served as a file (scripts/vite-wllama.ts); the next blob worker
 * wllama asks for is started from that file, with the options wllama would have written into it.
 */
let pendingOptions: object | undefined;
function startBlobWorkersFrom(mainScript: string): void {
  const scope = here();
  if (!scope?.Worker) return;
  const NativeWorker = scope.Worker;
  scope.Worker = class extends NativeWorker {
    constructor(url: string | URL, options?: WorkerOptions) {
      const href = String(url);
      if (href.startsWith('blob:') && pendingOptions) {
        URL.revokeObjectURL(href);
        const query = encodeURIComponent(JSON.stringify(pendingOptions));
        pendingOptions = undefined;
        super(`${mainScript}?options=${query}`, options);
      } else super(url, options);
    }
  } as typeof Worker;
}

export class WllamaHost {
  private generator: WllamaGenerator | undefined;
  private readonly downloads = new Map<string, AbortController>();
  private readonly assets: WllamaAssets;

  constructor(
    assets: WllamaAssets,
    private readonly store: ModelStore = opfsModelStore,
  ) {
    const base = here()?.location.href;
    const abs = (url: string) => (base ? new URL(url, base).href : url);
    this.assets = {
      mainScript: abs(assets.mainScript),
      threadScript: abs(assets.threadScript),
      wasm: abs(assets.wasm),
    };
    startBlobWorkersFrom(this.assets.mainScript);
  }

  private async unload(): Promise<void> {
    const g = this.generator;
    this.generator = undefined;
    await g?.dispose().catch(() => {});
  }

  /** Checks files picked from disk and keeps them as model `id`. */
  async addFiles(id: string, files: File[], deviceMemoryGiB?: number): Promise<StoredModel> {
    try {
      const label = files.length === 1 ? `"${files[0]!.name}"` : `"${files[0]!.name}" and its other parts`;
      const existing = await this.store.get(id);
      if (existing) return existing;
      const sorted = [...files].sort((a, b) => a.name.localeCompare(b.name));
      const info = await checkModel(sorted, label, deviceMemoryGiB);
      return await this.store.write(id, async (open) => {
        for (const [i, file] of sorted.entries()) {
          const sink = await open(i);
          const reader = file.stream().getReader();
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            sink.write(value);
          }
          sink.close();
        }
        return {
          ...metaOf(info, sorted[0]!.name.replace(/(-\d{5}-of-\d{5})?\.gguf$/i, '')),
          id,
          source: 'file' as const,
        };
      });
    } catch (err) {
      fail(err);
    }
  }

  /** Downloads a catalogue model (its parts, in order), reporting bytes as they arrive. */
  async download(
    id: string,
    urls: string[],
    expectedBytes: number | undefined,
    onProgress: (loaded: number, total: number) => void,
    deviceMemoryGiB?: number,
  ): Promise<StoredModel> {
    const controller = new AbortController();
    this.downloads.set(id, controller);
    let last = 0;
    try {
      return await this.store.write(id, async (open, read) => {
        let loaded = 0;
        let total = expectedBytes ?? 0;
        for (const [i, url] of urls.entries()) {
          let res: Response;
          try {
            res = await fetch(url, { signal: controller.signal });
          } catch (cause) {
            if (controller.signal.aborted) throw new EngineError('cancelled', 'The download was cancelled.');
            throw networkError(new URL(url).host, cause);
          }
          // Only the catalogue's models are downloaded: a missing file is the site's gap, not a typo.
          if (!res.ok || !res.body)
            throw httpError(res.status, `${url.slice(url.lastIndexOf('/') + 1)}`, undefined, false);
          const length = Number(res.headers.get('content-length') ?? 0);
          if (!expectedBytes && length) total += length;
          const sink = await open(i);
          const reader = res.body.getReader();
          let got = 0;
          try {
            for (;;) {
              const { done, value } = await reader.read();
              if (done) break;
              sink.write(value);
              got += value.byteLength;
              loaded += value.byteLength;
              if (performance.now() - last > 200) {
                last = performance.now();
                onProgress(loaded, Math.max(total, loaded));
              }
            }
          } catch (cause) {
            if (controller.signal.aborted) throw new EngineError('cancelled', 'The download was cancelled.');
            throw new EngineError(
              'download-interrupted',
              `The download stopped part-way (${Math.round((100 * loaded) / Math.max(1, total))}% received): the connection was lost. Nothing was kept; download again to retry.`,
              { cause },
            );
          }
          sink.close();
          if (length && got < length)
            throw new EngineError(
              'download-interrupted',
              `The download stopped part-way (${Math.round((100 * got) / length)}% received). Nothing was kept; download again to retry.`,
            );
        }
        onProgress(loaded, loaded);
        const stored = await Promise.all(urls.map((_, i) => read(i)));
        const info = await checkModel(stored, 'The downloaded model', deviceMemoryGiB).catch((err) => {
          throw err instanceof EngineError && err.code === 'truncated'
            ? new EngineError(
                'download-interrupted',
                'The download stopped part-way: the file is incomplete. Nothing was kept; download again to retry.',
              )
            : err;
        });
        return { ...metaOf(info, id), id, source: 'download' as const };
      });
    } catch (err) {
      fail(err);
    } finally {
      this.downloads.delete(id);
    }
  }

  cancelDownload(id: string): void {
    this.downloads.get(id)?.abort();
  }

  /** Loads a stored model; any model loaded before is freed first. */
  async load(id: string, opts: { threads: number; contextWindow?: number }): Promise<LoadedInfo> {
    await this.unload();
    try {
      const model = await this.store.get(id);
      if (!model)
        throw new EngineError('not-found', 'This model is not on this device any more; download or add it again.');
      const files = await this.store.parts(model);
      const t0 = performance.now();
      const info = await readGguf(files[0]!, { withTokenizer: true });
      if (!info.tokenizer)
        throw new EngineError('not-a-model', 'This model file has no tokenizer, so it cannot write text.');
      const tokenizer = ggufTokenizer(info.tokenizer);
      const nCtx = Math.min(opts.contextWindow ?? MAX_CONTEXT, info.contextLength ?? MAX_CONTEXT);
      const threads = Math.max(1, opts.threads);
      const multiThread = threads > 1 && !!here()?.crossOriginIsolated && typeof SharedArrayBuffer !== 'undefined';
      const instance = new Wllama(
        { default: this.assets.wasm },
        { logger: LoggerWithoutDebug, suppressNativeLog: true },
      );
      // Never the CDN copy wllama would otherwise fetch for browsers without JSPI or memory64.
      instance.setCompat(null);
      pendingOptions = {
        pathConfig: { 'wllama.wasm': this.assets.wasm },
        nbThread: multiThread ? threads : 0,
        compat: false,
        threadScript: this.assets.threadScript,
      };
      try {
        // Flash attention off (llama.cpp's default, 'auto', turns it on for the processor): with
        // it, answer-sized prompts (~330 tokens) to stories260K decoded differently from the same
        // model in ONNX fp32 after a few tokens, even with an f32 KV cache; without it every prompt
        // tried decoded token for token as ONNX does. It costs the K·Q scores' buffer in memory.
        await instance.loadModel(files, {
          n_ctx: nCtx,
          n_threads: threads,
          n_gpu_layers: 0,
          n_parallel: 1,
          jinja: true,
          flash_attn: false,
        });
      } catch (err) {
        await instance.exit().catch(() => {});
        throw isOutOfMemory(err) ? outOfMemory(err) : err;
      } finally {
        pendingOptions = undefined;
      }
      this.generator = new WllamaGenerator(instance, id, nCtx, tokenizer, !!info.chatTemplate);
      return {
        id,
        contextWindow: this.generator.contextWindow,
        hasChatTemplate: !!info.chatTemplate,
        threads: instance.getNumThreads(),
        multiThread: instance.isMultithread(),
        loadMs: Math.round(performance.now() - t0),
      };
    } catch (err) {
      await this.unload();
      fail(err);
    }
  }

  countTokens(text: string): Promise<number> {
    if (!this.generator) throw new Error('No model is loaded.');
    return this.generator.countTokens(text);
  }

  async generate(
    messages: ChatMessage[],
    opts: { maxNewTokens?: number; temperature?: number },
    onToken?: (t: string) => void,
  ): Promise<GenerateResult & Partial<RunStats>> {
    const g = this.generator;
    if (!g) throw new Error('No model is loaded.');
    try {
      return await timedGenerate(g, messages, opts, onToken, (pieces) => g.lastUsage?.completion_tokens ?? pieces);
    } catch (err) {
      fail(err);
    }
  }

  interrupt(): void {
    this.generator?.interrupt();
  }

  dispose(): Promise<void> {
    return this.unload();
  }
}

/** The llama.cpp worker's calls, as the page makes them. */
export type WllamaWorkerApi = Remote<WllamaHost>;
