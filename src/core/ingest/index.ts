import { FolioError } from '../errors';
import { formatBytes } from '../format';
import type { DocType, FileInput, ParsedDocument } from '../types';
import { detectType } from './detect';
import { parseDocx } from './docx';
import { parseHtml } from './html';
import { parseMarkdown } from './markdown';
import { parsePdf } from './pdf';
import { decodeText, parsePlainText } from './text';

export { detectType, extensionOf } from './detect';
export { decodeText } from './text';
export { formatBytes } from '../format';

export const DEFAULT_MAX_FILE_BYTES = 100 * 1024 * 1024;

export interface IngestOptions {
  /** Files larger than this are refused before they are read. */
  maxFileBytes?: number;
}

export function sizeOf(file: FileInput): number {
  return file.data instanceof Uint8Array || file.data instanceof ArrayBuffer ? file.data.byteLength : file.data.size;
}

export async function readBytes(file: FileInput, opts: IngestOptions = {}): Promise<Uint8Array> {
  const max = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const size = sizeOf(file);
  if (size > max) {
    throw new FolioError('file-too-large', `it is ${formatBytes(size)}, more than the ${formatBytes(max)} limit`, file.name);
  }
  if (size === 0) throw new FolioError('empty-file', 'the file is empty (0 bytes)', file.name);
  const { data } = file;
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(await data.arrayBuffer());
}

/** Bytes → structured text with locations, whatever the format. */
export async function parseBytes(bytes: Uint8Array, fileName: string): Promise<ParsedDocument> {
  const type: DocType = detectType(bytes, fileName);
  let doc: ParsedDocument;
  switch (type) {
    case 'pdf':
      doc = await parsePdf(bytes, fileName);
      break;
    case 'docx':
      doc = await parseDocx(bytes, fileName);
      break;
    case 'html':
      doc = parseHtml(decodeText(bytes, fileName));
      break;
    case 'markdown':
      doc = parseMarkdown(decodeText(bytes, fileName));
      break;
    case 'text':
      doc = parsePlainText(decodeText(bytes, fileName));
      break;
  }
  if (!doc.text.trim()) throw new FolioError('no-text', 'it contains no readable text', fileName);
  return doc;
}
