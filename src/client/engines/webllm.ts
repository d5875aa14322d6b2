import * as Comlink from 'comlink';
import {
  chooseWebLLMModels,
  type Generator,
  gpuCapabilities,
  hostedModelRecords,
  repoOf,
  smallerModel,
  type TransformersWorkerApi,
  WebLLMGenerator,
  webllmOptions,
} from '../../core';
import { untilAborted } from '../generator';
import { modelSource, webLLMHosting } from '../modelSource';
import type { EngineDriver } from './driver';

const modelOf = (id: string) => id.slice('webllm:'.length);

/** WebLLM: models for the graphics card (WebGPU), their code hosted with this copy of Folio. */
export const webllmEngine: EngineDriver = {
  kind: 'webllm',
  async options({ device }) {
    // The site's WebLLM list (/webllm/libs.json) only matters with a WebGPU adapter: without one
    // it is not asked for, so opening the app makes no request for it (none at all offline).
    const hosting = device.gpu ? await webLLMHosting() : undefined;
    return webllmOptions(device, {
      webllm: hosting?.libs.models ?? [],
      ...(hosting?.libs.missing ? { webllmMissing: hosting.libs.missing } : {}),
    });
  },
  /** Complete in WebLLM's cache: its tensor list and every file it names. */
  async isDownloaded(option) {
    if (!option.id.startsWith('webllm:') || !(await caches.has('webllm/model'))) return false;
    const record = hostedModelRecords(await webLLMHosting()).find((r) => r.model_id === modelOf(option.id));
    if (!record) return false;
    const base = record.model.includes('/resolve/')
      ? record.model.replace(/\/?$/, '/')
      : `${record.model.replace(/\/?$/, '')}/resolve/main/`;
    const cache = await caches.open('webllm/model');
    const listing = await cache.match(`${base}tensor-cache.json`);
    if (!listing) return false;
    const records = ((await listing.json()) as { records?: { dataPath: string }[] }).records ?? [];
    return (await Promise.all(records.map((r) => cache.match(new URL(r.dataPath, base).href)))).every(Boolean);
  },
  open: (option, _page, signal, progress) =>
    openWebLLMGenerator(modelOf(option.id), (p) => progress.fraction(p.progress), modelSource, signal),
  async remove(option) {
    const { deleteModelAllInfoInCache, prebuiltAppConfig } = await import('@mlc-ai/web-llm');
    await deleteModelAllInfoInCache(modelOf(option.id), {
      ...prebuiltAppConfig,
      model_list: hostedModelRecords(await webLLMHosting()),
    });
    return { kind: 'not-downloaded' };
  },
};

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
  const tokenizerWorker = new Worker(new URL('../../workers/generator.worker.ts', import.meta.url), {
    type: 'module',
    name: 'folio-tokenizer',
  });
  const tokenizer = Comlink.wrap<TransformersWorkerApi>(tokenizerWorker);
  const repo = repoOf(record.model);
  const engineWorker = new Worker(new URL('../../workers/webllm.worker.ts', import.meta.url), {
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
