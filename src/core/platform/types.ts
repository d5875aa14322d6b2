/**
 * What differs between Node and the browser, and nothing else. `#platform` resolves to
 * platform/browser.ts in browser builds and platform/node.ts elsewhere (package.json "imports").
 */
export interface Platform {
  /** pdf.js, set up for this platform (worker, legacy build in Node). */
  loadPdfjs(): Promise<typeof import('pdfjs-dist')>;
  /**
   * Where transformers.js finds its ONNX Runtime wasm files: never a CDN. WebGPU needs the
   * asyncify build; plain WASM runs the smaller, faster build without it.
   */
  onnxWasmPaths(device: 'webgpu' | 'wasm' | 'cpu'): { mjs: string; wasm: string } | undefined;
  /** Default local model folder (path in Node), or undefined to use the remote hub. */
  defaultLocalModelPath(): string | undefined;
  /** A model folder as transformers.js must be given it on this platform. */
  modelFolder(folder: string): string;
}

export declare const platform: Platform;
