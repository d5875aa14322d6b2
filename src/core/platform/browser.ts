/// <reference types="vite/client" />
import ortMjs from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import ortWasm from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import pdfWorker from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import type { Platform } from './types';

const absolute = (url: string) => new URL(url, self.location.href).href;

export const platform = {
  async loadPdfjs() {
    const pdfjs = await import('pdfjs-dist');
    pdfjs.GlobalWorkerOptions.workerSrc = absolute(pdfWorker);
    return pdfjs;
  },
  // Served by the app itself (Vite emits them as assets), so no CDN is ever contacted.
  onnxWasmPaths: () => ({ mjs: absolute(ortMjs), wasm: absolute(ortWasm) }),
  defaultLocalModelPath: () => undefined,
} satisfies Platform;
