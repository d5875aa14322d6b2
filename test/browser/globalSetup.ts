import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import type { TestProject } from 'vitest/node';
import { build, preview } from 'vite';
import { FIXTURES_DIR, MODELS_DIR } from '../helpers/paths';

/**
 * Builds the app together with the test harness page (the production build, not the dev
 * server), serves it on 127.0.0.1 with the shared models at /models/ and fixtures at /fixtures/,
 * and hands the URL to the tests.
 */
export default async function setup(project: TestProject) {
  process.env.FOLIO_TEST_HARNESS = '1';
  process.env.FOLIO_MODELS = MODELS_DIR;
  process.env.FOLIO_FIXTURES = FIXTURES_DIR;
  // A site that hosts WebLLM's libraries lists them in /webllm/libs.json. The libraries themselves
  // (GitHub downloads) are not on this offline machine, and no test loads one: the listing is what
  // decides which models are offered.
  const webllm = fs.mkdtempSync(path.join(os.tmpdir(), 'folio-webllm-'));
  const libs = [...new Set(prebuiltAppConfig.model_list.map((m) => m.model_lib.slice(m.model_lib.lastIndexOf('/') + 1)))];
  fs.writeFileSync(path.join(webllm, 'libs.json'), JSON.stringify({ libs }));
  process.env.FOLIO_WEBLLM_LIBS = webllm;
  const root = path.resolve(import.meta.dirname, '../..');
  // Vitest sets NODE_ENV=test, which would give React's development build: test what ships.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ root, logLevel: 'warn', mode: 'production' });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  const server = await preview({ root, logLevel: 'warn', preview: { host: '127.0.0.1', port: 0, strictPort: false } });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('preview server did not report a URL');
  project.provide('baseUrl', url.endsWith('/') ? url : `${url}/`);
  return async () => {
    await server.close();
    fs.rmSync(webllm, { recursive: true, force: true });
  };
}
