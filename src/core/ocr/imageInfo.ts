import { FolioError } from '../errors';

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp' | 'bmp' | 'tiff' | 'heic' | 'avif';

export interface ImageInfo {
  format: ImageFormat;
  width: number;
  height: number;
}

/**
 * Decoding is refused above this many pixels: a 600 dpi A4 scan is 35 million, a phone photo 12–50
 * million. A 1 KB PNG may declare 100,000 × 100,000 pixels (40 GB once decoded): that is a bomb.
 */
export const DEFAULT_MAX_IMAGE_PIXELS = 50_000_000;

const BMP_HEADER_SIZES = new Set([12, 16, 40, 52, 56, 64, 108, 124]);
const has = (b: Uint8Array, sig: number[], at = 0) =>
  b.length >= at + sig.length && sig.every((x, i) => b[at + i] === x);
const ascii = (b: Uint8Array, at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n));

/** The image format from its signature, or null when the bytes are not an image Folio knows. */
export function imageFormat(b: Uint8Array): ImageFormat | null {
  if (has(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (has(b, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a') return 'gif';
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return 'webp';
  // 'BM' alone is too weak (a text file may begin "BMI-1 …"): the reserved bytes are zero and the
  // DIB header has one of the sizes the format defines.
  if (
    ascii(b, 0, 2) === 'BM' &&
    b.length >= 26 &&
    b[6] === 0 &&
    b[7] === 0 &&
    b[8] === 0 &&
    b[9] === 0 &&
    BMP_HEADER_SIZES.has(new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(14, true))
  )
    return 'bmp';
  if (has(b, [0x49, 0x49, 0x2a, 0x00]) || has(b, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (ascii(b, 4, 4) === 'ftyp') {
    const brand = ascii(b, 8, 4);
    if (/^(heic|heix|heim|heis|hevc|hevx|mif1|msf1)$/.test(brand)) return 'heic';
    if (/^avi[fs]$/.test(brand)) return 'avif';
  }
  return null;
}

/**
 * Width and height as the file's header declares them, read without decoding anything, so an
 * image too large to decode is refused before a decoder allocates for it.
 */
export function imageInfo(b: Uint8Array, fileName: string): ImageInfo {
  const format = imageFormat(b);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const damaged = () =>
    new FolioError(
      'corrupt-file',
      `the ${format?.toUpperCase() ?? ''} image is damaged (its header cannot be read)`.replace('  ', ' '),
      fileName,
    );
  try {
    switch (format) {
      case 'png':
        if (ascii(b, 12, 4) !== 'IHDR') throw damaged();
        return { format, width: view.getUint32(16), height: view.getUint32(20) };
      case 'gif':
        return { format, width: view.getUint16(6, true), height: view.getUint16(8, true) };
      case 'bmp': {
        const headerSize = view.getUint32(14, true);
        if (headerSize === 12) return { format, width: view.getUint16(18, true), height: view.getUint16(20, true) };
        return { format, width: Math.abs(view.getInt32(18, true)), height: Math.abs(view.getInt32(22, true)) };
      }
      case 'webp':
        return { format, ...webpSize(b, view) };
      case 'jpeg':
        return { format, ...jpegSize(b, view) };
      case 'tiff':
        return { format, ...tiffSize(view) };
      case 'heic':
      case 'avif':
        return { format, ...ispeSize(b, view) };
      default:
        throw new FolioError('unsupported-type', 'it is not an image format Folio reads', fileName);
    }
  } catch (err) {
    if (err instanceof FolioError) throw err;
    throw damaged();
  }
}

/**
 * Decoders show what they can of a damaged image (a grey smear, half a photo), so damage is
 * found before decoding: a PNG's chunks each carry a checksum and it must end with IEND; a JPEG
 * or GIF cut short lacks its end marker.
 */
export function assertIntact(b: Uint8Array, info: ImageInfo, fileName: string): void {
  const damaged = (why: string) =>
    new FolioError('corrupt-file', `the ${info.format.toUpperCase()} image is damaged (${why})`, fileName);
  if (info.format === 'png') {
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    let p = 8;
    for (;;) {
      if (p + 12 > b.length) throw damaged('it is cut off before its end');
      const length = view.getUint32(p);
      if (p + 12 + length > b.length) throw damaged('it is cut off before its end');
      const type = ascii(b, p + 4, 4);
      if (crc32(b.subarray(p + 4, p + 8 + length)) !== view.getUint32(p + 8 + length))
        throw damaged(`the checksum of its ${type.replace(/[^\x20-\x7e]/g, '?')} chunk is wrong`);
      p += 12 + length;
      if (type === 'IEND') return;
    }
  }
  const tail = b.subarray(Math.max(0, b.length - 64));
  if (info.format === 'jpeg' && !tail.some((x, i) => x === 0xff && tail[i + 1] === 0xd9))
    throw damaged('it is cut off before its end');
  if (info.format === 'gif' && !tail.includes(0x3b)) throw damaged('it is cut off before its end');
}

let crcTable: Uint32Array | undefined;
function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Refuses an image over the pixel limit, naming its size. */
export function assertPixels(info: ImageInfo, fileName: string, maxPixels = DEFAULT_MAX_IMAGE_PIXELS): void {
  if (!(info.width > 0 && info.height > 0))
    throw new FolioError(
      'corrupt-file',
      `the ${info.format.toUpperCase()} image declares no size (${info.width} × ${info.height})`,
      fileName,
    );
  const pixels = info.width * info.height;
  if (pixels > maxPixels) {
    throw new FolioError(
      'image-too-large',
      `the image is ${info.width.toLocaleString('en')} × ${info.height.toLocaleString('en')} pixels (${Math.round(pixels / 1e6).toLocaleString('en')} million), more than the ${Math.round(maxPixels / 1e6)} million Folio decodes; a file this small declaring that much is a decompression bomb, and a real one should be scaled down first`,
      fileName,
    );
  }
}

function webpSize(b: Uint8Array, view: DataView): { width: number; height: number } {
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8X')
    return { width: 1 + (view.getUint32(24, true) & 0xffffff), height: 1 + (view.getUint32(27, true) & 0xffffff) };
  if (chunk === 'VP8L') {
    const bits = view.getUint32(21, true);
    return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >> 14) & 0x3fff) };
  }
  if (chunk === 'VP8 ') return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
  throw new Error('unknown WebP chunk');
}

function jpegSize(b: Uint8Array, view: DataView): { width: number; height: number } {
  let p = 2;
  while (p + 9 < b.length) {
    if (b[p] !== 0xff) throw new Error('bad marker');
    const marker = b[p + 1]!;
    if (marker === 0xff) {
      p++;
      continue;
    }
    // SOF0–SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: view.getUint16(p + 5), width: view.getUint16(p + 7) };
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      p += 2;
      continue;
    }
    p += 2 + view.getUint16(p + 2);
  }
  throw new Error('no frame header');
}

function tiffSize(view: DataView): { width: number; height: number } {
  const le = view.getUint8(0) === 0x49;
  const ifd = view.getUint32(4, le);
  const count = view.getUint16(ifd, le);
  let width = 0;
  let height = 0;
  for (let i = 0; i < count; i++) {
    const at = ifd + 2 + i * 12;
    const tag = view.getUint16(at, le);
    const type = view.getUint16(at + 2, le);
    const value = type === 3 ? view.getUint16(at + 8, le) : view.getUint32(at + 8, le);
    if (tag === 256) width = value;
    if (tag === 257) height = value;
  }
  return { width, height };
}

/** HEIF/AVIF: the largest image spatial extent ('ispe') property in the file's boxes. */
function ispeSize(b: Uint8Array, view: DataView): { width: number; height: number } {
  let width = 0;
  let height = 0;
  const end = Math.min(b.length, 1 << 20);
  for (let p = 0; p + 20 <= end; p++) {
    if (b[p] === 0x69 && ascii(b, p, 4) === 'ispe') {
      const w = view.getUint32(p + 8);
      const h = view.getUint32(p + 12);
      if (w * h > width * height) [width, height] = [w, h];
    }
  }
  if (!width) throw new Error('no ispe');
  return { width, height };
}
