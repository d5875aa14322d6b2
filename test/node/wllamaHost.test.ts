/**
 * llama.cpp's host (core/generate/wllamaHost.ts) as far as Node reaches it: checking files before
 * anything is kept, and downloading from a real HTTP server, with the real stories260K GGUF. The
 * model store is held in memory here (the browser's is OPFS, tested in test/browser/engines.test.ts);
 * loading and answering need llama.cpp's wasm, so they are tested in Chromium too.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { untag } from '../../src/core/generate/engineErrors';
import type { ModelStore, StoredModel } from '../../src/core/generate/modelStore';
import { WllamaHost } from '../../src/core/generate/wllamaHost';
import { FIXTURES_DIR, MODELS_DIR } from '../../scripts/lib/paths';

const GGUF = fs.readFileSync(path.join(MODELS_DIR, 'karpathy/stories260K/stories260K-f32.gguf'));
const ASSETS = { mainScript: '/w.js', threadScript: '/t.js', wasm: '/w.wasm' };

/** A model store in memory with the OPFS store's all-or-nothing writes. */
function memoryStore() {
  const models = new Map<string, { record: StoredModel; parts: Blob[] }>();
  const store: ModelStore = {
    get: async (id) => models.get(id)?.record,
    parts: async (m) => models.get(m.id)!.parts,
    async write(id, write) {
      const parts: Uint8Array<ArrayBuffer>[][] = [];
      const meta = await write(
        async (i) => {
          parts[i] = [];
          return { write: (chunk) => void parts[i]!.push(new Uint8Array(chunk)), close() {} };
        },
        async (i) => new Blob(parts[i]!),
      );
      const blobs = parts.map((p) => new Blob(p));
      const record: StoredModel = {
        ...meta,
        id,
        parts: blobs.map((b, i) => ({ file: `${i}.gguf`, bytes: b.size })),
        bytes: blobs.reduce((n, b) => n + b.size, 0),
        addedAt: Date.now(),
      };
      models.set(id, { record, parts: blobs });
      return record;
    },
  };
  return { store, ids: () => [...models.keys()] };
}

/** The failure as the page reads it (the code rides in the message across the worker boundary). */
const failure = (work: Promise<unknown>) =>
  work.then(
    () => undefined,
    (err: unknown) => {
      const e = untag(err);
      return e && { code: e.code, message: e.message };
    },
  );

describe('adding model files', () => {
  test('a real GGUF is checked and kept with what the menu shows; the same id again is the same model', async () => {
    const { store, ids } = memoryStore();
    const host = new WllamaHost(ASSETS, store);
    const stored = await host.addFiles('gguf-file:stories:1054784', [new File([GGUF], 'stories260K-f32.gguf')]);
    expect(stored).toMatchObject({
      id: 'gguf-file:stories:1054784',
      name: 'stories260K',
      architecture: 'llama',
      quantization: 'F32',
      contextLength: 512,
      hasChatTemplate: false,
      source: 'file',
      bytes: GGUF.length,
    });
    expect(await host.addFiles('gguf-file:stories:1054784', [new File([GGUF], 'again.gguf')])).toEqual(stored);
    expect(ids()).toEqual(['gguf-file:stories:1054784']);
  });

  test('not a GGUF, one part of a split model, and too big for the device are refused by name, and nothing is kept', async () => {
    const { store, ids } = memoryStore();
    const host = new WllamaHost(ASSETS, store);
    const pdf = new File([fs.readFileSync(path.join(FIXTURES_DIR, 'pdf/multi_page.pdf'))], 'paper.pdf');
    expect(await failure(host.addFiles('a', [pdf]))).toEqual({
      code: 'not-gguf',
      message: '"paper.pdf" cannot be used: it is not a GGUF model file.',
    });
    const cut = new File([new Uint8Array(GGUF.subarray(0, 500_000))], 'cut.gguf');
    expect(await failure(host.addFiles('b', [cut]))).toMatchObject({ code: 'truncated' });
    // A model file saying it is part 1 of 3, given alone.
    const split = splitHeader();
    expect(await failure(host.addFiles('c', [new File([split], 'model-00001-of-00003.gguf')]))).toEqual({
      code: 'truncated',
      message: '"model-00001-of-00003.gguf" is part 1 of a model split into 3 files: add all 3 files together.',
    });
    // Half of a 0.1 GB device cannot hold even llama.cpp's working memory.
    expect(await failure(host.addFiles('d', [new File([GGUF], 'stories.gguf')], 0.1))).toEqual({
      code: 'too-large',
      message: expect.stringMatching(
        /^"stories\.gguf" is too big to run here: it needs about 0\.1 GB of memory and this device \(0\.1 GB of memory\) can give it about 0\.1 GB\. Choose a smaller/,
      ),
    });
    expect(ids()).toEqual([]);
  });
});

