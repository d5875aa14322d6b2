import { platform } from '#platform';
import { FolioError } from '../errors';
import {
  assertIntact,
  assertPixels,
  emitPage,
  imageInfo,
  OCR_MAX_SIDE,
  OCR_MIN_SIDE,
  readPage,
  type OcrProgress,
} from '../ocr';
import { fitRaster } from '../platform/bmp';
import type { Raster } from '../platform/types';
import type { ParsedDocument } from '../types';
import { DocumentBuilder } from './builder';

export interface ImageOptions {
  signal?: AbortSignal | undefined;
  onProgress?: OcrProgress | undefined;
  maxPixels?: number | undefined;
}

/**
 * A picture of a page (scan, photo, screenshot) → one page of text by OCR. The header's size is
 * checked against the pixel limit before any decoder runs.
 */
export async function parseImage(
  bytes: Uint8Array,
  fileName: string,
  opts: ImageOptions = {},
): Promise<ParsedDocument> {
  const info = imageInfo(bytes, fileName);
  assertPixels(info, fileName, opts.maxPixels);
  assertIntact(bytes, info, fileName);
  const long = Math.max(info.width, info.height);
  const maxSide = Math.round(Math.min(OCR_MAX_SIDE, Math.max(long, Math.min(OCR_MIN_SIDE, long * 3))));
  let raster: Raster;
  try {
    raster = info.format === 'tiff' ? await decodeTiff(bytes, maxSide) : await platform.decodeImage(bytes, maxSide);
  } catch (err) {
    throw new FolioError(
      'corrupt-file',
      `the ${info.format.toUpperCase()} image is damaged and cannot be decoded (${(err as Error)?.message ?? err})`,
      fileName,
      { cause: err },
    );
  }
  opts.onProgress?.('recognising', 0, 1);
  const paragraphs = await readPage(
    raster,
    1,
    opts.signal,
    opts.onProgress ? { onDownload: (d, t) => opts.onProgress!('ocr-download', d, t) } : {},
  );
  opts.onProgress?.('recognising', 1, 1);
  const builder = new DocumentBuilder('image');
  emitPage(paragraphs, builder);
  const doc = builder.build({ pageCount: 1, ocrPages: [1] });
  if (!doc.text.trim())
    throw new FolioError('no-text', 'no text was found in the image (text recognition read nothing in it)', fileName);
  return doc;
}

/** TIFF (multi-page scans, fax) through UTIF, pure JavaScript, in both Node and the browser; first page. */
async function decodeTiff(bytes: Uint8Array, maxSide: number): Promise<Raster> {
  const UTIF = (await import('utif2')).default as typeof import('utif2');
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const ifds = UTIF.decode(buffer);
  const first = ifds[0];
  if (!first) throw new Error('no image in the file');
  UTIF.decodeImage(buffer, first);
  const rgba = UTIF.toRGBA8(first);
  const width = first.width;
  const height = first.height;
  if (!width || !height || rgba.length < width * height * 4) throw new Error('no pixels');
  return fitRaster({ width, height, data: rgba }, maxSide);
}
