/**
 * WebLLM's compiled model libraries (WebAssembly code, one per model) for the answer models Folio
 * offers, served by the site itself: Folio never runs code from another origin (its
 * Content-Security-Policy allows scripts and wasm only from 'self').
 *
 * The build fetches them from WebLLM's official location (the URLs in @mlc-ai/web-llm's
 * prebuiltAppConfig, pinned by the installed WebLLM version) when the network allows, records each
 * one's SHA-256 as a Subresource Integrity hash, and writes them with `libs.json` into
 * `dist/webllm/`. The app hands that hash to WebLLM (`ModelRecord.integrity.model_lib`), which
 * checks the bytes before running them. Downloads are kept in node_modules/.cache, so later builds
 * do not fetch again. Without network the build still succeeds: libs.json then says why there are
 * no WebLLM models, and the app's engines menu shows that sentence.
 *
 *   npm run webllm:libs [folder]   # the same into public/webllm/ (or [folder]) by hand
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import type { Plugin } from 'vite';
import { type HostedWebLLMModel, PREFERRED_WEBLLM_MODELS, type WebLLMLibs } from '../src/core';

const root = path.resolve(import.meta.dirname, '..');
const webllmVersion = (
  JSON.parse(fs.readFileSync(path.join(root, 'node_modules/@mlc-ai/web-llm/package.json'), 'utf8')) as {
    version: string;
  }
).version;
const CACHE = path.join(root, 'node_modules/.cache/folio-webllm', webllmVersion);

/** The models Folio offers on the graphics card: ~1B instruct models first, q4f16 and q4f32. */
export function wantedModels() {
  return prebuiltAppConfig.model_list.filter(
    (m) => PREFERRED_WEBLLM_MODELS.some((p) => m.model_id.startsWith(p)) && /q4f(16|32)_1-MLC$/.test(m.model_id),
  );
}

const sri = (bytes: Buffer) => `sha256-${crypto.createHash('sha256').update(bytes).digest('base64')}`;

async function download(url: string, timeoutMs: number): Promise<Buffer> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

/** Bytes of a model's weights, from its tensor cache listing on the hub (undefined if unreachable). */
async function weightsBytes(modelUrl: string, timeoutMs: number): Promise<number | undefined> {
  for (const name of ['tensor-cache.json', 'ndarray-cache.json']) {
    try {
      const list = JSON.parse(
        (await download(`${modelUrl.replace(/\/?$/, '/')}resolve/main/${name}`, timeoutMs)).toString('utf8'),
      ) as { records?: { nbytes?: number }[] };
      const total = (list.records ?? []).reduce((n, r) => n + (r.nbytes ?? 0), 0);
      if (total) return total;
    } catch {
      // try the older name, then give up
    }
  }
  return undefined;
}

/**
 * Libraries in the cache folder (downloading what is missing when the network allows) and the
 * listing the app reads. Never throws for a network failure: the listing then has `missing`.
 */
