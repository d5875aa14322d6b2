import { DeferredEmbedder } from './deferred';
import {
  browserDeviceMemory,
  chooseDevice,
  measured,
  type DeviceChoice,
  type DeviceMemory,
  type GpuLike,
} from './device';
import type { EmbedDevice } from './embedder';
import { DEFAULT_EMBEDDING_MODEL, getEmbeddingModel } from './models';
import type { TransformersEmbedderOptions } from './transformers';

/** What loading the model found, once it is loaded. */
export interface LoadedModel extends DeviceChoice {
  dtype: string;
  /** Milliseconds from the start to the model being loaded, and for its first (warm-up) run. */
  modelMs: number;
  warmUpMs: number;
}

/**
 * The embedder a library host uses: returned at once (a DeferredEmbedder: a library can open
 * while it loads), its tokenizer first, then the model on the device chosen by measurement
 * (device.ts) unless one is given, warmed up so that the first question does not pay for
 * ONNX Runtime's kernel set-up.
 */
export function openEmbedder(
  opts: TransformersEmbedderOptions,
  memory?: DeviceMemory,
  after?: Promise<unknown>,
): { embedder: DeferredEmbedder; loaded: Promise<LoadedModel> } {
  const t0 = performance.now();
  const spec = typeof opts.model === 'string' ? getEmbeddingModel(opts.model) : (opts.model ?? DEFAULT_EMBEDDING_MODEL);
  // transformers.js (and ONNX Runtime's glue) is loaded only here, so a worker starts without
  // compiling it and can read its library meanwhile.
  const start = import('./transformers').then((m) => m.startTransformersEmbedder({ ...opts, model: spec }));
  const device = opts.device ?? 'auto';
  const loaded = (async () => {
    const { load } = await start;
    // The model's set-up holds the thread for a while: what must come first (a library's keyword
    // index, on reopening) does.
    await after;
    const key = `${spec.id}|${opts.dtype ?? 'default'}`;
    const mem = device === 'auto' ? (memory ?? browserDeviceMemory()) : undefined;
    const gpu = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
    // Node runs ONNX Runtime natively ('cpu'); browsers run its WebAssembly build.
    const fallback: EmbedDevice = typeof (globalThis as { process?: unknown }).process !== 'undefined' ? 'cpu' : 'wasm';
    const { embedder, choice } = mem
      ? await chooseDevice({ key, gpu, fallback, load, memory: mem })
      : {
          embedder: await load(device as EmbedDevice),
          choice: { device: device as EmbedDevice, reason: 'chosen in the settings' },
        };
    const modelMs = performance.now() - t0;
    // ONNX Runtime sets up its kernels on the first run; doing that now, while the library is
    // still being read, takes it off the first question's time.
    await embedder.embed(['warm-up'], 'query');
    const warmUpMs = performance.now() - t0 - modelMs;
    const remembering = mem ? (c: DeviceChoice) => void mem.set(key, c).catch(() => {}) : () => {};
    return {
      embedder: measured(embedder, choice, remembering),
      info: { ...choice, dtype: embedder.dtype, modelMs: Math.round(modelMs), warmUpMs: Math.round(warmUpMs) },
    };
  })();
  const embedder = new DeferredEmbedder(
    spec,
    loaded.then((l) => l.embedder),
    start.then((s) => s.countTokens),
  );
  const info = loaded.then((l) => l.info);
  // A failure is reported to whoever waits for the model (modelInfo, search, adding).
  info.catch(() => {});
  return { embedder, loaded: info };
}
