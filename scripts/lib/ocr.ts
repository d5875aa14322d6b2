/**
 * Pages of known text as pictures, for OCR tests and the OCR benchmark (Node only): text is laid
 * out by textPdf (Helvetica 12 pt, one line every 16 pt from 72 pt below the top, 72 pt from the
 * left of a 612 × 792 pt page) and rendered by pdf.js with its own bundled fonts, so the pictures
 * do not depend on the fonts a machine has. Because the layout is known, so is where each line
 * stands on the page: `lineBand`.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Canvas } from '@napi-rs/canvas';
import { buildPdf, textPdf } from './pdf';

const require = createRequire(import.meta.url);
type Napi = typeof import('@napi-rs/canvas');
const napi = (): Napi => require('@napi-rs/canvas') as Napi;

export const PAGE = { width: 612, height: 792 } as const;

/** Where line `i` of a textPdf page stands, page-relative (0..1, origin top-left): cap height to descenders. */
export function lineBand(i: number): { top: number; bottom: number; left: number } {
  const baseline = 72 + 16 * i;
  return { top: (baseline - 9.5) / PAGE.height, bottom: (baseline + 3) / PAGE.height, left: 72 / PAGE.width };
}

export interface RenderOptions {
  dpi?: number;
  format?: 'png' | 'jpeg' | 'webp' | 'gif' | 'bmp' | 'tiff';
  /** JPEG quality 0–100. */
  quality?: number;
  /** Like a phone photo of a page: tilted, unevenly lit, grainy, low resolution. */
  photo?: boolean;
  /** Only the top of the page, this many points tall (a strip: small and quick to read). */
  crop?: number;
}

/** One page of text lines as a PNG or JPEG. */
export async function pageImage(lines: string[], opts: RenderOptions = {}): Promise<Uint8Array> {
  const pdfjs = (await import('pdfjs-dist/legacy/build/pdf.mjs')) as unknown as typeof import('pdfjs-dist');
  const root = path.dirname(require.resolve('pdfjs-dist/package.json'));
  const doc = await pdfjs.getDocument({
    data: textPdf(lines),
    standardFontDataUrl: path.join(root, 'standard_fonts') + path.sep,
    disableFontFace: true,
    useSystemFonts: false,
    isEvalSupported: false,
  }).promise;
  try {
    const page = await doc.getPage(1);
    const viewport = page.getViewport({ scale: (opts.dpi ?? 200) / 72 });
    const { createCanvas } = napi();
    const canvas: Canvas = createCanvas(
      Math.ceil(viewport.width),
      Math.ceil(opts.crop ? (opts.crop * (opts.dpi ?? 200)) / 72 : viewport.height),
    );
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    await page.render({
      canvas: canvas as unknown as HTMLCanvasElement,
      canvasContext: ctx as unknown as CanvasRenderingContext2D,
      viewport,
    }).promise;
    const out = opts.photo ? photograph(canvas) : canvas;
    const format = opts.photo ? 'jpeg' : (opts.format ?? 'png');
    if (format === 'jpeg' || format === 'webp')
      return new Uint8Array(await out.encode(format, opts.quality ?? (opts.photo ? 70 : 90)));
    if (format === 'gif') return new Uint8Array(await out.encode('gif'));
    if (format === 'png') return new Uint8Array(await out.encode('png'));
    const { data } = out.getContext('2d').getImageData(0, 0, out.width, out.height);
    return format === 'bmp' ? bmp(out.width, out.height, data) : tiff(out.width, out.height, data);
  } finally {
    await doc.destroy();
  }
}

/** 24-bit BMP, bottom-up rows padded to 4 bytes: the plainest bitmap there is. */
function bmp(width: number, height: number, rgba: Uint8ClampedArray): Uint8Array {
  const row = Math.ceil((width * 3) / 4) * 4;
  const out = Buffer.alloc(54 + row * height);
  out.write('BM', 0, 'latin1');
  out.writeUInt32LE(out.length, 2);
  out.writeUInt32LE(54, 10);
  out.writeUInt32LE(40, 14);
  out.writeInt32LE(width, 18);
  out.writeInt32LE(height, 22);
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(24, 28);
  out.writeUInt32LE(row * height, 34);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const s = ((height - 1 - y) * width + x) * 4;
      const d = 54 + y * row + x * 3;
      out[d] = rgba[s + 2]!;
      out[d + 1] = rgba[s + 1]!;
      out[d + 2] = rgba[s]!;
    }
  }
  return new Uint8Array(out);
}

/** Uncompressed 8-bit greyscale TIFF, one strip (as a fax or archive scan might be). */
function tiff(width: number, height: number, rgba: Uint8ClampedArray): Uint8Array {
  const tags: [number, number, number][] = [
    [256, 4, width],
    [257, 4, height],
    [258, 3, 8],
    [259, 3, 1],
    [262, 3, 1],
    [273, 4, 0],
    [277, 3, 1],
    [278, 4, height],
    [279, 4, width * height],
  ];
  const ifdSize = 2 + tags.length * 12 + 4;
  const dataAt = 8 + ifdSize;
  const out = Buffer.alloc(dataAt + width * height);
  out.write('II', 0, 'latin1');
  out.writeUInt16LE(42, 2);
  out.writeUInt32LE(8, 4);
  out.writeUInt16LE(tags.length, 8);
  tags.forEach(([tag, type, value], i) => {
    const at = 10 + i * 12;
    out.writeUInt16LE(tag, at);
    out.writeUInt16LE(type, at + 2);
    out.writeUInt32LE(1, at + 4);
    if (type === 3) out.writeUInt16LE(value, at + 8);
    else out.writeUInt32LE(tag === 273 ? dataAt : value, at + 8);
  });
  for (let i = 0; i < width * height; i++)
    out[dataAt + i] = (rgba[i * 4]! * 77 + rgba[i * 4 + 1]! * 150 + rgba[i * 4 + 2]! * 29) >> 8;
  return new Uint8Array(out);
}

