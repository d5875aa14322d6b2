/**
 * The UI thread's handle on an answer model. Each backend runs in a worker; this gives them one
 * `Generator` shape.
 */
import * as Comlink from 'comlink';
import type { ChatMessage, GenerateOptions, GenerateResult, Generator, TransformersGeneratorOptions } from '../core';
// Only WebLLM's types are imported here: its code (2 MB+) loads when a WebLLM model is chosen.
import { chooseWebLLMModels, gpuCapabilities, selfHostedModelList, smallerModel, WebLLMGenerator } from '../core';
import { webLLMHosting } from './modelSource';

export interface GeneratorWorkerApi {
  /** Loads only a tokenizer (e.g. of a WebLLM model's repo), for exact token counts. */
  loadTokenizer(repo: string, opts: { localModelPath?: string; remoteHost?: string }): Promise<void>;
  load(opts: Omit<TransformersGeneratorOptions, 'onDownload'>, onDownload?: (p: { file: string; loaded: number; total: number }) => void): Promise<{ id: string; contextWindow: number }>;
  countTokens(text: string): Promise<number>;
  generate(messages: ChatMessage[], opts: { maxNewTokens?: number; temperature?: number }, onToken?: (t: string) => void): Promise<GenerateResult>;
  interrupt(): void;
  dispose(): Promise<void>;
}

export async function openTransformersGenerator(
  opts: Omit<TransformersGeneratorOptions, 'onDownload'>,
  onDownload?: (p: { file: string; loaded: number; total: number }) => void,
): Promise<Generator> {
  const worker = new Worker(new URL('../workers/generator.worker.ts', import.meta.url), { type: 'module', name: 'folio-generator' });
  const remote = Comlink.wrap<GeneratorWorkerApi>(worker);
  let info: { id: string; contextWindow: number };
  try {
    info = await remote.load(opts, onDownload ? Comlink.proxy(onDownload) : undefined);
  } catch (err) {
    worker.terminate();
    throw err;
  }
  return {
    id: info.id,
    contextWindow: info.contextWindow,
    countTokens: (text) => remote.countTokens(text),
    async generate(messages: ChatMessage[], o: GenerateOptions = {}) {
      // An abort listener added to an already-aborted signal never fires: check first.
      if (o.signal?.aborted) return { text: '', finishReason: 'aborted' as const };
      const onAbort = () => void remote.interrupt();
      o.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        return await remote.generate(
          messages,
          { ...(o.maxNewTokens ? { maxNewTokens: o.maxNewTokens } : {}), ...(o.temperature !== undefined ? { temperature: o.temperature } : {}) },
          o.onToken ? Comlink.proxy(o.onToken) : undefined,
        );
      } finally {
        o.signal?.removeEventListener('abort', onAbort);
      }
    },
    interrupt: () => void remote.interrupt(),
    async dispose() {
      await remote.dispose().catch(() => {});
      remote[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}

/**
 * WebLLM (WebGPU) answer model: the engine runs in its own worker (webllm.worker.ts); token
 * counts come from the model repo's own tokenizer, loaded in a generator worker.
 */
export async function openWebLLMGenerator(
  modelId: string,
  onProgress: (p: { progress: number; text: string }) => void,
  opts: { localModelPath?: string; remoteHost?: string } = {},
): Promise<Generator> {
  const webllm = await import('@mlc-ai/web-llm');
  const modelList = selfHostedModelList(webllm.prebuiltAppConfig.model_list, await webLLMHosting());
  const record = modelList.find((m) => m.model_id === modelId);
  if (!record) throw new Error(`${modelId} is not available: its model library is not hosted with this copy of Folio.`);
  const caps = await gpuCapabilities((navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu);
  const choices = caps ? chooseWebLLMModels(modelList, caps) : [];
  const tokenizerWorker = new Worker(new URL('../workers/generator.worker.ts', import.meta.url), { type: 'module', name: 'folio-tokenizer' });
  const tokenizer = Comlink.wrap<GeneratorWorkerApi>(tokenizerWorker);
  const repo = new URL(record.model).pathname.replace(/^\/+|\/+$/g, '').replace(/\/resolve\/.*$/, '');
  const engineWorker = new Worker(new URL('../workers/webllm.worker.ts', import.meta.url), { type: 'module', name: 'folio-webllm' });
  try {
    const [engine] = await Promise.all([
      webllm.CreateWebWorkerMLCEngine(engineWorker, modelId, {
        appConfig: { ...webllm.prebuiltAppConfig, model_list: modelList },
        initProgressCallback: (r) => onProgress({ progress: r.progress, text: r.text }),
      }),
      tokenizer.loadTokenizer(repo, opts),
    ]);
    const generator = new WebLLMGenerator(engine, modelId, record.overrides?.context_window_size ?? 4096, (t) => tokenizer.countTokens(t), smallerModel(choices, modelId));
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

/** The WebLLM models this site hosts and this browser's GPU can run, preferred first; empty without WebGPU. */
export async function webLLMChoices(): Promise<{ id: string; vramMB: number }[]> {
  const gpu = (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return [];
  const caps = await gpuCapabilities(gpu);
  if (!caps) return [];
  const { prebuiltAppConfig } = await import('@mlc-ai/web-llm');
  return chooseWebLLMModels(selfHostedModelList(prebuiltAppConfig.model_list, await webLLMHosting()), caps).map((m) => ({ id: m.model_id, vramMB: Math.round(m.vram_required_MB ?? 0) }));
}
