import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Platform } from './types';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

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
} satisfies Platform;
