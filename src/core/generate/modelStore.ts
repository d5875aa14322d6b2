/**
 * GGUF models kept in the Origin Private File System: catalogue models once downloaded, and files
 * the person added from disk. Each model is its part files plus a small JSON record written last,
 * so a model without its record (a download cut off, a tab closed mid-copy) is never offered and
 * is cleared away the next time the store is listed. Writes use sync access handles, so they run
 * in a worker (the llama.cpp host, core/generate/wllamaHost.ts); listing, reading and removing work anywhere.
 */

export interface StoredModel {
  id: string;
  name: string;
  /** Part files in order (one unless the model was split with llama-gguf-split). */
  parts: { file: string; bytes: number }[];
  bytes: number;
  architecture: string;
  quantization: string;
  contextLength?: number;
  hasChatTemplate: boolean;
  source: 'file' | 'download';
  addedAt: number;
}

const DIR = 'folio-models';

/** Worker-only OPFS handle (in lib.webworker, not lib.dom, which this project compiles against). */
interface SyncAccessHandle {
  write(buffer: Uint8Array, options?: { at?: number }): number;
  truncate(size: number): void;
  flush(): void;
  close(): void;
}
const syncHandle = (h: FileSystemFileHandle) =>
  (h as unknown as { createSyncAccessHandle(): Promise<SyncAccessHandle> }).createSyncAccessHandle();

export async function modelDir(): Promise<FileSystemDirectoryHandle> {
  return (await navigator.storage.getDirectory()).getDirectoryHandle(DIR, { create: true });
}

/** A file-name-safe key for a model id, without dots (they separate key, part and extension). */
export function storeKey(id: string): string {
  return encodeURIComponent(id)
    .replace(/[._]/g, (c) => (c === '.' ? '%2E' : '%5F'))
    .replace(/%/g, '_');
}

export const partFile = (id: string, part: number) => `${storeKey(id)}.${part}.gguf`;
const recordFile = (id: string) => `${storeKey(id)}.json`;
const lockName = (id: string) => `folio-model:${storeKey(id)}`;

/** Complete models, and removal of parts no record claims (unless a write holds their lock). */
export async function listStoredModels(): Promise<StoredModel[]> {
  if (typeof navigator === 'undefined' || !navigator.storage?.getDirectory) return [];
  const dir = await modelDir();
  const records: StoredModel[] = [];
  const files: string[] = [];
  for await (const [name, handle] of dir as unknown as AsyncIterable<[string, FileSystemHandle]>) {
    if (handle.kind !== 'file') continue;
    if (name.endsWith('.json')) {
      try {
        records.push(JSON.parse(await (await (handle as FileSystemFileHandle).getFile()).text()) as StoredModel);
      } catch {
        // A record that cannot be read is treated as absent; its parts are cleared below.
      }
    } else files.push(name);
  }
  const claimed = new Set(records.flatMap((r) => r.parts.map((p) => p.file)));
  for (const name of files) {
    if (claimed.has(name)) continue;
    const key = name.slice(0, name.indexOf('.'));
    const idle = await isIdle(`folio-model:${key}`);
    if (idle) await dir.removeEntry(name).catch(() => {});
  }
  return records.sort((a, b) => a.addedAt - b.addedAt);
}

async function isIdle(lock: string): Promise<boolean> {
  if (!navigator.locks) return true;
  const state = await navigator.locks.query();
  return !state.held?.some((l) => l.name === lock);
}

export async function storedModel(id: string): Promise<StoredModel | undefined> {
  try {
    const dir = await modelDir();
    const file = await (await dir.getFileHandle(recordFile(id))).getFile();
    return JSON.parse(await file.text()) as StoredModel;
  } catch {
    return undefined;
  }
}

/** The model's parts as Files (read lazily by llama.cpp, never copied into memory here). */
export async function openStoredModel(model: StoredModel): Promise<File[]> {
  const dir = await modelDir();
  return Promise.all(model.parts.map(async (p) => (await dir.getFileHandle(p.file)).getFile()));
}

export async function removeStoredModel(id: string): Promise<void> {
  const dir = await modelDir();
  const record = await storedModel(id);
  await dir.removeEntry(recordFile(id)).catch(() => {});
  const key = storeKey(id);
  const names: string[] = [];
  for await (const [name] of dir as unknown as AsyncIterable<[string, FileSystemHandle]>)
    if (name.startsWith(`${key}.`)) names.push(name);
  for (const name of new Set([...names, ...(record?.parts.map((p) => p.file) ?? [])]))
    await dir.removeEntry(name).catch(() => {});
}

/**
 * Writes a model: `write` receives a sink per part; the record is written only after every part
 * is complete and checked. Any failure removes what was written. Holds a Web Lock meanwhile, so
 * another tab listing the store does not clear the parts being written.
 */
export async function writeStoredModel(id: string, write: ModelWriter): Promise<StoredModel> {
  const run = async () => {
    const dir = await modelDir();
    const parts: { file: string; bytes: number }[] = [];
    const open: SyncAccessHandle[] = [];
    try {
      const meta = await write(
        async (part) => {
          const file = partFile(id, part);
          const handle = await syncHandle(await dir.getFileHandle(file, { create: true }));
          handle.truncate(0);
          open.push(handle);
          const entry = { file, bytes: 0 };
          parts[part] = entry;
          return {
            write(chunk: Uint8Array) {
              const n = handle.write(chunk, { at: entry.bytes });
              if (n !== chunk.byteLength) throw new DOMException('the disk is full', 'QuotaExceededError');
              entry.bytes += n;
            },
            close() {
              handle.flush();
              handle.close();
              open.splice(open.indexOf(handle), 1);
            },
          };
        },
        async (part) => (await dir.getFileHandle(partFile(id, part))).getFile(),
      );
      for (const h of open.splice(0)) h.close();
      const record: StoredModel = {
        ...meta,
        id,
        parts,
        bytes: parts.reduce((n, p) => n + p.bytes, 0),
        addedAt: Date.now(),
      };
      const handle = await syncHandle(await dir.getFileHandle(recordFile(id), { create: true }));
      try {
        handle.truncate(0);
        handle.write(new TextEncoder().encode(JSON.stringify(record)), { at: 0 });
        handle.flush();
      } finally {
        handle.close();
      }
      return record;
    } catch (err) {
      for (const h of open.splice(0)) {
        try {
          h.close();
        } catch {
          // already closed
        }
      }
      await removeStoredModel(id).catch(() => {});
      throw err;
    }
  };
  return navigator.locks ? navigator.locks.request(lockName(id), run) : run();
}

export interface PartSink {
  write(chunk: Uint8Array): void;
  close(): void;
}

/**
 * Writes a model's parts: `openPart` gives a sink per part, `readPart` a part already closed (to
 * check it); the result is the record's content.
 */
export type ModelWriter = (
  openPart: (part: number) => Promise<PartSink>,
  readPart: (part: number) => Promise<Blob>,
) => Promise<Omit<StoredModel, 'parts' | 'bytes' | 'addedAt'>>;

/** Where llama.cpp's host keeps models: the Origin Private File System in the browser. */
export interface ModelStore {
  get(id: string): Promise<StoredModel | undefined>;
  /** All or nothing: a failed write leaves nothing behind. */
  write(id: string, write: ModelWriter): Promise<StoredModel>;
  /** The model's parts, in order. */
  parts(model: StoredModel): Promise<Blob[]>;
}

export const opfsModelStore: ModelStore = { get: storedModel, write: writeStoredModel, parts: openStoredModel };