/** A page as a camera sees it: rotated 1.5°, light falling off to one corner, sensor noise (seeded). */
function photograph(page: Canvas): Canvas {
  const { createCanvas } = napi();
  const out: Canvas = createCanvas(page.width, page.height);
  const ctx = out.getContext('2d');
  ctx.fillStyle = '#8a8478';
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.translate(out.width / 2, out.height / 2);
  ctx.rotate((1.5 * Math.PI) / 180);
  ctx.drawImage(page, (-page.width / 2) * 0.96, (-page.height / 2) * 0.96, page.width * 0.96, page.height * 0.96);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  const shade = ctx.createLinearGradient(0, 0, out.width, out.height);
  shade.addColorStop(0, 'rgba(255,240,200,0.05)');
  shade.addColorStop(1, 'rgba(40,30,20,0.35)');
  ctx.fillStyle = shade;
  ctx.fillRect(0, 0, out.width, out.height);
  const img = ctx.getImageData(0, 0, out.width, out.height);
  let x = 12345;
  for (let i = 0; i < img.data.length; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const n = ((x & 0xff) - 128) / 10;
    for (let c = 0; c < 3; c++) img.data[i + c] = Math.max(0, Math.min(255, img.data[i + c]! + n));
  }
  ctx.putImageData(img, 0, 0);
  return out;
}

/** JPEG's width and height from its frame header. */
function jpegSize(jpeg: Uint8Array): { width: number; height: number } {
  for (let p = 2; p < jpeg.length; ) {
    const marker = jpeg[p + 1]!;
    if (marker >= 0xc0 && marker <= 0xc3)
      return { height: (jpeg[p + 5]! << 8) | jpeg[p + 6]!, width: (jpeg[p + 7]! << 8) | jpeg[p + 8]! };
    p += 2 + ((jpeg[p + 2]! << 8) | jpeg[p + 3]!);
  }
  throw new Error('not a JPEG');
}

const latin1 = (bytes: Uint8Array) => Array.from(bytes, (b) => String.fromCharCode(b)).join('');

/**
 * A PDF whose pages are pictures only, as a scanner makes them: pages[i] is either a JPEG (drawn
 * over the whole page, no text layer) or text lines (a real text layer), so it also makes mixed
 * PDFs. `repeat` makes a long scan cheaply: every page shows the same stored picture.
 */
export function imagePdf(pages: (Uint8Array | string[])[], opts: { repeat?: number } = {}): Uint8Array<ArrayBuffer> {
  const list = opts.repeat ? Array.from({ length: opts.repeat }, () => pages[0]!) : pages;
  const objects: string[] = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  const images = new Map<Uint8Array | string[], number>();
  const kids: number[] = [];
  for (const page of list) {
    let content: string;
    let resources: string;
    if (page instanceof Uint8Array) {
      let ref = images.get(page);
      if (!ref) {
        const { width, height } = jpegSize(page);
        objects.push(
          `<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length ${page.length} >>\nstream\n${latin1(page)}\nendstream`,
        );
        ref = objects.length;
        images.set(page, ref);
      }
      content = `q ${PAGE.width} 0 0 ${PAGE.height} 0 0 cm /Im0 Do Q`;
      resources = `<< /XObject << /Im0 ${ref} 0 R >> >>`;
    } else {
      content = page
        .map((l, i) => `BT /F1 12 Tf 72 ${720 - i * 16} Td (${l.replace(/[()\\]/g, '\\$&')}) Tj ET`)
        .join('\n');
      resources = '<< /Font << /F1 3 0 R >> >>';
    }
    objects.push(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE.width} ${PAGE.height}] /Resources ${resources} /Contents ${objects.length} 0 R >>`,
    );
    kids.push(objects.length);
  }
  objects[1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`;
  return buildPdf(objects);
}

/**
 * A 1 KB PNG that declares `width` × `height` pixels, grey, with a real (tiny) compressed stream:
 * what a decompression bomb looks like before anyone decodes it.
 */
export function pixelBombPng(width = 100_000, height = 100_000): Uint8Array {
  const zlib = require('node:zlib') as typeof import('node:zlib');
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', zlib.deflateSync(Buffer.alloc(1024))),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
}

/** A real PNG whose compressed pixel data has been overwritten with noise: the header is fine, decoding fails. */
export function corruptPng(png: Uint8Array): Uint8Array {
  const out = png.slice();
  const idat = Buffer.from(out).indexOf('IDAT');
  let x = 99;
  for (let i = idat + 4; i < Math.min(out.length - 12, idat + 4 + 4000); i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** A blank page (paper, no marks) as a PNG. */
export async function blankPng(): Promise<Uint8Array> {
  const { createCanvas } = napi();
  const c = createCanvas(850, 1100);
  const ctx = c.getContext('2d');
  ctx.fillStyle = '#fdfdf8';
  ctx.fillRect(0, 0, c.width, c.height);
  return new Uint8Array(await c.encode('png'));
}
