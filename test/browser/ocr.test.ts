import { beforeAll, describe, expect, test } from 'vitest';
import { FORMAT_FILES } from '../../scripts/lib/office';
import { blankPng, corruptPng, imagePdf, lineBand, pageImage, pixelBombPng } from '../../scripts/lib/ocr';
import { baseUrl, openHarness, useBrowser } from './chromium';

const browser = useBrowser({ webgpu: false });
const WASM = { localModelPath: '/models/', dtype: 'q8', device: 'wasm' } as const;
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

const SCAN = ['Quarterly Report', 'The warehouse in Leeds shipped 4,210 crates of marmalade in March.'];
const MIXED_TEXT = [
  'This first page has a real text layer about harbour pilots.',
  'Pilots board incoming ships two miles offshore.',
];
const MIXED_SCAN = ['Second page, scanned.', 'The lighthouse keeper logged nineteen storms during the winter of 1887.'];
const PNG = ['Screenshot of a receipt', 'Total paid for the walnut bookcase was 349 pounds and 20 pence.'];
const JPEG = ['Photo of a notice board', 'The choir rehearses on Thursday evenings in the old chapel.'];

let files: { name: string; data: string }[];
beforeAll(async () => {
  files = [
    { name: 'scan.pdf', data: b64(imagePdf([await pageImage(SCAN, { dpi: 200, format: 'jpeg' })])) },
    { name: 'mixed.pdf', data: b64(imagePdf([MIXED_TEXT, await pageImage(MIXED_SCAN, { dpi: 200, format: 'jpeg' })])) },
    { name: 'receipt.png', data: b64(await pageImage(PNG, { dpi: 150 })) },
    { name: 'notice.jpg', data: b64(await pageImage(JPEG, { dpi: 150, format: 'jpeg', quality: 80 })) },
    ...Object.entries(FORMAT_FILES).map(([name, data]) => ({ name, data: b64(data) })),
  ];
});

/** In the page: base64 → File. */
const declareFiles = `window.toFiles = (list) => list.map((f) => new File([Uint8Array.from(atob(f.data), (c) => c.charCodeAt(0))], f.name));`;

