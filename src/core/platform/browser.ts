/// <reference types="vite/client" />
import ortAsyncMjs from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import ortAsyncWasm from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import ortMjs from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url';
import ortWasm from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import pdfWorker from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import tesseractLanguage from '@tesseract.js-data/eng/4.0.0_best_int/eng.traineddata.gz?url';
import tesseractCore from 'tesseract.js-core/tesseract-core-simd-lstm.wasm.js?url';
import tesseractWorker from 'tesseract.js/dist/worker.min.js?url';
import type { Platform, PlatformCanvas } from './types';

const absolute = (url: string) => new URL(url, self.location.href).href;

/** pdf.js draws into OffscreenCanvas here: a worker has no document to make canvases with. */
class OffscreenCanvasFactory {
  create(width: number, height: number) {
    if (width <= 0 || height <= 0) throw new Error('Invalid canvas size');
    const canvas = new OffscreenCanvas(width, height);
    return { canvas, context: canvas.getContext('2d', { willReadFrequently: true }) };
  }
  reset(pair: { canvas: OffscreenCanvas }, width: number, height: number) {
    pair.canvas.width = width;
    pair.canvas.height = height;
  }
  destroy(pair: { canvas: OffscreenCanvas | null; context: unknown }) {
    if (pair.canvas) pair.canvas.width = pair.canvas.height = 0;
    pair.canvas = null;
    pair.context = null;
  }
}

function offscreen(
  width: number,
  height: number,
): PlatformCanvas & { canvas: OffscreenCanvas; ctx: OffscreenCanvasRenderingContext2D } {
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2D canvas in this browser');
  return { canvas, ctx, context: ctx, release: () => void (canvas.width = canvas.height = 0) };
}

export const platform = {
  async loadPdfjs() {
    const pdfjs = await import('pdfjs-dist');
    pdfjs.GlobalWorkerOptions.workerSrc = absolute(pdfWorker);
    return pdfjs;
  },
  // Served by the app itself (Vite emits them as assets), so no CDN is ever contacted.
  onnxWasmPaths: (device) =>
    device === 'webgpu'
      ? { mjs: absolute(ortAsyncMjs), wasm: absolute(ortAsyncWasm) }
      : { mjs: absolute(ortMjs), wasm: absolute(ortWasm) },
  defaultLocalModelPath: () => undefined,
  // transformers.js (4.3) only looks in `localModelPath` when it is not a full URL (its metadata
  // check skips http(s) paths), so a same-origin folder is given as an absolute path: "/models/".
  modelFolder(folder) {
    const url = new URL(folder, `${self.location.origin}/`);
    return url.origin === self.location.origin ? url.pathname : url.href;
  },
  async decodeImage(bytes, maxSide) {
    // createImageBitmap decodes PNG, JPEG, WebP, GIF (first frame), BMP and AVIF off the DOM.
    const bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]));
    try {
      const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
      const width = Math.max(1, Math.round(bitmap.width * scale));
      const height = Math.max(1, Math.round(bitmap.height * scale));
      const c = offscreen(width, height);
      c.ctx.fillStyle = '#fff'; // transparent pixels read as paper, not black
      c.ctx.fillRect(0, 0, width, height);
      c.ctx.drawImage(bitmap, 0, 0, width, height);
      const { data } = c.ctx.getImageData(0, 0, width, height);
      c.release();
      return { width, height, data };
    } finally {
      bitmap.close();
    }
  },
  createCanvas: (width, height) => {
    const c = offscreen(width, height);
    return { context: c.ctx, release: c.release, canvas: c.canvas } as PlatformCanvas;
  },
  pdfCanvasFactory: () => (typeof document === 'undefined' ? OffscreenCanvasFactory : undefined),
  pdfAssets: () => ({}),
  cores: () => self.navigator?.hardwareConcurrency || 1,
  ocrAssets: () => ({
    workerPath: absolute(tesseractWorker),
    corePath: absolute(tesseractCore),
    // vite.config.ts names this asset `tessdata-<hash>/eng.traineddata.gz`: tesseract.js asks for
    // `<langPath>/eng.traineddata.gz`.
    langPath: absolute(tesseractLanguage).replace(/\/[^/]*$/, ''),
    async prefetch(onProgress) {
      const urls = [tesseractWorker, tesseractCore, tesseractLanguage].map(absolute);
      const responses = await Promise.all(urls.map((u) => fetch(u)));
      const bad = responses.find((r) => !r.ok || !r.body);
      if (bad) throw new Error(`${bad.url} could not be loaded (HTTP ${bad.status})`);
      const totals = responses.map((r) => Number(r.headers.get('Content-Length')) || 0);
      const loaded = responses.map(() => 0);
      const report = () => {
        const done = loaded.reduce((a, b) => a + b, 0);
        onProgress?.(
          done,
          Math.max(
            done,
            totals.reduce((a, b) => a + b, 0),
          ),
        );
      };
      await Promise.all(
        responses.map(async (res, i) => {
          const reader = res.body!.getReader();
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            loaded[i]! += value.length;
            report();
          }
        }),
      );
      return loaded.reduce((a, b) => a + b, 0);
    },
  }),
} satisfies Platform;
