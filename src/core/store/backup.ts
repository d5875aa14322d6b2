import type {
  ChunkRecord,
  CollectionRecord,
  DocumentRecord,
  KeywordRecord,
  LibraryMeta,
  VectorBlockRecord,
} from './schema';
import type { TableData } from '../table/types';

/**
 * One file with a whole library: a header, then one frame per document holding everything stored
 * for it (record, text, chunks, vector blocks, keyword postings, original file). Frames are
 * [u32 JSON length][JSON][u32 binary length][binary]; typed arrays travel as raw bytes in the
 * binary part, so vectors round-trip bit for bit and a frame is read without parsing the others.
 */
export const BACKUP_MAGIC = 'FOLIO-BACKUP 1\n';

export interface BackupHeader {
  kind: 'header';
  schema: number;
  createdAt: number;
  meta: LibraryMeta | undefined;
  documents: number;
  /** What the app keeps beside the library (conversation, settings). */
  extra: unknown;
  /** The library's collections (schema 6 on); documents name theirs in `doc.collections`. */
  collections?: CollectionRecord[];
}

export interface DocumentBundle {
  doc: DocumentRecord;
  text: string;
  chunks: ChunkRecord[];
  vectors: VectorBlockRecord[];
  keywords: KeywordRecord | undefined;
  original: Uint8Array | undefined;
  /** Its tables as typed columns (schema 7); absent in older backups and for documents without. */
  tables?: TableData[];
}

const TYPES = { f32: Float32Array, u32: Uint32Array, u16: Uint16Array, u8: Uint8Array } as const;
type Tag = keyof typeof TYPES;
/** The array type a value travels as in the binary part, if it is one of them. */
const tagOf = (v: unknown): Tag | undefined => (Object.keys(TYPES) as Tag[]).find((t) => v instanceof TYPES[t]);

function u32(n: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
}

/** A JSON frame whose typed arrays are moved into the frame's binary part. */
export function encodeFrame(value: unknown): Uint8Array<ArrayBuffer>[] {
  const parts: Uint8Array[] = [];
  let offset = 0;
  const json = JSON.stringify(value, (_key, v: unknown) => {
    const t = tagOf(v);
    if (t) {
      const a = v as InstanceType<(typeof TYPES)[Tag]>;
      const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
      parts.push(bytes);
      const ref = { $bin: t, at: offset, bytes: bytes.length };
      offset += bytes.length;
      return ref;
    }
    return v;
  });
  const head = new TextEncoder().encode(json);
  return [u32(head.length), head, u32(offset), ...parts.map((p) => p.slice())];
}

function decodeFrame(json: string, bin: Uint8Array): unknown {
  return JSON.parse(json, (_key, v: unknown) => {
    const ref = v as { $bin?: Tag; at: number; bytes: number } | null;
    if (ref && typeof ref === 'object' && ref.$bin && ref.$bin in TYPES) {
      const copy = bin.slice(ref.at, ref.at + ref.bytes);
      const Type = TYPES[ref.$bin];
      return new Type(copy.buffer, 0, ref.bytes / Type.BYTES_PER_ELEMENT);
    }
    return v;
  });
}

/** Frames read one at a time from the file (never the whole backup in memory at once). */
export async function* readFrames(file: Blob): AsyncGenerator<unknown> {
  const magic = new TextDecoder().decode(await file.slice(0, BACKUP_MAGIC.length).arrayBuffer());
  if (magic !== BACKUP_MAGIC) throw new Error('this is not a Folio backup file');
  let at = BACKUP_MAGIC.length;
  const readU32 = async () => {
    const b = new Uint8Array(await file.slice(at, at + 4).arrayBuffer());
    if (b.length < 4) throw new Error('the backup file is incomplete');
    at += 4;
    return new DataView(b.buffer).getUint32(0, true);
  };
  while (at < file.size) {
    const jsonLength = await readU32();
    const json = new TextDecoder().decode(await file.slice(at, at + jsonLength).arrayBuffer());
    at += jsonLength;
    const binLength = await readU32();
    const bin = new Uint8Array(await file.slice(at, at + binLength).arrayBuffer());
    if (bin.length < binLength) throw new Error('the backup file is incomplete');
    at += binLength;
    yield decodeFrame(json, bin);
  }
}