describe('OCR and the new formats in the browser (library worker, tesseract.js served by the app, real IndexedDB)', () => {
  test('an image-only PDF, a mixed PDF, a PNG, a JPEG and every new format: added, found by search, OCR hits boxed on their line', async () => {
    const h = await openHarness(browser());
    await h.page.evaluate(declareFiles);
    const result = await h.page.evaluate(
      async ({ files, opts }) => {
        const w = window as unknown as { toFiles: (l: typeof files) => File[] };
        const lib = await window.folio.openLibraryInWorker({ ...opts, name: 'ocr' });
        const progress: { file: string; stage: string; done?: number; total?: number }[] = [];
        const out = window.folio.summarize(
          await lib.addFiles(w.toFiles(files), (p) =>
            progress.push({ file: p.file, stage: p.stage, done: p.done, total: p.total }),
          ),
        );
        const ask = async (q: string) =>
          (await lib.search(q, { k: 3 })).map((x) => ({ doc: x.docName, text: x.text, location: x.location }));
        const hits = {
          scan: await ask('How many crates of marmalade did the Leeds warehouse ship?'),
          mixed: await ask('How many storms did the lighthouse keeper log?'),
          mixedText: await ask('Where do pilots board incoming ships?'),
          png: await ask('What did the walnut bookcase cost?'),
          jpeg: await ask('When does the choir rehearse?'),
          pptx: await ask('When does the cider press open?'),
          xlsx: await ask('Who drives Van 7 and when was it last serviced?'),
          ods: await ask('Which shelf holds the brass hinges?'),
          csv: await ask('Which instruments does Bram de Vries play?'),
          tsv: await ask('How much rain fell in Cardiff in January?'),
          epub: await ask('What is a lichen?'),
          odt: await ask('What colour will the boathouse be painted?'),
          rtf: await ask('Which floor does the accounts team move to?'),
        };
        const docs = (await lib.listDocuments()).map((d) => ({ name: d.name, type: d.type, pages: d.pageCount }));
        const integrity = await lib.checkIntegrity();
        await lib.close();
        return { out, hits, docs, progress, integrity };
      },
      { files, opts: WASM },
    );
    expect(result.out.map((o) => [o.file, o.status, o.code])).toEqual(files.map((f) => [f.name, 'added', undefined]));
    // Stored smallest file first (fair indexing): looked up by name.
    expect(
      ['scan.pdf', 'mixed.pdf', 'receipt.png', 'notice.jpg'].map((n) => result.docs.find((d) => d.name === n)),
    ).toEqual([
      { name: 'scan.pdf', type: 'pdf', pages: 1 },
      { name: 'mixed.pdf', type: 'pdf', pages: 2 },
      { name: 'receipt.png', type: 'image', pages: 1 },
      { name: 'notice.jpg', type: 'image', pages: 1 },
    ]);
    const top = (key: keyof typeof result.hits, doc: string, words: string) => {
      const hit = result.hits[key][0]!;
      expect(hit.doc, `${key}: ${result.hits[key].map((x) => x.doc)}`).toBe(doc);
      expect(hit.text).toContain(words);
      return hit;
    };
    const boxed = (hit: ReturnType<typeof top>, page: number, line: number) => {
      const band = lineBand(line);
      const box = (hit.location.boxes ?? []).find(
        (b) => b.page === page && b.y + b.h / 2 > band.top && b.y + b.h / 2 < band.bottom,
      );
      expect(box, JSON.stringify(hit.location.boxes)).toBeDefined();
      expect(Math.abs(box!.x - band.left)).toBeLessThan(0.02);
      expect(box!.h).toBeLessThan(0.04);
    };
    boxed(top('scan', 'scan.pdf', '4,210 crates of marmalade'), 1, 1);
    boxed(top('mixed', 'mixed.pdf', 'nineteen storms'), 2, 1);
    // The text-layer page is read from its text layer (exact text, no boxes); a passage running on
    // into the scanned page carries boxes for that page's lines only.
    const mixedText = top('mixedText', 'mixed.pdf', 'Pilots board incoming ships two miles offshore.');
    expect(mixedText.location.page).toBe(1);
    expect((mixedText.location.boxes ?? []).every((b) => b.page === 2)).toBe(true);
    boxed(top('png', 'receipt.png', 'walnut bookcase was 349 pounds'), 1, 1);
    boxed(top('jpeg', 'notice.jpg', 'rehearses on Thursday evenings'), 1, 1);
    top('pptx', 'deck.pptx', 'cider press opens on the first of October');
    expect(
      top(
        'xlsx',
        'fleet.xlsx',
        'Row 2: Vehicle: Van 7; Driver: Priya Natarajan; Mileage: 48210; Last service: 2024-03-15',
      ).location.headings,
    ).toEqual(['Vehicles']);
    expect(top('ods', 'stock.ods', 'Row 2: Item: Brass hinges; Shelf: B4; Count: 340').location.headings).toEqual([
      'Inventory',
    ]);
    top('csv', 'members.csv', 'Instrument: oboe, English horn');
    top('tsv', 'rainfall.tsv', 'Station: Cardiff; Month: January; Rainfall (mm): 141');
    expect(top('epub', 'guide.epub', 'partnership of a fungus').location.headings).toEqual(['Chapter 2: Lichens']);
    expect(top('odt', 'minutes.odt', 'boathouse in green').location.headings).toEqual(['Decisions']);
    expect(top('rtf', 'memo.rtf', 'third floor').location.headings).toEqual(['Office move']);

    // The OCR engine's files (worker, core, English model: 6–7 MB) were fetched once, with their
    // size and progress; pages were counted.
    const download = result.progress.filter((p) => p.stage === 'ocr-download');
    expect(download.length).toBeGreaterThan(2);
    expect(download.at(-1)!.done).toBe(download.at(-1)!.total);
    expect(download.at(-1)!.total).toBeGreaterThan(6_000_000);
    expect(new Set(download.map((p) => p.file)).size).toBe(1); // only the first file that needed OCR
    expect(
      result.progress
        .filter((p) => p.file === 'mixed.pdf' && p.stage === 'recognising')
        .map((p) => `${p.done}/${p.total}`),
    ).toEqual(['0/1', '1/1']);
    expect(result.integrity.problems).toEqual([]);

    // Code, wasm and language data all came from the app itself: no CDN, nothing else.
    const origin = new URL(baseUrl()).origin;
    expect(h.requests.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:'))).toEqual(
      [],
    );
    expect(h.requests.filter((u) => /tessdata-[^/]+\/eng\.traineddata\.gz$/.test(u)).length).toBeGreaterThan(0);
    expect(h.requests.some((u) => /\/assets\/ocr-tesseract-core/.test(u))).toBe(true);
    expect(h.errors).toEqual([]);
    await h.context.close();
  });

  test('bad images and locked files are named outcomes; a 500-page scan shows page progress and stops on Cancel; nothing half-stored', async () => {
    const officeCrypto = (await import('officecrypto-tool')).default as {
      encrypt(input: Buffer, opts: { password: string }): Buffer;
    };
    const page = await pageImage(
      ['Page of a very long scanned ledger.', 'Entry: the ferry crossed the estuary at dawn.'],
      { dpi: 150, format: 'jpeg' },
    );
    const bad = [
      { name: 'bomb.png', data: b64(pixelBombPng()) },
      { name: 'scrambled.png', data: b64(corruptPng(await pageImage(['Some text to scramble.'], { dpi: 100 }))) },
      { name: 'blank.png', data: b64(await blankPng()) },
      {
        name: 'locked.xlsx',
        data: b64(new Uint8Array(officeCrypto.encrypt(Buffer.from(FORMAT_FILES['fleet.xlsx']), { password: 'folio' }))),
      },
      { name: 'deck.pptx', data: b64(FORMAT_FILES['deck.pptx']) },
    ];
    const long = [
      { name: 'ledger.pdf', data: b64(imagePdf([page], { repeat: 500 })) },
      { name: 'memo.rtf', data: b64(FORMAT_FILES['memo.rtf']) },
    ];
    const h = await openHarness(browser());
    await h.page.evaluate(declareFiles);
    const result = await h.page.evaluate(
      async ({ bad, long, opts }) => {
        const w = window as unknown as { toFiles: (l: typeof bad) => File[] };
        const lib = await window.folio.openLibraryInWorker({ ...opts, name: 'ocr-bad' });
        const badOut = window.folio.summarize(await lib.addFiles(w.toFiles(bad)));
        const pages: string[] = [];
        const longOut = window.folio.summarize(
          await lib.addFiles(w.toFiles(long), (p) => {
            if (p.file !== 'ledger.pdf' || p.stage !== 'recognising') return;
            pages.push(`${p.done}/${p.total}`);
            if (p.done === 3) void lib.cancelAdding();
          }),
        );
        const docs = (await lib.listDocuments()).map((d) => d.name);
        const integrity = await lib.checkIntegrity();
        await lib.close();
        return { badOut, longOut, pages, docs, integrity };
      },
      { bad, long, opts: WASM },
    );
    expect(result.badOut.map((o) => [o.file, o.status, o.code])).toEqual([
      ['bomb.png', 'failed', 'image-too-large'],
      ['scrambled.png', 'failed', 'corrupt-file'],
      ['blank.png', 'failed', 'no-text'],
      ['locked.xlsx', 'failed', 'encrypted-file'],
      ['deck.pptx', 'added', undefined],
    ]);
    for (const o of result.badOut.filter((x) => x.status === 'failed'))
      expect(o.message!.startsWith(`${o.file}: `)).toBe(true);
    expect(result.pages.slice(0, 4)).toEqual(['0/500', '1/500', '2/500', '3/500']);
    expect(result.pages.length).toBeLessThan(8); // stopped within a page or two of Cancel
    expect(result.longOut.map((o) => [o.file, o.status, o.code])).toEqual([
      ['ledger.pdf', 'failed', 'cancelled'],
      ['memo.rtf', 'failed', 'cancelled'],
    ]);
    expect(result.docs).toEqual(['deck.pptx']);
    expect(result.integrity.problems).toEqual([]);
    expect(h.errors).toEqual([]);
    await h.context.close();
  });
});

