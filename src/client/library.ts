/**
 * The UI thread's handle on the core Library, which lives in a Web Worker. Same calls as the core
 * Library, all asynchronous; callbacks cross the thread boundary as Comlink proxies.
 */
import * as Comlink from 'comlink';
import type {
  AddOutcome,
  ChunkOptions,
  ChunkRecord,
  ContextOptions,
  ContextPassage,
  DocumentRecord,
  DownloadProgress,
  EmbedDevice,
  EmbeddingDtype,
  EmbeddingStatus,
  EvalQuestion,
  EvalReport,
  FileInput,
  IntegrityReport,
  IndexProgress,
  SearchHit,
  SearchOptions,
} from '../core';

export interface WorkerOpenOptions {
  /** IndexedDB name; null opens only the embedder (no library). */
  name?: string | null;
  model?: string;
  device?: 'auto' | EmbedDevice;
  dtype?: EmbeddingDtype;
  /** URL of a hub-layout model folder served by the app; the hub is then never contacted. */
  localModelPath?: string;
  remoteHost?: string;
  chunking?: Partial<ChunkOptions>;
  maxFileBytes?: number;
}

export interface OpenedInfo {
  model: string;
  device: EmbedDevice;
  dtype: string;
  /** Where opening spent its time: loading the model, and reading the library into memory. */
  timings: { modelMs: number; libraryMs: number } & Record<string, number>;
}

/**
 * What happens to the library outside this page: another tab changed it (this worker has already
 * reloaded its index), or another tab upgraded its schema (this page must reload).
 */
export type LibraryEvent = 'changed' | 'outdated';

export interface LibraryWorkerApi {
  open(opts: WorkerOpenOptions, onDownload?: (p: DownloadProgress) => void, onEvent?: (e: LibraryEvent) => void): Promise<OpenedInfo>;
  addFiles(files: File[], onProgress?: (p: IndexProgress) => void): Promise<AddOutcome[]>;
  addBytes(files: FileInput[], onProgress?: (p: IndexProgress) => void): Promise<AddOutcome[]>;
  search(query: string, opts?: SearchOptions): Promise<SearchHit[]>;
  listDocuments(): Promise<DocumentRecord[]>;
  removeDocument(id: string): Promise<boolean>;
  reindex(id: string, onProgress?: (p: IndexProgress) => void): Promise<AddOutcome>;
  setChunking(opts: Partial<ChunkOptions>): Promise<void>;
  getDocumentText(id: string): Promise<string | undefined>;
  getOriginal(id: string): Promise<Uint8Array | undefined>;
  getChunks(id: string): Promise<ChunkRecord[]>;
  embeddingStatus(): Promise<EmbeddingStatus>;
  reembed(onProgress?: (done: number, total: number) => void): Promise<void>;
  embed(texts: string[], kind: 'query' | 'passage'): Promise<Float32Array>;
  checkIntegrity(): Promise<IntegrityReport>;
  exportBackup(extra: unknown): Promise<Blob>;
  pendingSettled(): Promise<void>;
  listInterrupted(): Promise<{ id: string; name: string; size: number; addedAt: number }[]>;
  resumeInterrupted(onProgress?: (p: IndexProgress) => void): Promise<AddOutcome[]>;
  discardInterrupted(): Promise<void>;
  /** Stops every batch this worker is adding; files not yet stored come back as 'cancelled'. */
  cancelAdding(): Promise<void>;
  importBackup(file: Blob, onProgress?: (done: number, total: number) => void): Promise<{ added: number; duplicates: number; extra: unknown }>;
  evaluate(questions: EvalQuestion[], k?: number): Promise<EvalReport>;
  context(query: string, opts: SearchOptions & ContextOptions): Promise<ContextPassage[]>;
  close(): Promise<void>;
}

/** The worker's calls minus `open`, plus what opening found; `close()` also ends the worker. */
export type RemoteLibrary = Omit<LibraryWorkerApi, 'open'> & { info: OpenedInfo };

export async function openLibraryInWorker(
  opts: WorkerOpenOptions = {},
  onDownload?: (p: DownloadProgress) => void,
  onEvent?: (e: LibraryEvent) => void,
): Promise<RemoteLibrary> {
  const worker = new Worker(new URL('../workers/library.worker.ts', import.meta.url), { type: 'module', name: 'folio-library' });
  const remote = Comlink.wrap<LibraryWorkerApi>(worker);
  const cb = <F extends (...args: never[]) => unknown>(f: F | undefined) => (f ? Comlink.proxy(f) : undefined);
  let info: OpenedInfo;
  try {
    info = await remote.open(opts, cb(onDownload), cb(onEvent));
  } catch (err) {
    worker.terminate();
    throw err;
  }
  return {
    info,
    addFiles: (files, onProgress) => remote.addFiles(files, cb(onProgress)),
    addBytes: (files, onProgress) => remote.addBytes(files, cb(onProgress)),
    search: (q, o) => remote.search(q, o),
    listDocuments: () => remote.listDocuments(),
    removeDocument: (id) => remote.removeDocument(id),
    reindex: (id, onProgress) => remote.reindex(id, cb(onProgress)),
    setChunking: (opts) => remote.setChunking(opts),
    getDocumentText: (id) => remote.getDocumentText(id),
    getOriginal: (id) => remote.getOriginal(id),
    getChunks: (id) => remote.getChunks(id),
    embeddingStatus: () => remote.embeddingStatus(),
    reembed: (onProgress) => remote.reembed(cb(onProgress)),
    embed: (texts, kind) => remote.embed(texts, kind),
    checkIntegrity: () => remote.checkIntegrity(),
    exportBackup: (extra) => remote.exportBackup(extra),
    pendingSettled: () => remote.pendingSettled(),
    listInterrupted: () => remote.listInterrupted(),
    resumeInterrupted: (onProgress) => remote.resumeInterrupted(cb(onProgress)),
    discardInterrupted: () => remote.discardInterrupted(),
    cancelAdding: () => remote.cancelAdding(),
    importBackup: (file, onProgress) => remote.importBackup(file, cb(onProgress)),
    evaluate: (questions, k) => remote.evaluate(questions, k),
    context: (query, opts) => remote.context(query, opts),
    async close() {
      await remote.close().catch(() => {});
      remote[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}
