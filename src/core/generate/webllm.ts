import type { ChatCompletionChunk, MLCEngineInterface, ModelRecord } from '@mlc-ai/web-llm';
import { linkedAbort } from '../abort';
import type { ChatMessage, GenerateOptions, GenerateResult, Generator } from './generator';

/** What the WebGPU adapter offers, as far as choosing a model goes. */
export interface GpuCapabilities {
  shaderF16: boolean;
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
}

export async function gpuCapabilities(
  gpu: { requestAdapter(): Promise<unknown> } | undefined,
): Promise<GpuCapabilities | null> {
  const adapter = (await gpu?.requestAdapter().catch(() => null)) as
    | { features: { has(f: string): boolean }; limits: { maxStorageBufferBindingSize: number; maxBufferSize: number } }
    | null
    | undefined;
  if (!adapter) return null;
  return {
    shaderF16: adapter.features.has('shader-f16'),
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
    maxBufferSize: adapter.limits.maxBufferSize,
  };
}

/** ~1B instruct models first: good answers at a download most people will accept. */
export const PREFERRED_WEBLLM_MODELS = [
  'Llama-3.2-1B-Instruct',
  'Qwen2.5-1.5B-Instruct',
  'SmolLM2-1.7B-Instruct',
  'gemma-2-2b-it',
  'Qwen2.5-0.5B-Instruct',
  'SmolLM2-360M-Instruct',
];

/**
 * The chat models this GPU can run, preferred first: q4f16 weights need `shader-f16`, otherwise
 * q4f32; a model whose buffers exceed the adapter's limits is left out. Smaller models follow,
 * so "try a smaller model" after running out of memory is the next entry.
 */
export function chooseWebLLMModels(list: readonly ModelRecord[], gpu: GpuCapabilities): ModelRecord[] {
  const quant = gpu.shaderF16 ? 'q4f16' : 'q4f32';
  const usable = list.filter(
    (m) =>
      (m.model_type === undefined || m.model_type === 0) &&
      m.model_id.includes(quant) &&
      /instruct|chat|-it\b|-it-/i.test(m.model_id) &&
      (!m.required_features || m.required_features.every((f) => f !== 'shader-f16' || gpu.shaderF16)) &&
      (m.buffer_size_required_bytes ?? 0) <= Math.min(gpu.maxStorageBufferBindingSize, gpu.maxBufferSize),
  );
  const rank = (m: ModelRecord) => {
    const i = PREFERRED_WEBLLM_MODELS.findIndex((p) => m.model_id.startsWith(p));
    return i < 0 ? PREFERRED_WEBLLM_MODELS.length : i;
  };
  return usable.sort((a, b) => rank(a) - rank(b) || (a.vram_required_MB ?? 0) - (b.vram_required_MB ?? 0));
}

/** The next smaller usable model, to offer after the GPU ran out of memory or was lost. */
export function smallerModel(choices: readonly ModelRecord[], current: string): ModelRecord | undefined {
  const vram = choices.find((m) => m.model_id === current)?.vram_required_MB ?? Infinity;
  return [...choices]
    .filter((m) => (m.vram_required_MB ?? 0) < vram)
    .sort((a, b) => (b.vram_required_MB ?? 0) - (a.vram_required_MB ?? 0))[0];
}

export class GeneratorError extends Error {
  constructor(
    readonly code: 'device-lost' | 'out-of-memory' | 'failed',
    message: string,
    readonly suggestion?: string,
    options?: { cause?: unknown },
    /** A smaller model to switch to, when one exists. */
    readonly fallbackModel?: string,
  ) {
    super(message, options);
    this.name = 'GeneratorError';
  }
}

/**
 * Generator over WebLLM's engine (the real `MLCEngineInterface`; in the app a
 * `CreateWebWorkerMLCEngine` engine). Streams through `chat.completions.create({stream: true})`,
 * stops with `interruptGenerate()`, and turns device loss and out-of-memory into errors that say
 * what to do next.
 */
export class WebLLMGenerator implements Generator {
  constructor(
    private readonly engine: MLCEngineInterface,
    readonly id: string,
    readonly contextWindow: number,
    private readonly counter: (text: string) => Promise<number>,
    private readonly fallback?: ModelRecord,
  ) {}

  countTokens(text: string): Promise<number> {
    return this.counter(text);
  }

