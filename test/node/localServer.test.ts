import http from 'node:http';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTransformersGenerator } from '../../src/core/generate/transformers';
import { createLocalServerGenerator, listServerModels, LocalServerError } from '../../src/core/generate/localServer';
import type { ChatMessage } from '../../src/core/generate/generator';
import { startLlamaServer, type LlamaServer } from '../../scripts/lib/llamaServer';
import { MODELS_DIR } from '../../scripts/lib/paths';

/**
 * "A model server on this computer" against a real one: llama.cpp (node-llama-cpp 3.21.1, its
 * prebuilt CPU binaries) serving the OpenAI-compatible API with the shared stories260K GGUF, in a
 * child process the test starts and kills. The CORS part runs in real headless Chromium, where
 * CORS exists.
 */
const GGUF = path.join(MODELS_DIR, 'karpathy/stories260K/stories260K-f32.gguf');
const ONCE: ChatMessage[] = [{ role: 'user', content: 'Once upon a time' }];

const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as LocalServerError,
  );

let server: LlamaServer;
beforeAll(async () => {
  server = await startLlamaServer(GGUF);
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

describe('local model server (OpenAI-compatible API, real llama.cpp)', () => {
  test('lists the server’s models and takes the context size it reports; a wrong model is named with the ones there are', async () => {
    expect(await listServerModels(server.url)).toEqual([{ id: 'stories260K', contextWindow: 512 }]);
    // The address as people paste it: with /v1 and a trailing slash.
    const gen = await createLocalServerGenerator({ baseUrl: `${server.url}/v1/`, model: 'stories260K' });
    expect(gen.contextWindow).toBe(512);
    expect(gen.baseUrl).toBe(server.url);
    const wrong = await failure(createLocalServerGenerator({ baseUrl: server.url, model: 'llama3.2' }));
    expect(wrong).toBeInstanceOf(LocalServerError);
    expect(wrong.reason).toBe('no-such-model');
    expect(wrong.message).toBe(`The model server at ${server.url} has no model “llama3.2”; it has “stories260K”.`);
  });

  test('streams the greedy answer the ONNX model gives for the same prompt, with the server’s token counts', {
    timeout: 120_000,
  }, async () => {
    const gen = await createLocalServerGenerator({ baseUrl: server.url, model: 'stories260K' });
    // Before any answer the count is an estimate that errs high (a third of the characters).
    const sample = 'The quick brown fox jumps over the lazy dog near the riverbank.';
    expect(await gen.countTokens(sample)).toBe(Math.ceil(sample.length / 3));
    const pieces: string[] = [];
    const out = await gen.generate(ONCE, { maxNewTokens: 60, onToken: (t) => pieces.push(t) });
    expect(out.finishReason).toBe('length');
    expect(pieces.length).toBeGreaterThan(10);
    expect(pieces.join('')).toBe(out.text);
    expect(gen.lastUsage?.completionTokens).toBe(60);
    // BOS + the plain transcript "User: Once upon a time\n\nAssistant:".
    expect(gen.lastUsage?.promptTokens).toBeGreaterThan(5);

    // The in-page llama.cpp engine (wllama) gives the ONNX model's greedy tokens for the same
    // prompt (test/browser/engines.test.ts, appEngines.test.ts); here the server's llama.cpp is
    // held to the same ONNX model (transformers.js, fp32) in this process.
    const onnx = await createTransformersGenerator({
      model: 'karpathy/stories260K',
      localModelPath: MODELS_DIR,
      dtype: 'fp32',
    });
    try {
      const reference = await onnx.generate(ONCE, { maxNewTokens: 60 });
      expect(out.text).toBe(reference.text);
    } finally {
      await onnx.dispose();
    }
    // After an answer, counts follow the server's own (characters per token it measured, plus 15%).
    const perToken = ONCE[0]!.content.length / gen.lastUsage!.promptTokens;
    expect(await gen.countTokens(sample)).toBe(Math.ceil((sample.length / perToken) * 1.15));
  });

  test('Stop mid-answer ends the stream with what was written; the next answer is whole again', {
    timeout: 120_000,
  }, async () => {
    const gen = await createLocalServerGenerator({ baseUrl: server.url, model: 'stories260K' });
    const whole = await gen.generate(ONCE, { maxNewTokens: 200 });
    const controller = new AbortController();
    let n = 0;
    const stopped = await gen.generate(ONCE, {
      maxNewTokens: 200,
      signal: controller.signal,
      onToken: () => {
        if (++n === 5) controller.abort();
      },
    });
    expect(stopped.finishReason).toBe('aborted');
    expect(stopped.text.length).toBeGreaterThan(0);
    expect(whole.text.startsWith(stopped.text)).toBe(true);
    expect(stopped.text.length).toBeLessThan(whole.text.length);
    // interrupt() (the Stop button's path) does the same.
    let m = 0;
    const interrupted = await gen.generate(ONCE, {
      maxNewTokens: 200,
      onToken: () => {
        if (++m === 3) gen.interrupt();
      },
    });
    expect(interrupted.finishReason).toBe('aborted');
    expect(whole.text.startsWith(interrupted.text)).toBe(true);
    expect((await gen.generate(ONCE, { maxNewTokens: 200 })).text).toBe(whole.text);
  });

  test('the server killed mid-answer: a sentence, with the answer so far; then “nothing answers”', {
    timeout: 120_000,
  }, async () => {
    const doomed = await startLlamaServer(GGUF, { tokenDelayMs: 30 });
    const gen = await createLocalServerGenerator({ baseUrl: doomed.url, model: 'stories260K' });
    let n = 0;
    const err = await failure(
      gen.generate(ONCE, {
        maxNewTokens: 200,
        onToken: () => {
          if (++n === 5) doomed.child.kill('SIGKILL');
        },
      }),
    );
    expect(err).toBeInstanceOf(LocalServerError);
    expect(err.reason).toBe('dropped');
    expect(err.message).toBe(
      `The model server at ${doomed.url} stopped answering mid-answer (was it closed?). The passages found are kept; start the server again to ask again.`,
    );
    expect(err.partial.length).toBeGreaterThan(0);
    await doomed.stop();
    const gone = await failure(gen.generate(ONCE));
    expect(gone.reason).toBe('not-running');
    expect(gone.message).toMatch(
      new RegExp(`^Nothing answers at ${doomed.url}\\. Start the model server \\(Ollama: \`ollama serve\`;`),
    );
    expect((await failure(listServerModels(doomed.url))).reason).toBe('not-running');
  });
});

describe('in Chromium: CORS', () => {
  let browser: Browser;
  let page: http.Server;
  let origin: string;
  const servers: LlamaServer[] = [];

  beforeAll(async () => {
    // The generator as the page runs it: the core module, bundled for the browser.
    const bundled = (await build({
      configFile: false,
      logLevel: 'silent',
      build: {
        write: false,
        minify: false,
        lib: { entry: path.resolve('src/core/generate/localServer.ts'), formats: ['es'], fileName: 'localServer' },
      },
    })) as { output: { code?: string }[] }[];
    const code = bundled[0]!.output[0]!.code!;
    page = http.createServer((req, res) => {
      if (req.url === '/localServer.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(code);
      else
        res
          .writeHead(200, { 'content-type': 'text/html' })
          .end(
            '<!doctype html><title>page</title><script type="module">import * as m from "/localServer.js"; window.localServer = m;</script>',
          );
    });
    await new Promise<void>((r) => page.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(page.address() as { port: number }).port}`;
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    page?.close();
    for (const s of servers) await s.stop();
  });

  async function inPage(
    url: string,
  ): Promise<{ models?: unknown; text?: string; error?: { reason: string; message: string } }> {
    const tab = await browser.newPage();
    try {
      await tab.goto(origin);
      await tab.waitForFunction(() => 'localServer' in window);
      return await tab.evaluate(async (base) => {
        const m = (window as unknown as { localServer: typeof import('../../src/core/generate/localServer') })
          .localServer;
        try {
          const models = await m.listServerModels(base);
          const gen = await m.createLocalServerGenerator({ baseUrl: base, model: 'stories260K' });
          const out = await gen.generate([{ role: 'user', content: 'Once upon a time' }], { maxNewTokens: 20 });
          return { models, text: out.text };
        } catch (e) {
          return { error: { reason: (e as LocalServerError).reason, message: (e as Error).message } };
        }
      }, url);
    } finally {
      await tab.close();
    }
  }

  test('a server that refuses the page’s origin is told apart from one not running, with the exact settings to change', {
    timeout: 180_000,
  }, async () => {
    const refusing = await startLlamaServer(GGUF, { cors: 'none' });
    const allowing = await startLlamaServer(GGUF, { cors: origin });
    servers.push(refusing, allowing);

    const refused = await inPage(refusing.url);
    expect(refused.error?.reason).toBe('cors-refused');
    expect(refused.error?.message).toContain(
      `The model server at ${refusing.url} is running but refuses requests from this page (${origin}).`,
    );
    expect(refused.error?.message).toContain(
      `Ollama: start it with OLLAMA_ORIGINS=${origin} (for example \`OLLAMA_ORIGINS=${origin} ollama serve\``,
    );
    expect(refused.error?.message).toContain('LM Studio: in Developer › Server Settings, turn on “Enable CORS”');

    const allowed = await inPage(allowing.url);
    expect(allowed.error).toBeUndefined();
    expect(allowed.models).toEqual([{ id: 'stories260K', contextWindow: 512 }]);
    expect(allowed.text!.length).toBeGreaterThan(10);

    await allowing.stop();
    const nothing = await inPage(allowing.url);
    expect(nothing.error?.reason).toBe('not-running');
    expect(nothing.error?.message).toMatch(/^Nothing answers at http:\/\/127\.0\.0\.1:\d+\. Start the model server/);
  });
});
