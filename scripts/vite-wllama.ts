/**
 * Serves llama.cpp (wllama) from the app's own origin under the app's Content-Security-Policy.
 *
 * wllama builds its worker at run time: it joins its Emscripten glue and its worker code into a
 * string and starts it from a `blob:` URL (and its threads from another). The policy allows
 * workers only from the site itself (`worker-src 'self'`), so this plugin writes the same code into
 * two files the site serves: the llama.cpp worker and the script its threads run. Folio's wllama
 * host worker (src/workers/wllama.worker.ts, exposing the core's WllamaHost) starts those files
 * instead of the blobs. The wasm is served next to them; nothing comes from a CDN.
 *
 * `import { wllamaAssets } from 'virtual:folio-wllama'` gives their URLs.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Plugin } from 'vite';

const ID = 'virtual:folio-wllama';
const RESOLVED = `\0${ID}`;
const DEV_PREFIX = '/@folio-wllama/';

// Folio runs llama.cpp on the processor only: WebGPU answers come from WebLLM and transformers.js.
// wllama does the same when n_gpu_layers is 0 (its worker.ts).
const NO_WEBGPU =
  'try{Object.defineProperty(WorkerNavigator.prototype,"gpu",{get:()=>({requestAdapter:async()=>null})});}catch(e){}\n';

interface Sources {
  main: string;
  thread: string;
  wasm: Buffer;
}

/** The code wllama would put in its blobs, read from the installed package. */
export function wllamaSources(): Sources {
  const require = createRequire(import.meta.url);
  const root = path.dirname(require.resolve('@wllama/wllama/package.json'));
  const generated = fs.readFileSync(path.join(root, 'src/workers-code/generated.ts'), 'utf8');
  const constant = (name: string): string => {
    const m = generated.match(new RegExp(`^export const ${name} = (".*");$`, 'm'));
    if (!m)
      throw new Error(`@wllama/wllama: ${name} not found in src/workers-code/generated.ts (has the package changed?)`);
    return JSON.parse(m[1]!) as string;
  };
  const stub = fs.readFileSync(path.join(root, 'src/worker.ts'), 'utf8').match(/const JSPI_STUB = `([^`]*)`;/)?.[1];
  if (!stub) throw new Error('@wllama/wllama: JSPI_STUB not found in src/worker.ts (has the package changed?)');
  const emscripten = constant('WLLAMA_EMSCRIPTEN_CODE');
  let worker = constant('LLAMA_CPP_WORKER_CODE');
  // The threads get this file's URL instead of the Blob wllama posts with 'module.init'.
  const blobArg = 'const argMainScriptBlob = args[0];';
  if (!worker.includes(blobArg))
    throw new Error('@wllama/wllama: the worker code no longer reads its thread script from module.init');
  worker = worker.replace(blobArg, 'const argMainScriptBlob = RUN_OPTIONS.threadScript;');
  const moduleCode = NO_WEBGPU + stub + emscripten;
  // As ProxyToWorker.moduleInit builds it, except that the options come from the worker's URL.
  const main = [
    `const RUN_OPTIONS = JSON.parse(new URLSearchParams(self.location.search).get('options'));`,
    `function wModuleInit() { ${moduleCode.replace('var Module', 'var ___Module')}; return Module; }`,
    worker,
  ].join(';\n\n');
  return { main, thread: moduleCode, wasm: fs.readFileSync(path.join(root, 'esm/wasm/wllama.wasm')) };
}

export function wllamaAssets(): Plugin {
  let sources: Sources | undefined;
  let serve = false;
  const get = () => (sources ??= wllamaSources());
  return {
    name: 'folio-wllama-assets',
    configResolved(config) {
      serve = config.command === 'serve';
    },
    resolveId: (id) => (id === ID ? RESOLVED : undefined),
    load(id) {
      if (id !== RESOLVED) return;
      if (serve) {
        return `export const wllamaAssets = { mainScript: '${DEV_PREFIX}wllama-main.js', threadScript: '${DEV_PREFIX}wllama-thread.js', wasm: '${DEV_PREFIX}wllama.wasm' };`;
      }
      const s = get();
      const main = this.emitFile({ type: 'asset', name: 'wllama-main.js', source: s.main });
      const thread = this.emitFile({ type: 'asset', name: 'wllama-thread.js', source: s.thread });
      const wasm = this.emitFile({ type: 'asset', name: 'wllama.wasm', source: s.wasm });
      return `export const wllamaAssets = { mainScript: import.meta.ROLLUP_FILE_URL_${main}, threadScript: import.meta.ROLLUP_FILE_URL_${thread}, wasm: import.meta.ROLLUP_FILE_URL_${wasm} };`;
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (!req.url?.startsWith(DEV_PREFIX)) return next();
        const file = req.url.slice(DEV_PREFIX.length).split('?')[0] ?? '';
        const s = get();
        const body =
          file === 'wllama-main.js'
            ? s.main
            : file === 'wllama-thread.js'
              ? s.thread
              : file === 'wllama.wasm'
                ? s.wasm
                : undefined;
        if (body === undefined) return next();
        res.setHeader('Content-Type', file.endsWith('.wasm') ? 'application/wasm' : 'text/javascript');
        res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
        res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
        res.end(body);
      });
    },
  };
}