/** A minimal GGUF v3 file (no tensors) saying it is part 1 of 3. */
function splitHeader(): Uint8Array<ArrayBuffer> {
  const u32 = (n: number) => Buffer.from(new Uint32Array([n]).buffer);
  const u64 = (n: number) => Buffer.from(new BigUint64Array([BigInt(n)]).buffer);
  const str = (s: string) => Buffer.concat([u64(Buffer.byteLength(s)), Buffer.from(s)]);
  const meta: [string, Buffer][] = [
    ['general.architecture', Buffer.concat([u32(8), str('llama')])],
    ['split.count', Buffer.concat([u32(4), u32(3)])],
    ['split.no', Buffer.concat([u32(4), u32(0)])],
  ];
  const header = Buffer.concat([
    Buffer.from('GGUF'),
    u32(3),
    u64(0),
    u64(meta.length),
    ...meta.flatMap(([k, v]) => [str(k), v]),
  ]);
  // The (empty) tensor data starts at the next 32-byte boundary: the file is complete there.
  return new Uint8Array(Buffer.concat([header, Buffer.alloc((32 - (header.length % 32)) % 32)]));
}

describe('downloading a catalogue model from a real HTTP server', () => {
  let server: http.Server;
  let base: string;
  /** Requests for /stall wait here until the test lets them go. */
  const stalled: http.ServerResponse[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/stories.gguf') {
        res.writeHead(200, { 'content-length': GGUF.length });
        return res.end(GGUF);
      }
      if (req.url === '/cut.gguf') {
        // Says the whole size, sends half, then the connection ends.
        res.writeHead(200, { 'content-length': GGUF.length });
        res.write(GGUF.subarray(0, GGUF.length / 2));
        return setTimeout(() => res.destroy(), 50);
      }
      if (req.url === '/stall.gguf') {
        res.writeHead(200, { 'content-length': GGUF.length });
        res.write(GGUF.subarray(0, 1000));
        return void stalled.push(res);
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const res of stalled) res.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  test('the file arrives whole, is checked, and is kept with its progress reported to the end', async () => {
    const { store } = memoryStore();
    const host = new WllamaHost(ASSETS, store);
    const progress: [number, number][] = [];
    const stored = await host.download('wllama:stories', [`${base}/stories.gguf`], undefined, (l, t) =>
      progress.push([l, t]),
    );
    expect(stored).toMatchObject({ id: 'wllama:stories', name: 'stories260K', source: 'download', bytes: GGUF.length });
    expect(progress.at(-1)).toEqual([GGUF.length, GGUF.length]);
    expect(Buffer.from(await (await store.parts(stored))[0]!.arrayBuffer()).equals(GGUF)).toBe(true);
  });

  test('missing on the host, cut off mid-way, and cancelled each say so, and nothing is kept', async () => {
    const { store, ids } = memoryStore();
    const host = new WllamaHost(ASSETS, store);
    const none = () => {};
    expect(await failure(host.download('a', [`${base}/nothing.gguf`], undefined, none))).toEqual({
      code: 'not-found',
      message:
        'This site does not serve nothing.gguf (its model host answered HTTP 404). Choose another model; passages-only answers keep working.',
    });
    expect(await failure(host.download('b', [`${base}/cut.gguf`], undefined, none))).toMatchObject({
      code: 'download-interrupted',
      message: expect.stringMatching(/^The download stopped part-way .*Nothing was kept; download again to retry\.$/),
    });
    const cancelled = failure(host.download('c', [`${base}/stall.gguf`], undefined, none));
    await expect.poll(() => stalled.length).toBe(1);
    host.cancelDownload('c');
    expect(await cancelled).toEqual({ code: 'cancelled', message: 'The download was cancelled.' });
    expect(ids()).toEqual([]);
  });

  test('loading a model the store does not have says so plainly', async () => {
    const host = new WllamaHost(ASSETS, memoryStore().store);
    expect(await failure(host.load('gone', { threads: 1 }))).toEqual({
      code: 'not-found',
      message: 'This model is not on this device any more; download or add it again.',
    });
  });
});
