import { describe, expect, test } from 'vitest';
import { baseUrl, gotoHarness, openHarness, useBrowser } from './chromium';
import { SIX_FORMATS } from '../../scripts/lib/paths';

const browser = useBrowser();

const FIXTURES = SIX_FORMATS;

const WASM = { localModelPath: '/models/', dtype: 'q8', device: 'wasm' } as const;

describe('core in headless Chromium (worker, real IndexedDB, real transformers.js)', () => {
  test('every fixture format is indexed; a question finds the right passage first; it all survives a reload', async () => {
    const h = await openHarness(browser());
    const first = await h.page.evaluate(
      async ({ files, opts }) => {
        const downloads: number[] = [];
        const stages: string[] = [];
        window.lib = await window.folio.openLibraryInWorker({ ...opts, name: 'fixtures' }, (d) =>
          downloads.push(d.total),
        );
        const inputs = await Promise.all(files.map((f) => window.folio.fixture(f)));
        const out = window.folio.summarize(
          await window.lib.addFiles(inputs, (p) => stages.push(`${p.file}:${p.stage}`)),
        );
        const docs = (await window.lib.listDocuments()).map((d) => ({
          name: d.name,
          type: d.type,
          pages: d.pageCount,
          chunks: d.chunkCount,
        }));
        const hits = (await window.lib.search('Who patented the typewriter in 1868?', { k: 3 })).map((x) => ({
          doc: x.docName,
          page: x.location.page,
          text: x.text,
        }));
        return {
          out,
          docs,
          hits,
          stages,
          downloads,
          info: window.lib.info,
          integrity: await window.lib.checkIntegrity(),
          isolated: self.crossOriginIsolated,
        };
      },
      { files: FIXTURES, opts: WASM },
    );
    expect(first.info).toMatchObject({ model: 'Xenova/all-MiniLM-L6-v2', device: 'wasm', dtype: 'q8' });
    expect(first.isolated).toBe(true); // COOP/COEP served, so ONNX Runtime may use threads
    expect(first.out.map((o) => o.status)).toEqual(FIXTURES.map(() => 'added'));
    // Stored smallest file first (fair indexing), so compared by type, sorted.
    expect(first.docs.map((d) => d.type).sort()).toEqual(['docx', 'html', 'markdown', 'pdf', 'pdf', 'text']);
    expect(first.docs.find((d) => d.name === 'multi_page.pdf')!.pages).toBe(5);
    for (const d of first.docs) expect(d.chunks).toBeGreaterThan(0);
    expect(first.hits[0]).toMatchObject({ doc: 'multi_page.pdf', page: 1 });
    expect(first.hits[0]!.text).toContain('Christopher Latham Sholes');
    expect(first.integrity.problems).toEqual([]);
    expect(first.downloads.some((t) => t > 1_000_000)).toBe(true); // model bytes reported while loading
    for (const stage of ['parsing', 'chunking', 'embedding', 'storing', 'done'])
      expect(first.stages).toContain(`multi_page.pdf:${stage}`);

    // Everything came from the app's own origin: no CDN for code, wasm or models.
    const origin = new URL(baseUrl()).origin;
    const foreign = h.requests.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:'));
    expect(foreign).toEqual([]);
    expect(h.requests.some((u) => u.endsWith('.wasm'))).toBe(true);

    await h.page.evaluate(() => window.lib?.close());
    await h.page.reload();
    await gotoHarness(h.page);
    const after = await h.page.evaluate(async (opts) => {
      window.lib = await window.folio.openLibraryInWorker({ ...opts, name: 'fixtures' });
      const docs = (await window.lib.listDocuments()).map((d) => d.name);
      const hits = (await window.lib.search('Who patented the typewriter in 1868?', { k: 3 })).map((x) => ({
        doc: x.docName,
        page: x.location.page,
        text: x.text,
      }));
      return { docs, hits, integrity: await window.lib.checkIntegrity() };
    }, WASM);
    expect([...after.docs].sort()).toEqual(FIXTURES.map((f) => f.split('/').pop()).sort());
    expect(after.hits).toEqual(first.hits);
    expect(after.integrity.problems).toEqual([]);
    expect(h.errors).toEqual([]);
    await h.context.close();
  });

  test('WebGPU (SwiftShader) and WASM embeddings agree', async () => {
    const h = await openHarness(browser());
    const result = await h.page.evaluate(async () => {
      const sentences = [
        'The typewriter was patented in 1868.',
        'Ducks are aquatic birds.',
        'IBM is nicknamed Big Blue.',
      ];
      const gpu = await window.folio.openLibraryInWorker({
        name: null,
        localModelPath: '/models/',
        dtype: 'q8',
        device: 'webgpu',
      });
      const cpu = await window.folio.openLibraryInWorker({
        name: null,
        localModelPath: '/models/',
        dtype: 'q8',
        device: 'wasm',
      });
      const a = await gpu.embed(sentences, 'passage');
      const b = await cpu.embed(sentences, 'passage');
      const cos = sentences.map((_, i) => {
        let s = 0;
        for (let j = 0; j < 384; j++) s += a[i * 384 + j]! * b[i * 384 + j]!;
        return s;
      });
      const cross = (() => {
        let s = 0;
        for (let j = 0; j < 384; j++) s += a[j]! * b[384 + j]!;
        return s;
      })();
      const info = [gpu.info, cpu.info];
      await gpu.close();
      await cpu.close();
      return { cos, cross, info, adapter: !!(await navigator.gpu?.requestAdapter()) };
    });
    expect(result.adapter).toBe(true);
    expect(result.info.map((i) => i.device)).toEqual(['webgpu', 'wasm']);
    for (const c of result.cos) expect(c).toBeGreaterThan(0.99);
    expect(result.cross).toBeLessThan(0.5); // different sentences stay apart
    console.log('WebGPU vs WASM cosine per sentence:', result.cos.map((c) => c.toFixed(5)).join(', '));
    await h.context.close();
  });

  test('device chosen by measurement: the SwiftShader (software) WebGPU adapter is refused for embedding, and the choice is remembered', async () => {
    const h = await openHarness(browser());
    const result = await h.page.evaluate(async () => {
      const adapter = await navigator.gpu?.requestAdapter();
      const first = await window.folio.openLibraryInWorker({ name: null, localModelPath: '/models/', dtype: 'q8' });
      await first.close();
      // Remembered in this browser profile, for the next visit.
      const remembered = await new Promise((resolve, reject) => {
        const req = indexedDB.open('folio-device');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const get = req.result.transaction('choices').objectStore('choices').get('Xenova/all-MiniLM-L6-v2|q8');
          get.onsuccess = () => resolve(get.result);
          get.onerror = () => reject(get.error);
        };
      });
      return { fallback: adapter?.info.isFallbackAdapter, first: first.info, remembered };
    });
    expect(result.fallback).toBe(true);
    expect(result.first).toMatchObject({ device: 'wasm', modelReady: true });
    expect(result.first.deviceReason).toMatch(/^the only WebGPU adapter is a software one \(swiftshader\)/);
    expect(result.remembered).toEqual({ device: 'wasm', reason: result.first.deviceReason });
    expect(h.errors).toEqual([]);
    await h.context.close();
  });

  test('bad files get clear errors by name; the batch goes on; the store stays intact', async () => {
    const h = await openHarness(browser());
    const result = await h.page.evaluate(async (opts) => {
      const g = window.folio.generate;
      const lib = await window.folio.openLibraryInWorker({ ...opts, name: 'bad-input', maxFileBytes: 1024 * 1024 });
      await lib.addFiles([await window.folio.fixture('md/wiki-ibm.md')]);
      const before = await lib.search('Which company is nicknamed Big Blue?', { k: 2, mode: 'dense' });
      const beforeTop = (await lib.search('Which company is nicknamed Big Blue?', { k: 1 }))[0]!.chunkIndex;
      const pdf = new Uint8Array(await (await window.folio.fixture('pdf/multi_page.pdf')).arrayBuffer());
      const batch = [
        new File([await (await window.folio.fixture('docx/word_sample.docx')).arrayBuffer()], 'word_sample.docx'),
        new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0])], 'photo.png'),
        new File([], 'empty.txt'),
        new File([g.truncated(pdf)], 'cut-off.pdf'),
        new File([g.encryptedPdf()], 'locked.pdf'),
        new File([g.scannedPdf()], 'scan.pdf'),
        new File(['a'.repeat(2 * 1024 * 1024)], 'huge.txt'),
        new File([g.randomBytes(20000)], 'noise.txt'),
        await window.folio.fixture('txt/war-and-peace-1p.txt'),
      ];
      const out = window.folio.summarize(await lib.addFiles(batch));
      // Vectors untouched: dense results identical. Keyword statistics legitimately change as
      // documents are added, so hybrid is checked by its top passage.
      const after = await lib.search('Which company is nicknamed Big Blue?', { k: 2, mode: 'dense' });
      const afterTop = (await lib.search('Which company is nicknamed Big Blue?', { k: 1 }))[0]!.chunkIndex;
      const docs = (await lib.listDocuments()).map((d) => d.name);
      const integrity = await lib.checkIntegrity();
      await lib.close();
      return { out, same: JSON.stringify(before) === JSON.stringify(after) && beforeTop === afterTop, docs, integrity };
    }, WASM);
    expect(result.out.map((o) => [o.file, o.status, o.code])).toEqual([
      ['word_sample.docx', 'added', undefined],
      // Images are read by OCR now: this one is only a PNG signature, cut off before its header ends.
      ['photo.png', 'failed', 'corrupt-file'],
      ['empty.txt', 'failed', 'empty-file'],
      ['cut-off.pdf', 'failed', 'corrupt-file'],
      ['locked.pdf', 'failed', 'encrypted-pdf'],
      // No text layer, and OCR finds no text on its grey box either.
      ['scan.pdf', 'failed', 'no-text'],
      ['huge.txt', 'failed', 'file-too-large'],
      ['noise.txt', 'failed', 'not-text'],
      ['war-and-peace-1p.txt', 'added', undefined],
    ]);
    for (const o of result.out.filter((x) => x.status === 'failed'))
      expect(o.message!.startsWith(`${o.file}: `)).toBe(true);
    expect(result.same).toBe(true);
    expect([...result.docs].sort()).toEqual(['war-and-peace-1p.txt', 'wiki-ibm.md', 'word_sample.docx']);
    expect(result.integrity.problems).toEqual([]);
    await h.context.close();
  });
});
