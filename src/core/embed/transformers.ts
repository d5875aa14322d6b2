import {
  AutoModel,
  AutoTokenizer,
  env,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  type Tensor,
} from '@huggingface/transformers';
import { platform } from '#platform';
import type { DownloadProgress, EmbedDevice, Embedder } from './embedder';
import { DEFAULT_EMBEDDING_MODEL, getEmbeddingModel, type EmbeddingDtype, type EmbeddingModelSpec } from './models';

export interface TransformersEmbedderOptions {
  model?: EmbeddingModelSpec | string;
  /** 'auto': WebGPU when an adapter exists, else WASM (browser) or native CPU (Node). */
  device?: 'auto' | EmbedDevice;
  /** Override the model's preferred dtype (e.g. when only q8 files are available). */
  dtype?: EmbeddingDtype;
  /** Folder (Node path or URL) laid out like the hub; when set, the hub is never contacted. */
  localModelPath?: string;
  /** A self-hosted mirror of the hub to download from instead of huggingface.co. */
  remoteHost?: string;
  batchSize?: number;
  onDownload?: (progress: DownloadProgress) => void;
}

/** transformers.js's `env` is process-wide, so it is configured in one place. */
export function configureTransformers(
  opts: Pick<TransformersEmbedderOptions, 'localModelPath' | 'remoteHost'>,
  device: EmbedDevice = 'wasm',
): void {
  const wasmPaths = platform.onnxWasmPaths(device);
  const onnx = env.backends.onnx as { wasm?: { wasmPaths?: unknown; numThreads?: number } };
  if (wasmPaths && onnx.wasm) {
    onnx.wasm.wasmPaths = wasmPaths;
    // transformers.js would otherwise keep a second copy of ONNX Runtime in its own cache and run
    // it from a blob: URL, which the app's Content-Security-Policy forbids (code only from the
    // app's origin). The service worker already keeps these files for offline use.
    (env as { useWasmCache?: boolean }).useWasmCache = false;
    // ONNX Runtime defaults to half the cores; the worker doing this has nothing else to do.
    const g = globalThis as { crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number } };
    if (g.crossOriginIsolated) onnx.wasm.numThreads = Math.min(4, g.navigator?.hardwareConcurrency ?? 1);
  }
  const given = opts.localModelPath ?? (opts.remoteHost ? undefined : platform.defaultLocalModelPath());
  const local = given && platform.modelFolder(given);
  if (local) {
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    env.localModelPath = local.endsWith('/') || local.endsWith('\\') ? local : `${local}/`;
  } else {
    env.allowLocalModels = false;
    env.allowRemoteModels = true;
    if (opts.remoteHost) env.remoteHost = opts.remoteHost.endsWith('/') ? opts.remoteHost : `${opts.remoteHost}/`;
  }
}

export async function detectDevice(): Promise<EmbedDevice> {
  const nav = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<unknown> } } }).navigator;
  if (typeof (globalThis as { process?: unknown }).process !== 'undefined' && !nav?.gpu) return 'cpu';
  try {
    if (nav?.gpu && (await nav.gpu.requestAdapter())) return 'webgpu';
  } catch {
    /* no usable adapter */
  }
  return 'wasm';
}

export async function createTransformersEmbedder(opts: TransformersEmbedderOptions = {}): Promise<Embedder> {
  const device = !opts.device || opts.device === 'auto' ? await detectDevice() : opts.device;
  return startTransformersEmbedder(opts).load(device);
}

/**
 * Loading in two parts: the tokenizer starts at once (small, pure JavaScript: passages can be
 * sized and counted early), the model when `load` is called with the device to run it on (the
 * device may be chosen by measuring, see device.ts).
 */
export function startTransformersEmbedder(opts: TransformersEmbedderOptions = {}): {
  spec: EmbeddingModelSpec;
  /** Counts tokens as the loaded embedder will (without special tokens). */
  countTokens: Promise<(text: string) => number>;
  load: (device: EmbedDevice) => Promise<Embedder>;
} {
  const spec = typeof opts.model === 'string' ? getEmbeddingModel(opts.model) : (opts.model ?? DEFAULT_EMBEDDING_MODEL);
  configureTransformers(opts);
  const files = new Map<string, { loaded: number; total: number }>();
  const progress_callback = (info: { status: string; file?: string; loaded?: number; total?: number }) => {
    if (info.status !== 'progress' || !info.file || !opts.onDownload) return;
    files.set(info.file, { loaded: info.loaded ?? 0, total: info.total ?? 0 });
    let loaded = 0;
    let total = 0;
    for (const f of files.values()) {
      loaded += f.loaded;
      total += f.total;
    }
    opts.onDownload({ model: spec.id, file: info.file, loaded, total });
  };
  const explain = (err: unknown) => {
    throw modelLoadError(spec.id, err);
  };
  const tokenizer = AutoTokenizer.from_pretrained(spec.id, { progress_callback }).catch(explain);
  // A failure surfaces through `load` or `countTokens`, whichever is awaited.
  tokenizer.catch(() => {});
  const load = async (device: EmbedDevice) => {
    configureTransformers(opts, device);
    const dtype = opts.dtype ?? (device === 'webgpu' ? spec.dtype.webgpu : spec.dtype.wasm);
    // Side by side with the tokenizer's files, when it is still loading.
    const model = AutoModel.from_pretrained(spec.id, { device, dtype, progress_callback }).catch(explain);
    model.catch(() => {});
    const [tok, net] = await Promise.all([tokenizer, model]);
    return new TransformersEmbedder(spec, device, dtype, tok, net, opts.batchSize ?? (device === 'webgpu' ? 32 : 16));
  };
  const countTokens = tokenizer.then((t) => (text: string) => tokenCount(t, text));
  countTokens.catch(() => {});
  return { spec, countTokens, load };
}

