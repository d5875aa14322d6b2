import fs from 'node:fs/promises';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeBmp, fitRaster } from './bmp';
import type { Platform, PlatformCanvas } from './types';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const require = createRequire(import.meta.url);

// @napi-rs/canvas (Skia) is what pdf.js itself renders with in Node. Images are decoded by sharp
// (libvips) instead: Skia's decoders crash the process on some damaged WebP files (found by the
// fuzzer), libvips reports them as errors.
type NapiCanvas = typeof import('@napi-rs/canvas');
let napi: NapiCanvas | undefined;
const canvasLib = (): NapiCanvas => (napi ??= require('@napi-rs/canvas') as NapiCanvas);

function canvas(width: number, height: number): PlatformCanvas {
  const c = canvasLib().createCanvas(width, height);
  const context = c.getContext('2d');
  return { context, release: () => void (c.width = c.height = 0), canvas: c } as PlatformCanvas;
}

export const platform = {
  async loadPdfjs() {
    // The legacy build carries the polyfills pdf.js needs outside a browser.
    return (await import('pdfjs-dist/legacy/build/pdf.mjs')) as unknown as typeof import('pdfjs-dist');
  },
  // In Node, transformers.js uses onnxruntime-node (native), so there is no wasm to locate.
  onnxWasmPaths: () => undefined,
  modelFolder: (folder) => folder,
  defaultLocalModelPath() {
    return path.resolve(process.env.FOLIO_MODELS ?? path.join(projectRoot, '../shared/models')) + path.sep;
  },
  async decodeImage(bytes, maxSide) {
    // BMP is the one format libvips does not read; it is simple enough to read in JavaScript.
    if (bytes[0] === 0x42 && bytes[1] === 0x4d) return fitRaster(decodeBmp(bytes), maxSide);
    const sharp = (await import('sharp')).default;
    // The first frame only (an animated GIF or WebP is one page); pixel limit checked again by libvips.
    const image = sharp(bytes, { pages: 1, limitInputPixels: 60_000_000, failOn: 'error' });
    const meta = await image.metadata();
    const long = Math.max(meta.width ?? 0, meta.height ?? 0);
    const scale = long ? maxSide / long : 1;
    const { data, info } = await image
      .resize(Math.max(1, Math.round((meta.width ?? 1) * scale)), Math.max(1, Math.round((meta.height ?? 1) * scale)), {
        fit: 'fill',
      })
      .flatten({ background: '#ffffff' })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return {
      width: info.width,
      height: info.height,
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    };
  },
  createCanvas: canvas,
  // pdf.js picks its Node canvas factory (@napi-rs/canvas) itself.
  pdfCanvasFactory: () => undefined,
  pdfAssets: () => {
    const root = path.dirname(require.resolve('pdfjs-dist/package.json'));
    return {
      standardFontDataUrl: path.join(root, 'standard_fonts') + path.sep,
      wasmUrl: path.join(root, 'wasm') + path.sep,
    };
  },
  cores: () => os.availableParallelism(),
  ocrAssets: () => {
    const file = require.resolve('@tesseract.js-data/eng/4.0.0_best_int/eng.traineddata.gz');
    return {
      langPath: path.dirname(file),
      async prefetch(onProgress) {
        const { size } = await fs.stat(file);
        onProgress?.(size, size);
        return size;
      },
    };
  },
} satisfies Platform;
