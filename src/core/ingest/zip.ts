import { FolioError } from '../errors';

/** Limits for what a ZIP-based document (DOCX, PPTX, XLSX, ODF, EPUB) may expand to before any parser sees it. */
export interface ZipLimits {
  maxEntries: number;
  /** All entries together, uncompressed. */
  maxTotalBytes: number;
  /** Compression ratio above which a large entry is treated as a bomb, not a document. */
  maxRatio: number;
  /** Entries smaller than this may compress as well as they like (repetitive XML does). */
  ratioFloorBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 10_000,
  maxTotalBytes: 512 * 1024 * 1024,
  maxRatio: 200,
  ratioFloorBytes: 20 * 1024 * 1024,
};

export interface Entry {
  name: string;
  method: number;
  compressed: number;
  uncompressed: number;
  localOffset: number;
}

/** The archive's own table of contents (central directory); null when this is not a ZIP at all. */
export function centralDirectory(bytes: Uint8Array): Entry[] | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // End-of-central-directory record: 22 bytes plus a comment of up to 64 KiB, at the very end.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = view.getUint16(eocd + 10, true);
  let p = view.getUint32(eocd + 16, true);
  const entries: Entry[] = [];
  for (let i = 0; i < count; i++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== 0x02014b50) return entries;
    const nameLength = view.getUint16(p + 28, true);
    entries.push({
      method: view.getUint16(p + 10, true),
      compressed: view.getUint32(p + 20, true),
      uncompressed: view.getUint32(p + 24, true),
      localOffset: view.getUint32(p + 42, true),
      name: new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLength)),
    });
    p += 46 + nameLength + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
  }
  return entries;
}

/** Inflates one entry only to count its bytes, giving up as soon as it exceeds `limit`. */
async function inflatedSize(bytes: Uint8Array, e: Entry, limit: number): Promise<number> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const start =
    e.localOffset + 30 + view.getUint16(e.localOffset + 26, true) + view.getUint16(e.localOffset + 28, true);
  const data = bytes.subarray(start, start + e.compressed);
  if (e.method === 0) return data.length;
  const reader = new Blob([data as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream('deflate-raw'))
    .getReader();
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return total;
      total += value.length;
      if (total > limit) return total;
    }
  } finally {
    void reader.cancel().catch(() => {});
  }
}

/**
 * Refuses a ZIP bomb before mammoth (JSZip) expands it in memory: too many entries, too much in
 * total, an absurd compression ratio, or an entry that inflates to more than its header admits
 * (headers can lie, so every entry is actually inflated, counted and thrown away, never kept).
 * Not-a-ZIP is left to the parser, whose own error says so.
 */
export async function assertSafeZip(
  bytes: Uint8Array,
  fileName: string,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
  what = 'a Word document',
): Promise<void> {
  const entries = centralDirectory(bytes);
  if (!entries) return;
  const bomb = (why: string) =>
    new FolioError('corrupt-file', `it looks like a ZIP bomb, not ${what} (${why})`, fileName);
  if (entries.length > limits.maxEntries) throw bomb(`${entries.length} files inside`);
  let declared = 0;
  for (const e of entries) {
    declared += e.uncompressed;
    if (e.uncompressed === 0xffffffff || e.compressed === 0xffffffff) throw bomb(`${e.name} is over 4 GB`);
    if (e.uncompressed > limits.ratioFloorBytes && e.uncompressed > limits.maxRatio * Math.max(1, e.compressed))
      throw bomb(`${e.name} expands ${Math.round(e.uncompressed / Math.max(1, e.compressed))} times`);
  }
  if (declared > limits.maxTotalBytes) throw bomb(`it expands to ${Math.round(declared / 2 ** 20)} MB`);
  let actual = 0;
  for (const e of entries) {
    if (e.localOffset + 30 > bytes.length) continue; // truncated: the parser reports it
    // Data that does not inflate at all is damage, not a bomb: the parser reports it.
    const size = await inflatedSize(bytes, e, e.uncompressed).catch(() => 0);
    if (size > e.uncompressed) throw bomb(`${e.name} holds more than its header says`);
    actual += size;
  }
  if (actual > limits.maxTotalBytes) throw bomb(`it expands to ${Math.round(actual / 2 ** 20)} MB`);
}

/**
 * The entries a parser asks for, inflated (after assertSafeZip has counted every one). Damage
 * is reported as a corrupt file; an entry that is not there is simply absent from the map.
 */
export async function readZip(
  bytes: Uint8Array,
  fileName: string,
  what: string,
  wanted: (name: string) => boolean,
): Promise<Map<string, Uint8Array>> {
  if (!centralDirectory(bytes))
    throw new FolioError(
      'corrupt-file',
      `it is not a valid ${what} (its ZIP directory is missing or damaged)`,
      fileName,
    );
  await assertSafeZip(bytes, fileName, DEFAULT_ZIP_LIMITS, `${/^[aeiou]/i.test(what) ? 'an' : 'a'} ${what}`);
  const { unzipSync } = await import('fflate');
  try {
    return new Map(Object.entries(unzipSync(bytes, { filter: (f) => wanted(f.name) })));
  } catch (err) {
    throw new FolioError('corrupt-file', `it is not a readable ${what} (${(err as Error).message})`, fileName, {
      cause: err,
    });
  }
}

/** The names in the archive's directory, or null when it is not a ZIP. */
export function zipNames(bytes: Uint8Array): string[] | null {
  try {
    return centralDirectory(bytes)?.map((e) => e.name) ?? null;
  } catch {
    return null;
  }
}
