import fs from 'node:fs';
import path from 'node:path';
import type { FolderDirectory, FolderFile, FolderFileData } from '../core';

/**
 * A folder on disk behind the same interface as a browser's FileSystemDirectoryHandle, so the
 * command line scans folders with the very code linked folders use in the app. Errors become the
 * DOMExceptions a browser would throw. Symbolic links to files are followed; links to folders
 * are not (a link back up the tree would never end).
 */
export function nodeDirectory(dir: string, name = path.basename(path.resolve(dir))): FolderDirectory {
  return {
    kind: 'directory',
    name,
    async *values() {
      const entries = await fs.promises.readdir(dir, { withFileTypes: true }).catch(rethrow);
      for (const entry of entries) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) yield nodeDirectory(full, entry.name);
        else if (
          entry.isFile() ||
          (entry.isSymbolicLink() && (await fs.promises.stat(full).catch(() => null))?.isFile())
        )
          yield nodeFile(full, entry.name);
      }
    },
  };
}

export function nodeFile(file: string, name = path.basename(file)): FolderFile {
  return {
    kind: 'file',
    name,
    async getFile(): Promise<FolderFileData> {
      const listed = await fs.promises.stat(file).catch(rethrow);
      // Read lazily, like a browser File: a scan of a large folder holds no file's bytes.
      const blob = await fs.openAsBlob(file).catch(rethrow);
      const read = blob.arrayBuffer.bind(blob);
      // And like a browser File, it refuses to read a file that changed after it was listed
      // (Node's own check missed same-size rewrites here), so nothing is hashed or indexed
      // under the wrong size and date.
      const arrayBuffer = async () => {
        const now = await fs.promises.stat(file).catch(rethrow);
        if (now.size !== listed.size || now.mtimeMs !== listed.mtimeMs)
          throw new DOMException(`${name} changed after it was listed`, 'NotReadableError');
        return read();
      };
      return Object.assign(blob, { name, lastModified: Math.trunc(listed.mtimeMs), arrayBuffer });
    },
  };
}

function rethrow(err: NodeJS.ErrnoException): never {
  const name =
    err.code === 'ENOENT' || err.code === 'ENOTDIR'
      ? 'NotFoundError'
      : err.code === 'EACCES' || err.code === 'EPERM'
        ? 'NotAllowedError'
        : 'NotReadableError';
  throw new DOMException(`${err.code ?? ''} ${err.message}`.trim(), name);
}
