import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect, test } from 'vitest';

// Problem 9 of issue 11: `FOLIO_MODELS=… npm run build && npm run preview`, as README reads, served
// index.html for the model files (the preview server did not get the variable). The suite's build
// (globalSetup) was made with FOLIO_MODELS; `vite preview` started here without it must serve the
// same model folder, and send the policy that build was made with.
test('vite preview, started without FOLIO_MODELS, serves the model folder the build was made with', async () => {
  const root = path.resolve(import.meta.dirname, '../..');
  const env: NodeJS.ProcessEnv = { ...process.env, FOLIO_TEST_HARNESS: '1', NO_COLOR: '1' };
  delete env.FOLIO_MODELS;
  const child = spawn(
    process.execPath,
    [path.join(root, 'node_modules/vite/bin/vite.js'), 'preview', '--host', '127.0.0.1', '--port', '0'],
    { cwd: root, env },
  );
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`vite preview printed no address: ${out}`)), 60_000);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[0]);
        }
      });
      child.on('exit', (code) => reject(new Error(`vite preview exited (${code}): ${out}`)));
    });
    const res = await fetch(`${url}models/Xenova/all-MiniLM-L6-v2/config.json`);
    expect(res.status).toBe(200);
    const config = (await res.json()) as { model_type?: string };
    expect(config.model_type).toBe('bert');
    // The page's policy lets it fetch models only from itself, as the build was configured.
    const csp = (await fetch(url)).headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/connect-src 'self'/);
    expect(csp).not.toMatch(/huggingface\.co/);
  } finally {
    child.kill();
  }
});
