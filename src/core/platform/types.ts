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
  /**
   * Decodes an image file (PNG, JPEG, WebP, GIF's first frame, BMP, AVIF where supported) to RGBA,
   * scaled down to at most `maxSide` pixels on its longer side.
   */
  decodeImage(bytes: Uint8Array, maxSide: number): Promise<Raster>;
  /** A 2D canvas to render a PDF page into (read back with getImageData). */
  createCanvas(width: number, height: number): PlatformCanvas;
  /** pdf.js's CanvasFactory for this thread, when its default cannot work here (a worker has no DOM). */
  pdfCanvasFactory(): object | undefined;
  /** Where pdf.js finds its standard fonts and image-decoder wasm (JPEG 2000, JBIG2): the app's own files. */
  pdfAssets(): { standardFontDataUrl?: string; wasmUrl?: string };
  /** The OCR engine's files, all served by the app itself (or read from node_modules in Node). */
  ocrAssets(): OcrAssets;
  /** Logical processors this process may run on, what sizes the OCR pool. */
  cores(): number;
}

export interface Raster {
  width: number;
  height: number;
  /** RGBA, 4 bytes a pixel. */
  data: Uint8ClampedArray | Uint8Array;
}

export interface PlatformCanvas {
  context: {
    getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray | Uint8Array };
    fillStyle: unknown;
    fillRect(x: number, y: number, w: number, h: number): void;
  };
  /** Frees the pixels at once (a 300 dpi page is 35 MB of them). */
  release(): void;
}

export interface OcrAssets {
  /** tesseract.js's worker script; undefined where tesseract.js finds its own (Node). */
  workerPath?: string;
  /** The tesseract core (wasm embedded in JavaScript); undefined: tesseract.js resolves it (Node). */
  corePath?: string;
  /** The folder (URL or path) holding `eng.traineddata.gz`, the English model (LSTM, integer weights). */
  langPath: string;
  /**
   * Fetches the engine's files (worker, core, language model) once ahead of tesseract.js,
   * reporting bytes as they arrive, so their size and progress can be shown (the HTTP and
   * service-worker caches then serve tesseract.js's own requests); resolves to their size.
   */
  prefetch(onProgress?: (loaded: number, total: number) => void): Promise<number>;
}

export declare const platform: Platform;
