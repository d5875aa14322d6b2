/**
 * Hosts llama.cpp (wllama) for one page: checks GGUF files, keeps them in the Origin Private File
 * System, downloads catalogue models, loads one model and answers with it. wllama starts its own
 * worker (and threads) below this one; terminating this worker frees all of it.
 */
import * as Comlink from 'comlink';
import { LoggerWithoutDebug, Wllama } from '@wllama/wllama';
import { wllamaAssets } from 'virtual:folio-wllama';
import type { ChatMessage, GenerateResult } from '../core/generate/generator';
import {
  EngineError,
  httpError,
  isOutOfMemory,
  isQuota,
  networkError,
  outOfMemory,
  storageFull,
  tagged,
} from '../core/generate/engineErrors';
import { checkComplete, GgufError, memoryNeeded, readGguf, type GgufInfo } from '../core/generate/gguf';
import { ggufTokenizer } from '../core/generate/ggufTokenizer';
import {
  modelDir,
  openStoredModel,
  partFile,
  storedModel,
  writeStoredModel,
  type StoredModel,
} from '../core/generate/modelStore';
import { WllamaGenerator } from '../core/generate/wllama';

const abs = (url: string) => new URL(url, self.location.href).href;

/**
 * wllama starts llama.cpp's worker from a blob: URL, which the app's policy (worker-src 'self')
 * refuses. The same code is served as a file (scripts/vite-wllama.ts); the next blob worker
 * wllama asks for is started from that file, with the options wllama would have written into it.
 */
let pendingOptions: object | undefined;
const NativeWorker = self.Worker;
self.Worker = class extends NativeWorker {
  constructor(url: string | URL, options?: WorkerOptions) {
    const href = String(url);
    if (href.startsWith('blob:') && pendingOptions) {
      URL.revokeObjectURL(href);
      const query = encodeURIComponent(JSON.stringify(pendingOptions));
      pendingOptions = undefined;
      super(`${abs(wllamaAssets.mainScript)}?options=${query}`, options);
    } else super(url, options);
  }
} as typeof Worker;

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

/**
 * Checks one model (all its parts) before anything is kept: a GGUF, complete, of an architecture
 * llama.cpp runs, small enough for this device. Throws EngineError with the reason.
 */
async function check(parts: Blob[], label: string, deviceMemoryGiB?: number): Promise<GgufInfo> {
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

let generator: WllamaGenerator | undefined;
const downloads = new Map<string, AbortController>();

async function unload(): Promise<void> {
  const g = generator;
  generator = undefined;
  await g?.dispose().catch(() => {});
}

function fail(err: unknown): never {
  if (err instanceof EngineError) throw tagged(err);
  if (isQuota(err)) throw tagged(storageFull(err));
  if (isOutOfMemory(err)) throw tagged(outOfMemory(err));
  throw err;
}

const api = {
  /** Checks files picked from disk and keeps them in OPFS as model `id`. */
  async addFiles(id: string, files: File[], deviceMemoryGiB?: number): Promise<StoredModel> {
    try {
      const label = files.length === 1 ? `"${files[0]!.name}"` : `"${files[0]!.name}" and its other parts`;
      const existing = await storedModel(id);
      if (existing) return existing;
      const sorted = [...files].sort((a, b) => a.name.localeCompare(b.name));
      const info = await check(sorted, label, deviceMemoryGiB);
      return await writeStoredModel(id, async (open) => {
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
  },

  /** Downloads a catalogue model (its parts, in order) into OPFS, reporting bytes as they arrive. */
  async download(
    id: string,
    urls: string[],
    expectedBytes: number | undefined,
    onProgress: (loaded: number, total: number) => void,
    deviceMemoryGiB?: number,
  ): Promise<StoredModel> {
    const controller = new AbortController();
    downloads.set(id, controller);
    let last = 0;
    try {
      return await writeStoredModel(id, async (open) => {
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
          if (!res.ok || !res.body) throw httpError(res.status, `file ${url.slice(url.lastIndexOf('/') + 1)}`);
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
        const dir = await modelDir();
        const stored = await Promise.all(
          urls.map(async (_, i) => (await dir.getFileHandle(partFile(id, i))).getFile()),
        );
        const info = await check(stored, 'The downloaded model', deviceMemoryGiB).catch((err) => {
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
      downloads.delete(id);
    }
  },

  cancelDownload(id: string): void {
    downloads.get(id)?.abort();
  },

  /** Loads a stored model; any model loaded before is freed first. */
  async load(id: string, opts: { threads: number; contextWindow?: number }): Promise<LoadedInfo> {
    await unload();
    try {
      const model = await storedModel(id);
      if (!model)
        throw new EngineError('not-found', 'This model is not on this device any more; download or add it again.');
      const files = await openStoredModel(model);
      const t0 = performance.now();
      const info = await readGguf(files[0]!, { withTokenizer: true });
      if (!info.tokenizer)
        throw new EngineError('not-a-model', 'This model file has no tokenizer, so it cannot write text.');
      const tokenizer = ggufTokenizer(info.tokenizer);
      const nCtx = Math.min(opts.contextWindow ?? MAX_CONTEXT, info.contextLength ?? MAX_CONTEXT);
      const threads = Math.max(1, opts.threads);
      const multiThread = threads > 1 && self.crossOriginIsolated && typeof SharedArrayBuffer !== 'undefined';
      const instance = new Wllama(
        { default: abs(wllamaAssets.wasm) },
        { logger: LoggerWithoutDebug, suppressNativeLog: true },
      );
      // Never the CDN copy wllama would otherwise fetch for browsers without JSPI or memory64.
      instance.setCompat(null);
      pendingOptions = {
        pathConfig: { 'wllama.wasm': abs(wllamaAssets.wasm) },
        nbThread: multiThread ? threads : 0,
        compat: false,
        threadScript: abs(wllamaAssets.threadScript),
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
      generator = new WllamaGenerator(instance, id, nCtx, tokenizer, !!info.chatTemplate);
      return {
        id,
        contextWindow: generator.contextWindow,
        hasChatTemplate: !!info.chatTemplate,
        threads: instance.getNumThreads(),
        multiThread: instance.isMultithread(),
        loadMs: Math.round(performance.now() - t0),
      };
    } catch (err) {
      await unload();
      fail(err);
    }
  },

  countTokens: (text: string) => generator!.countTokens(text),

  async generate(
    messages: ChatMessage[],
    opts: { maxNewTokens?: number; temperature?: number },
    onToken?: (t: string) => void,
  ): Promise<GenerateResult & { tokens: number; firstTokenMs?: number; ms: number }> {
    const g = generator;
    if (!g) throw new Error('No model is loaded.');
    const t0 = performance.now();
    let first: number | undefined;
    let pieces = 0;
    try {
      const result = await g.generate(messages, {
        ...opts,
        onToken: (t) => {
          first ??= performance.now() - t0;
          pieces++;
          onToken?.(t);
        },
      });
      return {
        ...result,
        tokens: g.lastUsage?.completion_tokens ?? pieces,
        ...(first !== undefined ? { firstTokenMs: first } : {}),
        ms: performance.now() - t0,
      };
    } catch (err) {
      fail(err);
    }
  },

  interrupt: () => generator?.interrupt(),

  dispose: () => unload(),
};

function metaOf(info: GgufInfo, fallbackName: string) {
  return {
    name: info.name || fallbackName,
    architecture: info.architecture,
    quantization: info.quantization,
    ...(info.contextLength ? { contextLength: info.contextLength } : {}),
    hasChatTemplate: !!info.chatTemplate,
  };
}

export type WllamaWorkerApi = typeof api;

Comlink.expose(api);
