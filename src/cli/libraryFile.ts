import 'fake-indexeddb/auto';
import fs from 'node:fs';
import path from 'node:path';
import {
  BACKUP_MAGIC,
  encodeFrame,
  openLibrary,
  readFrames,
  type BackupHeader,
  type DocumentBundle,
  type Embedder,
  type Library,
  type LibraryOptions,
} from '../core';

/**
 * A `.folio` file is the app's backup format ("Back up library" / "Restore from backup"), so a
 * library made here opens in the app as it is. In Node the library lives in fake-indexeddb for
 * the length of one command; the file on disk is what lasts.
 */

let opened = 0;

/** A library in memory (fake-indexeddb), gone when closed with `dropLibrary`. */
export async function memoryLibrary(opts: Omit<LibraryOptions, 'name'>): Promise<{ library: Library; name: string }> {
  const name = `folio-cli-${process.pid}-${++opened}`;
  return { library: await openLibrary({ ...opts, name }), name };
}

export async function dropLibrary(library: Library, name: string): Promise<void> {
  library.close();
  await new Promise<void>((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
  });
}

export async function readHeader(file: string): Promise<BackupHeader> {
  try {
    for await (const frame of readFrames(await fs.openAsBlob(file))) {
      const header = frame as BackupHeader;
      if (header.kind !== 'header') break;
      return header;
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`${file}: no such file`);
    // The reader's own sentence ("this is not a Folio backup file") does not say which file.
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`${file} is not a Folio library file${/not a Folio/.test(reason) ? '' : ` (${reason})`}`, {
      cause: err,
    });
  }
  throw new Error(`${file} is not a Folio library file`);
}

/** The model a library file's vectors were made with. */
export async function libraryModel(file: string): Promise<string | undefined> {
  return (await readHeader(file)).meta?.embeddingModel;
}

/** Opens a `.folio` file the way the app restores one: every document, its vectors and postings. */
export async function openLibraryFile(
  file: string,
  embedder: Embedder,
): Promise<{ library: Library; name: string; documents: number }> {
  const opened = await memoryLibrary({ embedder });
  try {
    const { added, duplicates } = await opened.library.importBackup(await fs.openAsBlob(file));
    return { ...opened, documents: added + duplicates };
  } catch (err) {
    await dropLibrary(opened.library, opened.name);
    throw err;
  }
}

/**
 * Writes through a temporary file renamed into place once complete and on disk, so `file` is
 * always either the old version or the whole new one, whatever happens mid-way.
 */
export async function writeAtomically(
  file: string,
  write: (append: (bytes: Uint8Array) => Promise<void>) => Promise<void>,
): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  const handle = await fs.promises.open(tmp, 'w');
  try {
    await write(async (bytes) => void (await handle.write(bytes)));
    await handle.sync();
  } catch (err) {
    await handle.close();
    await fs.promises.rm(tmp, { force: true });
    throw err;
  }
  await handle.close();
  await fs.promises.rename(tmp, file);
}

export async function writeBlob(file: string, blob: Blob): Promise<void> {
  await writeAtomically(file, async (append) => {
    for await (const chunk of blob.stream()) await append(chunk);
  });
}

/**
 * One library file from the backups of several parts: the header of an empty library opened with
 * the same model (so schema and meta are the core's own), then the `include`d documents' frames.
 */
export async function joinLibraryFiles(
  out: string,
  parts: string[],
  opts: { embedder: Embedder; include: Set<string>; extra?: unknown },
): Promise<void> {
  const shell = await memoryLibrary({ embedder: opts.embedder });
  let header: BackupHeader | undefined;
  try {
    for await (const frame of readFrames(await shell.library.exportBackup(opts.extra ?? null))) {
      header = frame as BackupHeader;
      break;
    }
  } finally {
    await dropLibrary(shell.library, shell.name);
  }
  await copyDocuments(out, header!, parts, opts.include);
}

/**
 * Writes `header`, then the frames of the `include`d documents of `parts`, copied one at a time
 * (the parts are never all in memory), in the parts' order.
 */
export async function copyDocuments(
  out: string,
  header: BackupHeader,
  parts: string[],
  include: Set<string>,
): Promise<void> {
  let written = 0;
  await writeAtomically(out, async (append) => {
    await append(new TextEncoder().encode(BACKUP_MAGIC));
    for (const part of encodeFrame({ ...header, documents: include.size })) await append(part);
    for (const file of parts) {
      let first = true;
      for await (const frame of readFrames(await fs.openAsBlob(file))) {
        if (first) {
          first = false;
          continue;
        }
        const doc = (frame as DocumentBundle).doc;
        if (!include.has(doc.id)) continue;
        for (const part of encodeFrame(frame)) await append(part);
        written++;
      }
    }
    if (written !== include.size)
      throw new Error(`expected ${include.size} documents in ${path.basename(out)}, found ${written} in its parts`);
  });
}