/**
 * A model that could not be loaded, said as a sentence. transformers.js reports a model its source
 * does not have as a TypeError from its tokenizer set-up (the tokenizer's config was not found) or
 * as "Could not locate file"; either way the source lacks the model.
 */
function modelLoadError(id: string, err: unknown): Error {
  const reason = err instanceof Error ? err.message : String(err);
  const where = env.allowLocalModels ? `the model folder ${env.localModelPath}` : `the model host ${env.remoteHost}`;
  const missing = /tokenizer_class|Could not locate file|404|Unauthorized access to file/i.test(reason);
  return new Error(
    missing
      ? `The search model ${id} is not in ${where}: its files were not found there.`
      : `The search model ${id} could not be loaded from ${where}: ${reason}`,
    { cause: err },
  );
}

class TransformersEmbedder implements Embedder {
  constructor(
    readonly model: EmbeddingModelSpec,
    readonly device: EmbedDevice,
    readonly dtype: string,
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly net: PreTrainedModel,
    private readonly batchSize: number,
  ) {}

  countTokens(text: string): number {
    return tokenCount(this.tokenizer, text);
  }

  async embed(
    texts: string[],
    kind: 'query' | 'passage',
    onProgress?: (done: number, total: number) => void,
    signal?: AbortSignal,
  ): Promise<Float32Array> {
    const dims = this.model.dimensions;
    const out = new Float32Array(texts.length * dims);
    const prefix = kind === 'query' ? this.model.queryPrefix : this.model.passagePrefix;
    // Sorting by length keeps padding (wasted compute) small within each batch.
    const order = texts.map((_, i) => i).sort((a, b) => texts[a]!.length - texts[b]!.length);
    for (let b = 0; b < order.length; b += this.batchSize) {
      // ONNX Runtime resolves through microtasks only, so a long embedding would starve the
      // worker's message queue (a Cancel could not even arrive): give it a turn between batches.
      if (signal) await new Promise((resolve) => setTimeout(resolve, 0));
      signal?.throwIfAborted();
      const idx = order.slice(b, b + this.batchSize);
      const inputs = this.tokenizer(
        idx.map((i) => prefix + texts[i]!),
        { padding: true, truncation: true, max_length: this.model.maxTokens },
      ) as { input_ids: Tensor; attention_mask: Tensor };
      const output = (await this.net(inputs)) as { last_hidden_state: Tensor };
      const hidden = output.last_hidden_state;
      const [, seq, width] = hidden.dims as [number, number, number];
      const h = hidden.data as Float32Array;
      const mask = inputs.attention_mask.data as BigInt64Array;
      idx.forEach((textIndex, row) => {
        const v = out.subarray(textIndex * dims, (textIndex + 1) * dims);
        if (this.model.pooling === 'cls') {
          v.set(h.subarray(row * seq * width, row * seq * width + dims));
        } else {
          let n = 0;
          for (let t = 0; t < seq; t++) {
            if (!mask[row * seq + t]) continue;
            n++;
            const base = (row * seq + t) * width;
            for (let d = 0; d < dims; d++) v[d]! += h[base + d]!;
          }
          for (let d = 0; d < dims; d++) v[d]! /= Math.max(1, n);
        }
        if (this.model.normalize) normalizeInPlace(v);
      });
      hidden.dispose?.();
      onProgress?.(Math.min(order.length, b + this.batchSize), order.length);
    }
    return out;
  }

  async dispose(): Promise<void> {
    await this.net.dispose();
  }
}

function tokenCount(tokenizer: PreTrainedTokenizer, text: string): number {
  return tokenizer.encode(text, { add_special_tokens: false }).length;
}

function normalizeInPlace(v: Float32Array): void {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  const n = Math.sqrt(s) || 1;
  for (let i = 0; i < v.length; i++) v[i]! /= n;
}
