/**
 * The UI thread's handle on an answer model. Each backend runs in a worker; this gives them one
 * `Generator` shape.
 */
import * as Comlink from 'comlink';
import type {
  ChatMessage,
  GenerateOptions,
  Generator,
  LoadedInfo,
  RunStats,
  TransformersGeneratorOptions,
  TransformersWorkerApi,
  WllamaWorkerApi,
} from '../core';
// Only WebLLM's types are imported here: its code (2 MB+) loads when a WebLLM model is chosen.
import {
  chooseWebLLMModels,
  gpuCapabilities,
  hostedModelRecords,
  repoOf,
  smallerModel,
  WebLLMGenerator,
} from '../core';
import { webLLMHosting } from './modelSource';

export async function openTransformersGenerator(
  opts: Omit<TransformersGeneratorOptions, 'onDownload'>,
  onDownload?: (p: { file: string; loaded: number; total: number }) => void,
  signal?: AbortSignal,
): Promise<Generator & { lastRun?: RunStats }> {
  const worker = new Worker(new URL('../workers/generator.worker.ts', import.meta.url), {
    type: 'module',
    name: 'folio-generator',
  });
  const remote = Comlink.wrap<TransformersWorkerApi>(worker);
  let info: { id: string; contextWindow: number };
  try {
    info = await untilAborted(remote.load(opts, onDownload ? Comlink.proxy(onDownload) : undefined), signal);
  } catch (err) {
    worker.terminate();
    throw err;
  }
  return remoteGenerator(remote, info, async () => {
    await remote.dispose().catch(() => {});
    remote[Comlink.releaseProxy]();
    worker.terminate();
  });
}

