/// <reference types="vite/client" />
import ortAsyncMjs from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import ortAsyncWasm from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import ortMjs from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url';
import ortWasm from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
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
  onnxWasmPaths: (device) =>
    device === 'webgpu' ? { mjs: absolute(ortAsyncMjs), wasm: absolute(ortAsyncWasm) } : { mjs: absolute(ortMjs), wasm: absolute(ortWasm) },
  defaultLocalModelPath: () => undefined,
  // transformers.js (4.3) only looks in `localModelPath` when it is not a full URL (its metadata
  // check skips http(s) paths), so a same-origin folder is given as an absolute path: "/models/".
  modelFolder(folder) {
    const url = new URL(folder, `${self.location.origin}/`);
    return url.origin === self.location.origin ? url.pathname : url.href;
  },
} satisfies Platform;
