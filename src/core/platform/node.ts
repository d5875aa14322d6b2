import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Platform, PlatformCanvas } from './types';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const require = createRequire(import.meta.url);

// @napi-rs/canvas (Skia, prebuilt for each platform through npm) is what pdf.js itself renders
// with in Node; the same library decodes PNG, JPEG, WebP, GIF and BMP, so Node needs no second decoder.
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
    const lib = canvasLib();
    const image = new lib.Image();
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = (err) => reject(err instanceof Error ? err : new Error(String(err)));
      image.src = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    });
    if (!image.width || !image.height) throw new Error('the image could not be decoded');
    const scale = Math.min(1, maxSide / Math.max(image.width, image.height));
    const width = Math.max(1, Math.round(image.width * scale));
    const height = Math.max(1, Math.round(image.height * scale));
    const c = lib.createCanvas(width, height);
    const ctx = c.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, width, height);
    ctx.drawImage(image, 0, 0, width, height);
    const { data } = ctx.getImageData(0, 0, width, height);
    c.width = c.height = 0;
    return { width, height, data };
  },
  createCanvas: canvas,
  // pdf.js picks its Node canvas factory (@napi-rs/canvas) itself.
  pdfCanvasFactory: () => undefined,
  pdfAssets: () => {
    const root = path.dirname(require.resolve('pdfjs-dist/package.json'));
    return { standardFontDataUrl: path.join(root, 'standard_fonts') + path.sep, wasmUrl: path.join(root, 'wasm') + path.sep };
  },
  ocrAssets: () => {
    const file = require.resolve('@tesseract.js-data/eng/4.0.0_best_int/eng.traineddata.gz');
    return {
      langPath: path.dirname(file),
      async prefetchLanguage(onProgress) {
        const { size } = await fs.stat(file);
        onProgress?.(size, size);
        return size;
      },
    };
  },
} satisfies Platform;
