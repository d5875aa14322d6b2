/**
 * Hosts the core Library off the UI thread: parsing, tokenising, embedding and vector search all
 * run here. The worker holds no logic of its own; it only exposes core calls over Comlink.
 */
import * as Comlink from 'comlink';
import { createTransformersEmbedder, DeferredEmbedder, getEmbeddingModel, DEFAULT_EMBEDDING_MODEL, openLibrary, type AddOutcome, type Embedder, type FileInput, type Library } from '../core';
import type { LibraryWorkerApi, WorkerOpenOptions } from '../client/library';

let embedder: Embedder | undefined;
let library: Library | undefined;
let channel: BroadcastChannel | undefined;
// One controller per batch in progress, so Cancel reaches all of them.
const adding = new Set<AbortController>();

/** Tells the other tabs when a batch stored anything, and hands the outcomes on. */
function announced(out: AddOutcome[]): AddOutcome[] {
  if (out.some((o) => o.status === 'added')) channel?.postMessage('changed');
  return out;
}

async function cancellable<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  adding.add(controller);
  try {
    return await work(controller.signal);
  } finally {
    adding.delete(controller);
  }
}

function need<T>(value: T | undefined, what: string): T {
  if (!value) throw new Error(`${what} is not open yet`);
  return value;
}

const api: LibraryWorkerApi = {
  async open(opts: WorkerOpenOptions, onDownload, onEvent) {
    const t0 = performance.now();
    let modelMs = 0;
    let warmUpMs = 0;
    const loading = createTransformersEmbedder({
      ...(opts.model ? { model: opts.model } : {}),
      ...(opts.device ? { device: opts.device } : {}),
      ...(opts.dtype ? { dtype: opts.dtype } : {}),
      ...(opts.localModelPath ? { localModelPath: opts.localModelPath } : {}),
      ...(opts.remoteHost ? { remoteHost: opts.remoteHost } : {}),
      ...(onDownload ? { onDownload: (p) => void onDownload(p) } : {}),
    }).then(async (e) => {
      modelMs = performance.now() - t0;
      // ONNX Runtime sets up its kernels on the first run; doing that now, while the library is
      // still being read, takes it off the first question's time.
      await e.embed(['warm-up'], 'query');
      warmUpMs = performance.now() - t0 - modelMs;
      return e;
    });
    // The library is read from IndexedDB while the model loads.
    const deferred = new DeferredEmbedder(opts.model ? getEmbeddingModel(opts.model) : DEFAULT_EMBEDDING_MODEL, loading);
    embedder = deferred;
    let libraryMs = 0;
    if (opts.name !== null) {
      library = await openLibrary({
        name: opts.name ?? 'folio',
        embedder,
        ...(opts.chunking ? { chunking: opts.chunking } : {}),
        ...(opts.maxFileBytes ? { maxFileBytes: opts.maxFileBytes } : {}),
        onVersionChange: () => {
          library = undefined;
          void onEvent?.('outdated');
        },
      });
      // Other tabs on the same library reload their index when this one changes it.
      channel = new BroadcastChannel(`folio:${opts.name ?? 'folio'}`);
      channel.onmessage = async () => {
        await library?.reload();
        void onEvent?.('changed');
      };
      libraryMs = performance.now() - t0;
    }
    await deferred.whenReady();
    return { model: embedder.model.id, device: embedder.device, dtype: embedder.dtype, timings: { modelMs: Math.round(modelMs), warmUpMs: Math.round(warmUpMs), libraryMs: Math.round(libraryMs), ...library?.reloadTimings } };
  },
  async addFiles(files, onProgress) {
    const inputs: FileInput[] = files.map((f) => ({ name: f.name, data: f }));
    return announced(await cancellable((signal) => need(library, 'library').addFiles(inputs, onProgress ? (p) => void onProgress(p) : undefined, { signal })));
  },
  async addBytes(files, onProgress) {
    return announced(await need(library, 'library').addFiles(files, onProgress ? (p) => void onProgress(p) : undefined));
  },
  search: (query, opts) => need(library, 'library').search(query, opts),
  listDocuments: () => need(library, 'library').listDocuments(),
  async removeDocument(id) {
    const existed = await need(library, 'library').removeDocument(id);
    channel?.postMessage('changed');
    return existed;
  },
  async reindex(id, onProgress) {
    const out = await need(library, 'library').reindex(id, onProgress ? (p) => void onProgress(p) : undefined);
    channel?.postMessage('changed');
    return out;
  },
  setChunking: async (opts) => need(library, 'library').setChunking(opts),
  getDocumentText: (id) => need(library, 'library').getDocumentText(id),
  getOriginal: (id) => need(library, 'library').getOriginal(id),
  getChunks: (id) => need(library, 'library').getChunks(id),
  embeddingStatus: async () => need(library, 'library').embeddingStatus(),
  reembed: (onProgress) => need(library, 'library').reembed(onProgress ? (d, t) => void onProgress(d, t) : undefined),
  async embed(texts, kind) {
    const v = await need(embedder, 'embedder').embed(texts, kind);
    return Comlink.transfer(v, [v.buffer]);
  },
  checkIntegrity: () => need(library, 'library').checkIntegrity(),
  exportBackup: (extra) => need(library, 'library').exportBackup(extra),
  pendingSettled: () => need(library, 'library').pendingSettled(),
  listInterrupted: () => need(library, 'library').listInterrupted(),
  async resumeInterrupted(onProgress) {
    return announced(await cancellable((signal) => need(library, 'library').resumeInterrupted(onProgress ? (p) => void onProgress(p) : undefined, signal)));
  },
  discardInterrupted: () => need(library, 'library').discardInterrupted(),
  async cancelAdding() {
    for (const c of adding) c.abort();
  },
  async importBackup(file, onProgress) {
    const out = await need(library, 'library').importBackup(file, onProgress ? (d, t) => void onProgress(d, t) : undefined);
    if (out.added) channel?.postMessage('changed');
    return out;
  },
  evaluate: (questions, k) => need(library, 'library').evaluate(questions, k),
  context: (query, opts) => need(library, 'library').context(query, opts),
  async close() {
    channel?.close();
    library?.close();
    await embedder?.dispose();
    library = undefined;
    embedder = undefined;
  },
};

Comlink.expose(api);