  async generate(messages: ChatMessage[], opts: GenerateOptions = {}): Promise<GenerateResult> {
    // An abort listener added to an already-aborted signal never fires: check first.
    if (opts.signal?.aborted) return { text: '', finishReason: 'aborted' };
    const stop = linkedAbort(opts.signal, () => this.engine.interruptGenerate());
    let text = '';
    let finish: GenerateResult['finishReason'] = 'stop';
    try {
      const stream = (await this.engine.chat.completions.create({
        messages,
        stream: true,
        ...(opts.maxNewTokens ? { max_tokens: opts.maxNewTokens } : {}),
        ...(opts.temperature !== undefined ? { temperature: opts.temperature } : {}),
      })) as AsyncIterable<ChatCompletionChunk>;
      for await (const chunk of stream) {
        const choice = chunk.choices[0];
        const delta = choice?.delta?.content ?? '';
        if (delta) {
          text += delta;
          opts.onToken?.(delta);
        }
        if (choice?.finish_reason === 'length') finish = 'length';
        else if (choice?.finish_reason === 'abort') finish = 'aborted';
      }
    } catch (err) {
      throw this.explain(err);
    } finally {
      stop.release();
    }
    if (opts.signal?.aborted) finish = 'aborted';
    return { text, finishReason: finish };
  }

  interrupt(): void {
    this.engine.interruptGenerate();
  }

  async dispose(): Promise<void> {
    await this.engine.unload();
  }

  private explain(err: unknown): Error {
    const name = (err as Error | null)?.name ?? '';
    const message = String((err as Error | null)?.message ?? err);
    const smaller = this.fallback
      ? `Try a smaller model (${this.fallback.model_id}); your conversation is kept.`
      : 'Try a smaller model; your conversation is kept.';
    if (name === 'DeviceLostError' || /device (was )?lost/i.test(message)) {
      return new GeneratorError(
        'device-lost',
        'The graphics device stopped responding while answering.',
        smaller,
        { cause: err },
        this.fallback?.model_id,
      );
    }
    if (/out of memory|OOM|allocation failed|CreateBuffer/i.test(message)) {
      return new GeneratorError(
        'out-of-memory',
        'The answer model ran out of graphics memory.',
        smaller,
        { cause: err },
        this.fallback?.model_id,
      );
    }
    return new GeneratorError('failed', `The answer model failed: ${message}`, undefined, { cause: err });
  }
}

/** One WebLLM model whose library this site hosts (from /webllm/libs.json, written by the build). */
export interface HostedWebLLMModel {
  model_id: string;
  /** The weights' repository on the hub, e.g. https://huggingface.co/mlc-ai/Llama-3.2-1B-Instruct-q4f16_1-MLC */
  model: string;
  /** Library file name in the site's /webllm/ folder. */
  lib: string;
  /** Subresource Integrity hash of the library, recorded when the build fetched it. */
  integrity: string;
  vram_required_MB: number;
  context_window_size: number;
  required_features?: string[];
  buffer_size_required_bytes?: number;
  /** Download size of the weights, when the build could read it. */
  weightsBytes?: number;
}

/** /webllm/libs.json: the hosted models, or why there are none. */
export interface WebLLMLibs {
  webllm: string;
  models: HostedWebLLMModel[];
  /** Why this build has no WebLLM models (a sentence fragment: "its WebLLM model libraries could not …"). */
  missing?: string;
}

/** Where WebLLM's two kinds of files come from: the site's own folder of libraries, and the weights. */
export interface WebLLMHosting {
  /** Folder URL (ending in "/") on the app's own origin that holds the model libraries. */
  libFolder: string;
  libs: WebLLMLibs;
  /** A folder laid out like the hub ("<repo>/resolve/main/<file>"); default: the hub itself. */
  weightsHost?: string;
}

/** The weights' repository id ("mlc-ai/…") of a hub URL. */
export function repoOf(modelUrl: string): string {
  return new URL(modelUrl).pathname.replace(/^\/+|\/+$/g, '').replace(/\/resolve\/.*$/, '');
}

/**
 * WebLLM model records for what this site hosts: each library loaded from the site's own folder
 * (WebAssembly is code, which Folio never takes from another origin) and checked against the hash
 * recorded at build time; weights from the hub or a self-hosted mirror.
 */
export function hostedModelRecords(hosting: WebLLMHosting): ModelRecord[] {
  return hosting.libs.models.map((m) => ({
    model_id: m.model_id,
    model: hosting.weightsHost ? `${hosting.weightsHost}${repoOf(m.model)}/resolve/main/` : m.model,
    model_lib: hosting.libFolder + m.lib,
    vram_required_MB: m.vram_required_MB,
    overrides: { context_window_size: m.context_window_size },
    integrity: { model_lib: m.integrity },
    ...(m.required_features ? { required_features: m.required_features } : {}),
    ...(m.buffer_size_required_bytes ? { buffer_size_required_bytes: m.buffer_size_required_bytes } : {}),
  }));
}