export async function prepareWebLLMLibs(
  opts: { timeoutMs?: number; log?: (s: string) => void } = {},
): Promise<{ dir: string; libs: WebLLMLibs }> {
  const timeoutMs = opts.timeoutMs ?? 20_000;
  fs.mkdirSync(CACHE, { recursive: true });
  const listing = path.join(CACHE, 'libs.json');
  const cached = fs.existsSync(listing) ? (JSON.parse(fs.readFileSync(listing, 'utf8')) as WebLLMLibs) : undefined;
  const models: HostedWebLLMModel[] = [];
  let missing: string | undefined;
  for (const m of wantedModels()) {
    const lib = m.model_lib.slice(m.model_lib.lastIndexOf('/') + 1);
    const file = path.join(CACHE, lib);
    const known = cached?.models.find((c) => c.lib === lib);
    if (!fs.existsSync(file) || !known) {
      if (missing) continue;
      try {
        const bytes = await download(m.model_lib, timeoutMs);
        fs.writeFileSync(file, bytes);
        opts.log?.(`webllm: ${lib} ${(bytes.length / 1e6).toFixed(1)} MB`);
      } catch (err) {
        missing = `its WebLLM model libraries could not be downloaded when this copy of Folio was built or started (${(err as Error).message.split('\n')[0]}); build it with internet access (or run \`npm run webllm:libs\`) to offer them`;
        continue;
      }
    }
    const bytes = fs.readFileSync(file);
    const integrity = sri(bytes);
    // A cached library that no longer matches the hash recorded when it was fetched is not used.
    if (known && known.integrity !== integrity)
      throw new Error(
        `webllm: ${lib} in ${CACHE} does not match its recorded hash; delete the folder to fetch it again`,
      );
    const weights = known?.weightsBytes ?? (missing ? undefined : await weightsBytes(m.model, timeoutMs));
    models.push({
      model_id: m.model_id,
      model: m.model,
      lib,
      integrity,
      vram_required_MB: m.vram_required_MB ?? 0,
      context_window_size: m.overrides?.context_window_size ?? 4096,
      ...(m.required_features ? { required_features: m.required_features } : {}),
      ...(m.buffer_size_required_bytes ? { buffer_size_required_bytes: m.buffer_size_required_bytes } : {}),
      ...(weights ? { weightsBytes: weights } : {}),
    });
  }
  const libs: WebLLMLibs = { webllm: webllmVersion, models, ...(models.length === 0 && missing ? { missing } : {}) };
  if (models.length) fs.writeFileSync(listing, JSON.stringify(libs, null, 1));
  return { dir: CACHE, libs };
}

/**
 * Build: emits webllm/<library>.wasm and webllm/libs.json into the site. Dev server: serves them
 * at /webllm/. Skipped when the site already carries its own (public/webllm/libs.json, or a folder
 * given by FOLIO_WEBLLM_LIBS, which the tests use).
 */
export function webllmLibs(): Plugin {
  let prepared: Promise<{ dir: string; libs: WebLLMLibs }> | undefined;
  const own = () => !!process.env.FOLIO_WEBLLM_LIBS || fs.existsSync(path.join(root, 'public/webllm/libs.json'));
  const prepare = (log?: (s: string) => void) => (prepared ??= prepareWebLLMLibs({ ...(log ? { log } : {}) }));
  return {
    name: 'folio-webllm-libs',
    async generateBundle() {
      if (own()) return;
      const { dir, libs } = await prepare((s) => this.info(s));
      if (libs.missing) this.warn(`No WebLLM models in this build: ${libs.missing}.`);
      for (const m of libs.models)
        this.emitFile({ type: 'asset', fileName: `webllm/${m.lib}`, source: fs.readFileSync(path.join(dir, m.lib)) });
      this.emitFile({ type: 'asset', fileName: 'webllm/libs.json', source: JSON.stringify(libs) });
    },
    configureServer(server) {
      if (own()) return;
      void prepare((s) => server.config.logger.info(s));
      server.middlewares.use(async (req, res, next) => {
        if (!req.url?.startsWith('/webllm/')) return next();
        const { dir, libs } = await prepare();
        const name = decodeURIComponent(req.url.slice('/webllm/'.length).split('?')[0] ?? '');
        if (name === 'libs.json') {
          res.setHeader('Content-Type', 'application/json');
          return res.end(JSON.stringify(libs));
        }
        if (!libs.models.some((m) => m.lib === name)) return next();
        res.setHeader('Content-Type', 'application/wasm');
        res.end(fs.readFileSync(path.join(dir, name)));
      });
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const out = path.resolve(process.argv[2] ?? 'public/webllm');
  const { dir, libs } = await prepareWebLLMLibs({ log: console.log });
  if (libs.missing) {
    console.error(`No libraries: ${libs.missing}`);
    process.exit(1);
  }
  fs.mkdirSync(out, { recursive: true });
  for (const m of libs.models) fs.copyFileSync(path.join(dir, m.lib), path.join(out, m.lib));
  fs.writeFileSync(path.join(out, 'libs.json'), JSON.stringify(libs, null, 1));
  console.log(`${new Set(libs.models.map((m) => m.lib)).size} libraries for ${libs.models.length} models in ${out}`);
}
