import * as Comlink from 'comlink';
import {
  catalogueModels,
  type Generator,
  type LoadedInfo,
  linkedAbort,
  listStoredModels,
  PROCESSOR_MODELS,
  removeStoredModel,
  type RunStats,
  type StoredModel,
  type WllamaWorkerApi,
} from '../../core';
import { remoteGenerator } from '../generator';
import { modelFileUrl, servedBySite } from '../modelSource';
import type { EngineDriver, EnginePage } from './driver';

/**
 * llama.cpp's side of a page, shared by the catalogue's GGUF models and the person's own files
 * (modelFile.ts): one worker, and the models kept on this device.
 */
interface LlamaCppPage {
  worker: ReturnType<typeof openWllamaWorker> | undefined;
  stored: Promise<StoredModel[]>;
}
const pages = new WeakMap<EnginePage, LlamaCppPage>();

export function llamaCpp(page: EnginePage) {
  let state = pages.get(page);
  if (!state) {
    state = { worker: undefined, stored: listStoredModels().catch(() => []) };
    pages.set(page, state);
  }
  const s = state;
  return {
    worker: () => (s.worker ??= openWllamaWorker()),
    stored: () => s.stored,
    /** Records a model kept (or replaced) in the store. */
    async kept(model: StoredModel): Promise<void> {
      const all = await s.stored;
      s.stored = Promise.resolve([...all.filter((m) => m.id !== model.id), model]);
    },
    async removed(id: string): Promise<void> {
      await removeStoredModel(id);
      const all = await s.stored;
      s.stored = Promise.resolve(all.filter((m) => m.id !== id));
    },
    async has(id: string): Promise<boolean> {
      return (await s.stored).some((m) => m.id === id);
    },
  };
}

/** llama.cpp (wllama): the catalogue's GGUF models, downloaded into the Origin Private File System. */
export const llamaCppEngine: EngineDriver = {
  kind: 'wllama',
  options: async ({ device }) => catalogueModels(device, 'wllama', servedBySite),
  isDownloaded: (option, page) => llamaCpp(page).has(option.id),
  async open(option, page, signal, progress) {
    const here = llamaCpp(page);
    const worker = here.worker();
    if (!(await here.has(option.id))) {
      const entry = PROCESSOR_MODELS.find((e) => e.id === option.id)!;
      const link = linkedAbort(signal, () => void worker.api.cancelDownload(option.id));
      try {
        const urls = entry.files!.map((f) => new URL(modelFileUrl(entry.repo!, f), location.origin).href);
        await here.kept(
          await worker.api.download(
            option.id,
            urls,
            undefined,
            Comlink.proxy((loaded: number, total: number) => progress.bytes(loaded, total)),
            page.device.deviceMemoryGiB,
          ),
        );
      } finally {
        link.release();
      }
      page.setState(option.id, { kind: 'loading' });
    }
    return openWllamaGenerator(worker, option.id);
  },
  async remove(option, page) {
    await llamaCpp(page).removed(option.id);
    return { kind: 'not-downloaded' };
  },
};

/** A page's llama.cpp (wllama) worker: checks and keeps GGUF files, downloads, loads, answers. */
export function openWllamaWorker(): { api: Comlink.Remote<WllamaWorkerApi>; terminate(): void } {
  const worker = new Worker(new URL('../../workers/wllama.worker.ts', import.meta.url), {
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