/** Rejects as soon as `signal` aborts (the caller then terminates the worker doing the work). */
function untilAborted<T>(work: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new DOMException('Cancelled', 'AbortError'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** What a generator worker answers with: the calls the transformers.js and llama.cpp hosts share. */
type RemoteGeneratorApi = Pick<TransformersWorkerApi, 'countTokens' | 'generate' | 'interrupt'>;

/** A Generator over a generator worker's Comlink API: Stop and abort reach the worker at once. */
function remoteGenerator(
  remote: RemoteGeneratorApi,
  info: { id: string; contextWindow: number },
  dispose: () => Promise<void>,
): Generator & { lastRun?: RunStats } {
  const generator: Generator & { lastRun?: RunStats } = {
    id: info.id,
    contextWindow: info.contextWindow,
    countTokens: (text) => remote.countTokens(text),
    async generate(messages: ChatMessage[], o: GenerateOptions = {}) {
      // An abort listener added to an already-aborted signal never fires: check first.
      if (o.signal?.aborted) return { text: '', finishReason: 'aborted' as const };
      const onAbort = () => generator.interrupt();
      o.signal?.addEventListener('abort', onAbort, { once: true });
      // The pieces come through their own MessageChannel (a Comlink proxy), the result through the
      // worker's: the result can overtake the last pieces, which were then lost from the answer.
      // The result carries the whole text, so what did not arrive is handed on from it, once.
      let streamed = '';
      let settled = false;
      const onToken = o.onToken;
      const piece = (t: string) => {
        if (settled) return;
        streamed += t;
        onToken?.(t);
      };
      try {
        const { tokens, firstTokenMs, ms, ...result } = await remote.generate(
          messages,
          {
            ...(o.maxNewTokens ? { maxNewTokens: o.maxNewTokens } : {}),
            ...(o.temperature !== undefined ? { temperature: o.temperature } : {}),
          },
          onToken ? Comlink.proxy(piece) : undefined,
        );
        settled = true;
        if (onToken && result.text.length > streamed.length && result.text.startsWith(streamed))
          onToken(result.text.slice(streamed.length));
        if (tokens !== undefined && ms !== undefined)
          generator.lastRun = { tokens, ms, ...(firstTokenMs !== undefined ? { firstTokenMs } : {}) };
        return result;
      } finally {
        settled = true;
        o.signal?.removeEventListener('abort', onAbort);
      }
    },
    interrupt: () => {
      if (!disposed) void remote.interrupt();
    },
    // Once: the engines menu frees the engine it replaces, and the page may ask again; a second
    // call on Comlink's released proxy would throw.
    dispose: () => (disposed ??= dispose()),
  };
  let disposed: Promise<void> | undefined;
  return generator;
}

/**
 * WebLLM (WebGPU) answer model: the engine runs in its own worker (webllm.worker.ts); token
 * counts come from the model repo's own tokenizer, loaded in a generator worker.
 */
export async function openWebLLMGenerator(
  modelId: string,
  onProgress: (p: { progress: number; text: string }) => void,
  opts: { localModelPath?: string; remoteHost?: string } = {},
  signal?: AbortSignal,
): Promise<Generator> {
  const hosting = await webLLMHosting();
  const modelList = hostedModelRecords(hosting);
  const record = modelList.find((m) => m.model_id === modelId);
  if (!record)
    throw new Error(
      `${modelId} is not available: ${hosting.libs.missing ?? 'its model library is not hosted with this copy of Folio'}.`,
    );
  const webllm = await import('@mlc-ai/web-llm');
  const caps = await gpuCapabilities((navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu);
  const choices = caps ? chooseWebLLMModels(modelList, caps) : [];
  const tokenizerWorker = new Worker(new URL('../workers/generator.worker.ts', import.meta.url), {
    type: 'module',
    name: 'folio-tokenizer',
  });
  const tokenizer = Comlink.wrap<TransformersWorkerApi>(tokenizerWorker);
  const repo = repoOf(record.model);
  const engineWorker = new Worker(new URL('../workers/webllm.worker.ts', import.meta.url), {
    type: 'module',
    name: 'folio-webllm',
  });
  try {
    const [engine] = await untilAborted(
      Promise.all([
        webllm.CreateWebWorkerMLCEngine(engineWorker, modelId, {
          appConfig: { ...webllm.prebuiltAppConfig, model_list: modelList },
          initProgressCallback: (r) => onProgress({ progress: r.progress, text: r.text }),
        }),
        tokenizer.loadTokenizer(repo, opts),
      ]),
      signal,
    );
    const generator = new WebLLMGenerator(
      engine,
      modelId,
      record.overrides?.context_window_size ?? 4096,
      (t) => tokenizer.countTokens(t),
      smallerModel(choices, modelId),
    );
    const dispose = generator.dispose.bind(generator);
    generator.dispose = async () => {
      await dispose().catch(() => {});
      engineWorker.terminate();
      tokenizerWorker.terminate();
    };
    return generator;
  } catch (err) {
    engineWorker.terminate();
    tokenizerWorker.terminate();
    throw err;
  }
}

/** A page's llama.cpp (wllama) worker: checks and keeps GGUF files, downloads, loads, answers. */
export function openWllamaWorker(): { api: Comlink.Remote<WllamaWorkerApi>; terminate(): void } {
  const worker = new Worker(new URL('../workers/wllama.worker.ts', import.meta.url), {
    type: 'module',
    name: 'folio-wllama',
  });
  const api = Comlink.wrap<WllamaWorkerApi>(worker);
  return {
    api,
    terminate() {
      api[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}

/**
 * The llama.cpp answer model `id` (already in the model store), as a Generator. Threads: half the
 * logical cores (about the physical ones, as wllama itself chooses), more than one only where the
 * page is cross-origin isolated. Measured here (2 cores, shared): 2 threads decoded stories260K
 * at 7–16 tokens/s against 123–190 with 1 (two runs of `BENCH_ONLY=generate npm run bench`):
 * threads that outnumber free cores wait on each other at every token.
 */
export const defaultWllamaThreads = () =>
  self.crossOriginIsolated ? Math.max(1, Math.floor((navigator.hardwareConcurrency || 1) / 2)) : 1;

export async function openWllamaGenerator(
  host: { api: Comlink.Remote<WllamaWorkerApi> },
  id: string,
  threads = defaultWllamaThreads(),
): Promise<Generator & { info: LoadedInfo; lastRun?: RunStats }> {
  const info = await host.api.load(id, { threads });
  return Object.assign(
    remoteGenerator(host.api, info, () => host.api.dispose()),
    { info },
  );
}
