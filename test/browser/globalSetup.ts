import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { build, preview } from 'vite';
import { FIXTURES_DIR, MODELS_DIR } from '../../scripts/lib/paths';
import { wantedModels } from '../../scripts/webllm-libs';

/**
 * Builds the app together with the test harness page (the production build, not the dev
 * server), serves it on 127.0.0.1 with the shared models at /models/ and fixtures at /fixtures/,
 * and hands the URL to the tests.
 */
export default async function setup(project: TestProject) {
  process.env.FOLIO_TEST_HARNESS = '1';
  // The shared folder has one embedding model. To drive "change the search model → re-embed" in
  // the app, its files are also served under a second registry id (Xenova/bge-small-en-v1.5): the
  // weights are MiniLM's, run with that entry's settings (CLS pooling, query prefix). It tests the
  // switching and re-embedding, not bge's quality.
  const models = fs.mkdtempSync(path.join(os.tmpdir(), 'folio-models-'));
  for (const org of fs.readdirSync(MODELS_DIR, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    fs.mkdirSync(path.join(models, org.name));
    for (const repo of fs.readdirSync(path.join(MODELS_DIR, org.name)))
      fs.symlinkSync(path.join(MODELS_DIR, org.name, repo), path.join(models, org.name, repo));
  }
  fs.symlinkSync(path.join(MODELS_DIR, 'Xenova/all-MiniLM-L6-v2'), path.join(models, 'Xenova/bge-small-en-v1.5'));
  process.env.FOLIO_MODELS = models;
  process.env.FOLIO_FIXTURES = FIXTURES_DIR;
  // A site that hosts WebLLM's libraries lists them in /webllm/libs.json. The libraries themselves
  // (GitHub downloads) are not on this offline machine, and no test loads one: the listing is what
  // decides which models are offered.
  const webllm = fs.mkdtempSync(path.join(os.tmpdir(), 'folio-webllm-'));
  const hosted = wantedModels().map((m) => ({
    model_id: m.model_id,
    model: m.model,
    lib: m.model_lib.slice(m.model_lib.lastIndexOf('/') + 1),
    integrity: 'sha256-notfetched',
    vram_required_MB: m.vram_required_MB ?? 0,
    context_window_size: 4096,
    ...(m.required_features ? { required_features: m.required_features } : {}),
  }));
  fs.writeFileSync(path.join(webllm, 'libs.json'), JSON.stringify({ webllm: 'test', models: hosted }));
  process.env.FOLIO_WEBLLM_LIBS = webllm;
  const root = path.resolve(import.meta.dirname, '../..');
  // Vitest sets NODE_ENV=test, which would give React's development build: test what ships.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ root, logLevel: 'warn', mode: 'production', configLoader: 'runner' });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  const server = await preview({
    root,
    logLevel: 'warn',
    configLoader: 'runner',
    preview: { host: '127.0.0.1', port: 0, strictPort: false },
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('preview server did not report a URL');
  project.provide('baseUrl', url.endsWith('/') ? url : `${url}/`);
  return async () => {
    await server.close();
    fs.rmSync(webllm, { recursive: true, force: true });
    fs.rmSync(models, { recursive: true, force: true });
  };
}
