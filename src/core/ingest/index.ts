import { FolioError } from '../errors';
import { formatBytes } from '../format';
import type { DocType, FileInput, ParsedDocument } from '../types';
import { detectType } from './detect';
import { parseDocx } from './docx';
import { parseHtml } from './html';
import { parseMarkdown } from './markdown';
import type { OcrProgress } from '../ocr';
import { parseImage } from './image';
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
    throw new FolioError(
      'file-too-large',
      `it is ${formatBytes(size)}, more than the ${formatBytes(max)} limit`,
      file.name,
    );
  }
  if (size === 0) throw new FolioError('empty-file', 'the file is empty (0 bytes)', file.name);
  const { data } = file;
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(await data.arrayBuffer());
}

export interface ParseOptions {
  /** Cancels a long parse (OCR of a scanned PDF) between pages, and the OCR engine mid-page. */
  signal?: AbortSignal | undefined;
  /**
   * OCR's progress: 'recognising' page `done` of `total`; 'ocr-download' bytes of the OCR engine's
   * files (code, wasm, language model) fetched the first time it is used.
   */
  onProgress?: OcrProgress | undefined;
  /** Read scans and images by OCR (default true). */
  ocr?: boolean | undefined;
  /** Images declaring more pixels than this are refused before decoding (decompression bombs). */
  maxImagePixels?: number | undefined;
}

/** Bytes → structured text with locations, whatever the format. */
export async function parseBytes(
  bytes: Uint8Array,
  fileName: string,
  opts: ParseOptions = {},
): Promise<ParsedDocument> {
  const type: DocType = detectType(bytes, fileName);
  const doc = await parseAs(type, bytes, fileName, opts);
  if (!doc.text.trim()) throw new FolioError('no-text', 'it contains no readable text', fileName);
  return doc;
}

async function parseAs(
  type: DocType,
  bytes: Uint8Array,
  fileName: string,
  opts: ParseOptions,
): Promise<ParsedDocument> {
  switch (type) {
    case 'pdf':
      return parsePdf(bytes, fileName, opts);
    case 'image':
      if (opts.ocr === false)
        throw new FolioError('unsupported-type', 'it is an image, and text recognition is turned off', fileName);
      return parseImage(bytes, fileName, {
        signal: opts.signal,
        onProgress: opts.onProgress,
        maxPixels: opts.maxImagePixels,
      });
    case 'docx':
      return parseDocx(bytes, fileName);
    case 'html':
      return parseHtml(decodeText(bytes, fileName));
    case 'markdown':
      return parseMarkdown(decodeText(bytes, fileName));
    case 'text':
      return parsePlainText(decodeText(bytes, fileName));
    case 'csv':
    case 'tsv':
      return (await import('./sheet')).parseDelimited(decodeText(bytes, fileName), type, fileName);
    case 'xlsx':
      return (await import('./sheet')).parseXlsx(bytes, fileName);
    case 'ods':
      return (await import('./sheet')).parseOds(bytes, fileName);
    case 'pptx':
      return (await import('./office')).parsePptx(bytes, fileName);
    case 'odt':
      return (await import('./office')).parseOdt(bytes, fileName);
    case 'epub':
      return (await import('./epub')).parseEpub(bytes, fileName);
    case 'rtf':
      return (await import('./rtf')).parseRtf(bytes, fileName);
  }
}
