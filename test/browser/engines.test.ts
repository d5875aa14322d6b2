/**
 * The answer engines in real headless Chromium, through the page's own engines object: llama.cpp
 * (wllama, real wasm, threads) against transformers.js on the same stories260K model, Stop, a GGUF
 * file kept in OPFS across a reload, refused files, Chrome's Prompt API (real: unavailable here;
 * a stand-in with the spec's shape), plain error sentences, and a new kind of engine added as one
 * more row of the table (client/engines/kinds.ts), handled by the page without a change elsewhere.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { startLlamaServer } from '../../scripts/lib/llamaServer';
import { MODELS_DIR } from '../../scripts/lib/paths';
import { gotoHarness, newRecordedPage, openHarness, useBrowser } from './chromium';

const browser = useBrowser({ webgpu: false });

test('llama.cpp (wllama) streams the same greedy answer as the ONNX model for the same prompt, and frees itself on switch', async () => {
  const { page, context, errors } = await openHarness(browser());
  const out = await page.evaluate(async () => {
    const h = window.folio.engines;
    const engines = await h.openEngines();
    const before = engines.list().find((o) => o.id === h.WLLAMA_STORIES)!.state.kind;
    const wllama = await engines.load(h.WLLAMA_STORIES);
    const a = await h.answer(wllama!, 'Once upon a time', 60);
    const info = (wllama as unknown as { info: { threads: number; multiThread: boolean } }).info;
    const onnx = await engines.load(h.TRANSFORMERS_STORIES);
    const b = await h.answer(onnx!, 'Once upon a time', 60);
    // The switch disposed llama.cpp: its generator no longer answers.
    const freed = await wllama!.generate([{ role: 'user', content: 'x' }], { maxNewTokens: 2 }).then(
      () => 'still loaded',
      (e: Error) => e.message,
    );
    return {
      before,
      a,
      b,
      info,
      freed,
      states: engines
        .list()
        .filter((o) => o.id === h.WLLAMA_STORIES || o.id === h.TRANSFORMERS_STORIES)
        .map((o) => o.state),
    };
  });
  expect(out.before).toBe('not-downloaded');
  expect(out.a.pieces.length).toBeGreaterThan(10); // streamed, a token at a time
  expect(out.a.text.trim().length).toBeGreaterThan(20);
  // Greedy decoding on both engines: the same tokens, so the same text and the same count.
  expect(out.a.text.trim()).toBe(out.b.text.trim());
  expect(out.a.lastRun!.tokens).toBe(out.b.lastRun!.tokens);
  expect(out.info).toMatchObject({ threads: 1, hasChatTemplate: false, contextWindow: 480 }); // half of 2 cores; 512 less the transcript margin // cross-origin isolated: every core
  expect(out.freed).not.toBe('still loaded');
  expect(out.states).toEqual([{ kind: 'ready' }, { kind: 'ready', loaded: true }]);
  expect(errors).toEqual([]);
  await context.close();
});

test('a model server on this computer (real llama.cpp over HTTP, same GGUF) streams the same greedy answer as the in-page llama.cpp engine for the same prompt', async () => {
  const server = await startLlamaServer(path.join(MODELS_DIR, 'karpathy/stories260K/stories260K-f32.gguf'));
  try {
    const { page, context, errors } = await openHarness(browser());
    const out = await page.evaluate(async (url) => {
      const h = window.folio.engines;
      const engines = await h.openEngines();
      const inPage = await h.answer((await engines.load(h.WLLAMA_STORIES))!, 'Once upon a time', 60);
      // Added the way the menu adds it: by its address; its model is then an option like any other.
      const option = await engines.add('local-server', url);
      const viaServer = await h.answer((await engines.load(option!.id))!, 'Once upon a time', 60);
      return { option: option!.name, inPage, viaServer };
    }, server.url);
    expect(out.option).toBe('stories260K');
    expect(out.viaServer.pieces.length).toBeGreaterThan(10); // streamed
    expect(out.inPage.text.trim().length).toBeGreaterThan(20);
    // Greedy on both: the same tokens (the server's detokenizer drops the first one's leading space).
    expect(out.viaServer.text.trim()).toBe(out.inPage.text.trim());
    expect(errors).toEqual([]);
    await context.close();
  } finally {
    await server.stop();
  }
}, 300_000);

test('Stop ends a llama.cpp answer mid-way, and the next answer still works', async () => {
  const { page, context } = await openHarness(browser());
  const out = await page.evaluate(async () => {
    const h = window.folio.engines;
    const engines = await h.openEngines();
    const gen = (await engines.load(h.WLLAMA_STORIES))!;
    const stopped = await h.answer(gen, 'Once upon a time', 400, 5);
    const next = await h.answer(gen, 'The cat', 8);
    // Threads: on this cross-origin isolated page llama.cpp runs with two as well.
    const host = h.openWllamaWorker();
    await host.api.addFiles('gguf-file:threads', [await h.fetchFile(h.STORIES_GGUF)]);
    const threaded = await h.openWllamaGenerator(host, 'gguf-file:threads', 2);
    const t = await h.answer(threaded, 'Once upon a time', 8, 3);
    host.terminate();
    return {
      stopped: { finishReason: stopped.finishReason, pieces: stopped.pieces.length, tokens: stopped.lastRun?.tokens },
      next: { finishReason: next.finishReason, pieces: next.pieces.length },
      threaded: { ...threaded.info, finishReason: t.finishReason },
    };
  });
  expect(out.threaded).toMatchObject({ threads: 2, multiThread: true, finishReason: 'aborted' });
  expect(out.stopped.finishReason).toBe('aborted');
  expect(out.stopped.pieces).toBeGreaterThanOrEqual(5);
  expect(out.stopped.pieces).toBeLessThan(40);
  expect(out.next).toEqual({ finishReason: 'length', pieces: 8 });
  await context.close();
});

test('a GGUF file from disk is checked, kept in OPFS, and offered after a reload without any request', async () => {
  const { page, context, requests } = await newRecordedPage(browser());
  await gotoHarness(page);
  const added = await page.evaluate(async () => {
    const h = window.folio.engines;
    const engines = await h.openEngines();
    const file = await h.fetchFile(h.STORIES_GGUF, 'my-stories.gguf');
    return engines.addModelFile(file);
  });
  expect(added).toMatchObject({
    kind: 'gguf-file',
    group: 'file',
    name: 'stories260K',
    sizeBytes: 1054784,
    state: { kind: 'ready' },
  });
  expect(added.note).toMatch(/llama, F32, 512-token context, no chat template/);
  await page.reload();
  await page.waitForFunction(() => window.harnessReady === true);
  const from = requests.length;
  const again = await page.evaluate(async (id) => {
    const h = window.folio.engines;
    const engines = await h.openEngines();
    const option = engines.list().find((o) => o.id === id);
    const gen = (await engines.load(id))!;
    const a = await h.answer(gen, 'Once upon a time', 6);
    return { option, text: a.text, files: await h.storedFiles() };
  }, added.id);
  expect(again.option).toMatchObject({ id: added.id, state: { kind: 'ready' } });
  expect(again.text.length).toBeGreaterThan(0);
  // Nothing fetched for the model: it came from OPFS (the only requests are the app's own code).
  const after = requests.slice(from);
  expect(after.filter((u) => u.includes('/models/') || u.includes('.gguf'))).toEqual([]);
  expect(after.every((u) => u.startsWith(new URL(page.url()).origin))).toBe(true);
  expect(again.files).toEqual(['gguf-file_3Amy-stories_3A1054784.0.gguf', 'gguf-file_3Amy-stories_3A1054784.json']);
  // Remove frees the space.
  const left = await page.evaluate(async (id) => {
    const h = window.folio.engines;
    const engines = await h.openEngines();
    await engines.remove(id);
    return { listed: engines.list().some((o) => o.id === id), files: await h.storedFiles() };
  }, added.id);
  expect(left).toEqual({ listed: false, files: [] });
  await context.close();
});

test('a corrupt GGUF and a file that is not GGUF are refused by name, and nothing is kept', async () => {
  const { page, context } = await openHarness(browser());
  const out = await page.evaluate(async () => {
    const h = window.folio.engines;
    const engines = await h.openEngines();
    const real = new Uint8Array(await (await h.fetchFile(h.STORIES_GGUF)).arrayBuffer());
    const attempts = [
      new File([real.slice(0, 300_000)], 'cut-off.gguf'),
      new File([crypto.getRandomValues(new Uint8Array(4096))], 'noise.gguf'),
      await h.fetchFile('/fixtures/pdf/multi_page.pdf', 'paper.pdf'),
      new File([real.slice(0, 2000)], 'header-only.gguf'),
    ];
    const messages: string[] = [];
    for (const f of attempts)
      messages.push(
        await engines.addModelFile(f).then(
          () => 'accepted',
          (e: Error) => e.message,
        ),
      );
    return {
      messages,
      files: await h.storedFiles(),
      listed: engines.list().filter((o) => o.kind === 'gguf-file').length,
    };
  });
  expect(out.messages[0]).toMatch(/^"cut-off\.gguf" cannot be used: the file is incomplete \(28% of it is there\)/);
  expect(out.messages[1]).toBe('"noise.gguf" cannot be used: it is not a GGUF model file.');
  expect(out.messages[2]).toMatch(/^"paper\.pdf" cannot be used: it is not a GGUF model file/);
  expect(out.messages[3]).toMatch(/^"header-only\.gguf" cannot be used: the file ends inside its header/);
  expect(out.files).toEqual([]);
  expect(out.listed).toBe(0);
  await context.close();
});

test('a model that cannot be fetched gives a sentence, not transformers.js’s "reading \'tokenizer_class\'"', async () => {
  const { page, context } = await openHarness(browser());
  const out = await page.evaluate(async () => {
    const h = window.folio.engines;
    // What transformers.js itself says when the tokenizer files cannot be fetched.
    const raw = await h
      .openTransformersGenerator({
        model: 'nobody/no-such-model',
        device: 'wasm',
        dtype: 'q8',
        localModelPath: '/models/',
      })
      .then(
        () => 'loaded',
        (e: Error) => e.message,
      );
    const engines = await h.openEngines();
    const custom = (await engines.add('transformers', 'nobody/no-such-model'))!;
    const said = await engines.load(custom.id).then(
      () => 'loaded',
      (e: Error) => e.message,
    );
    const badName = await engines.add('transformers', 'not a model').then(
      () => 'accepted',
      (e: Error) => e.message,
    );
    return {
      raw,
      said,
      state: engines.list().find((o) => o.id === custom.id)!.state,
      badName,
      passages: await engines.load('passages'),
    };
  });
  expect(out.raw).toMatch(/tokenizer_class/);
  expect(out.said).toBe('The model host has no model called "nobody/no-such-model" (HTTP 404). Check the model name.');
  expect(out.state).toEqual({ kind: 'error', message: out.said });
  expect(out.badName).toMatch(/is not a model name/);
  expect(out.passages).toBeNull(); // passages-only keeps working
  await context.close();
});

test('Chrome’s Prompt API: listed as unavailable, with why, where it reports so (real Chromium), offered and streaming with a stand-in of the spec’s shape', async () => {
  const { page, context } = await openHarness(browser());
  const out = await page.evaluate(async () => {
    const h = window.folio.engines;
    const real = await (
      globalThis as unknown as { LanguageModel: { availability(): Promise<string> } }
    ).LanguageModel.availability();
    const engines = await h.openEngines();
    const offeredForReal = engines.list().find((o) => o.kind === 'prompt-api')?.state;
    class StandIn extends EventTarget {
      static availability = async () => 'downloadable' as const;
      static async create(o: { monitor?: (m: EventTarget) => void }) {
        const m = new EventTarget();
        o.monitor?.(m);
        for (const loaded of [0, 0.5, 1])
          m.dispatchEvent(Object.assign(new Event('downloadprogress'), { loaded, total: 1 }));
        return new StandIn();
      }
      contextWindow = 1024;
      measureContextUsage = async (s: string) => s.split(' ').length;
      clone = async () => new StandIn();
      destroy() {}
      promptStreaming(_: unknown, opt: { signal?: AbortSignal }) {
        let i = 0;
        return new ReadableStream<string>({
          pull: (c) =>
            opt.signal?.aborted
              ? c.error(new DOMException('stop', 'AbortError'))
              : i < 3
                ? c.enqueue(['It ', 'is ', 'so.'][i++]!)
                : c.close(),
        });
      }
    }
    const withStandIn = await h.openEngines({ languageModel: StandIn as never });
    const option = withStandIn.list().find((o) => o.kind === 'prompt-api');
    const states: string[] = [];
    withStandIn.subscribe(() => states.push(withStandIn.list().find((o) => o.kind === 'prompt-api')!.state.kind));
    const gen = (await withStandIn.load('prompt-api'))!;
    const a = await h.answer(gen, 'Hello there', 50);
    return {
      real,
      offeredForReal,
      option,
      states: [...new Set(states)],
      text: a.text,
      pieces: a.pieces,
      count: await gen.countTokens('one two three'),
      window: gen.contextWindow,
    };
  });
  expect(out.real).toBe('unavailable');
  // Listed, so the menu can say why it cannot be used, but not offered.
  expect(out.offeredForReal).toEqual({
    kind: 'unavailable',
    reason: expect.stringMatching(/^Chrome says its built-in model cannot run on this device/),
  });
  expect(out.option).toMatchObject({ id: 'prompt-api', group: 'built-in', state: { kind: 'not-downloaded' } });
  expect(out.states).toEqual(['downloading', 'ready']);
  expect(out.pieces).toEqual(['It ', 'is ', 'so.']);
  expect(out.count).toBe(3);
  expect(out.window).toBe(1024);
  await context.close();
});

test('a kind added as one more row of the table, with a typed address and options found at run time, is listed, used and removed by the page as it is', async () => {
  const { page, context } = await openHarness(browser());
  const out = await page.evaluate(async () => {
    const h = window.folio.engines;
    // A kind as a new file would write it: a model server whose models are known only once its
    // address is given (here answered from memory instead of a server).
    let address: string | undefined;
    const server = {
      kind: 'stand-in-server',
      async options() {
        if (!address) return [];
        return ['tiny', 'small'].map((m) => ({
          id: `stand-in-server:${m}`,
          kind: 'stand-in-server',
          group: 'server' as const,
          name: m,
          note: `served by ${address}`,
          state: { kind: 'ready' as const },
        }));
      },
      async open(option: { id: string }) {
        return {
          id: option.id,
          contextWindow: 2048,
          countTokens: async (t: string) => t.split(' ').length,
          async generate(_: unknown, o?: { onToken?: (t: string) => void }) {
            o?.onToken?.(`from ${option.id}`);
            return { text: `from ${option.id}`, finishReason: 'stop' as const };
          },
          interrupt() {},
          dispose: async () => {},
        };
      },
      async remove() {
        return null;
      },
      input: {
        kind: 'stand-in-server',
        summary: 'A model server on this computer',
        help: 'Its address.',
        label: 'Server address',
        placeholder: 'http://localhost:11434',
        submit: 'Connect',
        presets: [{ name: 'Ollama', value: 'http://localhost:11434' }],
      },
      async add(text: string) {
        if (!/^http:\/\/localhost:\d+$/.test(text)) throw new Error(`"${text}" is not an address on this computer.`);
        address = text;
        return undefined;
      },
    };
    const engines = await h.openEngines({ kinds: [...h.ENGINE_KINDS, server as never] });
    const before = engines.list().filter((o) => o.group === 'server').length;
    const refused = await engines.add('stand-in-server', 'example.com').then(
      () => 'accepted',
      (e: Error) => e.message,
    );
    const added = await engines.add('stand-in-server', 'http://localhost:11434');
    const listed = engines.list().filter((o) => o.group === 'server');
    const gen = (await engines.load('stand-in-server:small'))!;
    const a = await h.answer(gen, 'Hello', 10);
    const inUse = engines.list().find((o) => o.id === 'stand-in-server:small')!.state;
    await engines.remove('stand-in-server:tiny');
    return {
      before,
      refused,
      added,
      inputs: engines.inputs().map((i) => i.kind),
      listed: listed.map((o) => [o.id, o.note, o.state.kind]),
      text: a.text,
      inUse,
      after: engines
        .list()
        .filter((o) => o.group === 'server')
        .map((o) => o.id),
    };
  });
  expect(out.before).toBe(0);
  expect(out.refused).toBe('"example.com" is not an address on this computer.');
  expect(out.added).toBeUndefined();
  expect(out.inputs).toEqual(['transformers', 'local-server', 'stand-in-server']);
  expect(out.listed).toEqual([
    ['stand-in-server:tiny', 'served by http://localhost:11434', 'ready'],
    ['stand-in-server:small', 'served by http://localhost:11434', 'ready'],
  ]);
  expect(out.text).toBe('from stand-in-server:small');
  expect(out.inUse).toEqual({ kind: 'ready', loaded: true });
  expect(out.after).toEqual(['stand-in-server:small']);
  await context.close();
});

test('the menu recommends llama.cpp on a device without a usable GPU, with every option’s size and note', async () => {
  const { page, context } = await openHarness(browser());
  const list = await page.evaluate(async () => (await window.folio.engines.openEngines()).list());
  const recommended = list.filter((o) => o.recommended);
  expect(recommended.map((o) => o.id)).toEqual([
    'wllama:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf',
  ]);
  expect(list[0]).toMatchObject({ id: 'passages', group: 'instant', state: { kind: 'ready' } });
  const gpu = list.filter((o) => o.group === 'gpu');
  expect(gpu).toEqual([
    expect.objectContaining({
      id: 'webllm',
      state: { kind: 'unavailable', reason: expect.stringMatching(/no WebGPU/) },
    }),
  ]);
  for (const o of list.filter((x) => x.group === 'processor')) {
    expect(o.sizeBytes).toBeGreaterThan(0);
    expect(o.note.length).toBeGreaterThan(10);
    expect(o.state.kind).toBe('not-downloaded');
  }
  await context.close();
});

test('a download cut off half-way is a sentence, and nothing of it is kept', async () => {
  const { page, context } = await openHarness(browser());
  // The model host sends the first 400 KB of the 1 MB file and ends the response.
  const full = fs.readFileSync(path.join(MODELS_DIR, 'karpathy/stories260K/stories260K-f32.gguf'));
  await context.route('**/models/karpathy/stories260K/stories260K-f32.gguf', (route) =>
    route.fulfill({ status: 200, contentType: 'application/octet-stream', body: full.subarray(0, 400_000) }),
  );
  const out = await page.evaluate(async () => {
    const h = window.folio.engines;
    const engines = await h.openEngines();
    const message = await engines.load(h.WLLAMA_STORIES).then(
      () => 'loaded',
      (e: Error) => e.message,
    );
    return {
      message,
      state: engines.list().find((o) => o.id === h.WLLAMA_STORIES)!.state,
      files: await h.storedFiles(),
      passages: await engines.load('passages'),
    };
  });
  expect(out.message).toBe(
    'The download stopped part-way: the file is incomplete. Nothing was kept; download again to retry.',
  );
  expect(out.state).toEqual({ kind: 'error', message: out.message });
  expect(out.files).toEqual([]);
  expect(out.passages).toBeNull();
  await context.close();
});