describe('a scan whose pages cannot be recognised', () => {
  test('the OCR engine cannot start (its files blocked): the scan fails by name and reason, the other file is added, nothing of the scan stored', async () => {
    const pages = await Promise.all(
      [SCAN, MIXED_SCAN, PNG].map((lines) => pageImage(lines, { dpi: 150, format: 'jpeg' })),
    );
    const input = [
      { name: 'three-pages.pdf', data: b64(imagePdf(pages)) },
      { name: 'memo.rtf', data: b64(FORMAT_FILES['memo.rtf']) },
    ];
    const h = await openHarness(browser());
    // Every worker of the pool asks for the engine's core; none gets it.
    await h.context.route(/\/assets\/ocr-tesseract-core/, (route) => route.abort());
    await h.page.evaluate(declareFiles);
    const result = await h.page.evaluate(
      async ({ input, opts }) => {
        const w = window as unknown as { toFiles: (l: typeof input) => File[] };
        const lib = await window.folio.openLibraryInWorker({ ...opts, name: 'ocr-fails' });
        const out = window.folio.summarize(await lib.addFiles(w.toFiles(input)));
        const docs = (await lib.listDocuments()).map((d) => d.name);
        const integrity = await lib.checkIntegrity();
        await lib.close();
        return { out, docs, integrity };
      },
      { input, opts: WASM },
    );
    expect(result.out.map((o) => [o.file, o.status, o.code])).toEqual([
      ['three-pages.pdf', 'failed', 'ocr-failed'],
      ['memo.rtf', 'added', undefined],
    ]);
    expect(result.out[0]!.message).toMatch(/^three-pages\.pdf: the text-recognition engine could not be started/);
    expect(result.docs).toEqual(['memo.rtf']);
    expect(result.integrity.problems).toEqual([]);
    await h.context.close();
  });
});
