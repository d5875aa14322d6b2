import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AddOutcome, IndexProgress, SearchHit } from '../../src/core';
import { closeOcr } from '../../src/core/ocr';
import { freshLibrary, fixture } from '../../scripts/lib/library';
import { imagePdf, lineBand, pageImage } from '../../scripts/lib/ocr';
import { FIXTURE_FILES } from '../../scripts/lib/paths';

// Each file carries sentences no other file has, so a search hit names its file unambiguously.
const SCAN = [
  'Quarterly Report',
  'The warehouse in Leeds shipped 4,210 crates of marmalade in March.',
  'Delivery vans were serviced every six weeks by the fleet team.',
];
const MIXED_TEXT = [
  'This first page has a real text layer about harbour pilots.',
  'Pilots board incoming ships two miles offshore.',
];
const MIXED_SCAN = ['Second page, scanned.', 'The lighthouse keeper logged nineteen storms during the winter of 1887.'];
const PNG = ['Screenshot of a receipt', 'Total paid for the walnut bookcase was 349 pounds and 20 pence.'];
const JPEG = ['Photo of a notice board', 'The choir rehearses on Thursday evenings in the old chapel.'];

let files: { name: string; data: Uint8Array }[];
beforeAll(async () => {
  files = [
    { name: 'scan.pdf', data: imagePdf([await pageImage(SCAN, { dpi: 200, format: 'jpeg' })]) },
    { name: 'mixed.pdf', data: imagePdf([MIXED_TEXT, await pageImage(MIXED_SCAN, { dpi: 200, format: 'jpeg' })]) },
    { name: 'receipt.png', data: await pageImage(PNG, { dpi: 150 }) },
    { name: 'notice.jpg', data: await pageImage(JPEG, { dpi: 150, format: 'jpeg', quality: 80 }) },
  ];
});
afterAll(() => closeOcr());

/** The hit's boxes include one that stands on `line` of the rendered page: inside its band, starting at the left margin. */
function expectLineBoxed(hit: SearchHit, page: number, line: number) {
  const band = lineBand(line);
  const boxes = hit.location.boxes ?? [];
  const box = boxes.find((b) => b.page === page && b.y + b.h / 2 > band.top && b.y + b.h / 2 < band.bottom);
  expect(
    box,
    `a box on page ${page} in line ${line}'s band ${JSON.stringify(band)}; got ${JSON.stringify(boxes)}`,
  ).toBeDefined();
  expect(Math.abs(box!.x - band.left)).toBeLessThan(0.02);
  expect(box!.w).toBeGreaterThan(0.2);
  // The box covers the line's height, not the page.
  expect(box!.y).toBeLessThanOrEqual(band.top + 0.005);
  expect(box!.y + box!.h).toBeGreaterThanOrEqual(band.bottom - 0.01);
  expect(box!.h).toBeLessThan(0.04);
}

describe('OCR: scans and images are read, and citations box the line on the page', () => {
  test('an image-only PDF, a mixed PDF, a PNG and a JPEG: each sentence is found, with its page and line boxes', async () => {
    const lib = await freshLibrary();
    const stages: IndexProgress[] = [];
    try {
      const out = await lib.addFiles(files, (p) => stages.push(p));
      expect(out.map((o) => [o.file, o.status])).toEqual(files.map((f) => [f.name, 'added']));
      const docs = await lib.listDocuments();
      // Stored smallest file first (fair indexing), so compared by name.
      expect(docs.map((d) => [d.name, d.type, d.pageCount]).sort()).toEqual([
        ['mixed.pdf', 'pdf', 2],
        ['notice.jpg', 'image', 1],
        ['receipt.png', 'image', 1],
        ['scan.pdf', 'pdf', 1],
      ]);

      const find = async (q: string, doc: string) => {
        const hits = await lib.search(q, { k: 3 });
        const hit = hits.find((h) => h.docName === doc);
        expect(hit, `${doc} among ${hits.map((h) => h.docName)}`).toBeDefined();
        expect(hits[0]!.docName).toBe(doc);
        return hit!;
      };
      const scan = await find('How many crates of marmalade did the Leeds warehouse ship?', 'scan.pdf');
      expect(scan.text).toContain('4,210 crates of marmalade');
      expect(scan.location.page).toBe(1);
      expectLineBoxed(scan, 1, 1);

      const mixedScan = await find('How many storms did the lighthouse keeper log?', 'mixed.pdf');
      expect(mixedScan.text).toContain('nineteen storms');
      expect(mixedScan.location.page ?? mixedScan.location.pageEnd).toBeDefined();
      expectLineBoxed(mixedScan, 2, 1);
      // The text-layer page is read from its text layer: no boxes, exact text.
      const mixedText = await find('Where do pilots board incoming ships?', 'mixed.pdf');
      expect(mixedText.text).toContain('Pilots board incoming ships two miles offshore.');
      expect(mixedText.location.page).toBe(1);

      const png = await find('What did the walnut bookcase cost?', 'receipt.png');
      expect(png.text).toContain('walnut bookcase was 349 pounds');
      expect(png.location.page).toBe(1);
      expectLineBoxed(png, 1, 1);

      const jpeg = await find('When does the choir rehearse?', 'notice.jpg');
      expect(jpeg.text).toContain('rehearses on Thursday evenings');
      expectLineBoxed(jpeg, 1, 1);

      // Page progress while recognising: page n of m, ending at m of m.
      const scanProgress = stages.filter((p) => p.file === 'scan.pdf' && p.stage === 'recognising');
      expect(scanProgress.at(-1)).toMatchObject({ done: 1, total: 1 });
      const mixedProgress = stages.filter((p) => p.file === 'mixed.pdf' && p.stage === 'recognising');
      expect(mixedProgress.map((p) => `${p.done}/${p.total}`)).toEqual(['0/1', '1/1']); // only the page without a text layer
      expect((await lib.checkIntegrity()).problems).toEqual([]);
    } finally {
      lib.close();
    }
  });

  test('a 500-page scan: page progress, Cancel mid-document, nothing stored, memory bounded (pages streamed)', async () => {
    const page = await pageImage(
      ['Page of a very long scanned ledger.', 'Entry: the ferry crossed the estuary at dawn.'],
      { dpi: 150, format: 'jpeg' },
    );
    const long = imagePdf([page], { repeat: 500 });
    const lib = await freshLibrary();
    const controller = new AbortController();
    const progress: string[] = [];
    const rss: number[] = [];
    // The node project runs with --expose-gc (vite.config.ts); without it the reading is noise.
    const gc = globalThis.gc;
    if (!gc) throw new Error('run with --expose-gc: the memory reading needs a collection before it');
    try {
      await lib.addFiles([fixture(FIXTURE_FILES.markdown)]);
      const out = await lib.addFiles(
        [fixture(FIXTURE_FILES.docx), { name: 'ledger.pdf', data: long }, fixture(FIXTURE_FILES.text)],
        (p) => {
          if (p.file !== 'ledger.pdf' || p.stage !== 'recognising') return;
          progress.push(`${p.done}/${p.total}`);
          gc();
          rss.push(process.memoryUsage().rss);
          if (p.done === 40) controller.abort();
        },
        { signal: controller.signal },
      );
      expect(out.map((o: AddOutcome) => [o.file, o.status, o.status === 'failed' ? o.error.code : undefined])).toEqual([
        // The docx shared its embedding window with the scan, so it was not stored yet either.
        ['word_sample.docx', 'failed', 'cancelled'],
        ['ledger.pdf', 'failed', 'cancelled'],
        ['war-and-peace-1p.txt', 'failed', 'cancelled'],
      ]);
      expect(progress.slice(0, 3)).toEqual(['0/500', '1/500', '2/500']);
      expect(progress.at(-1)).toBe('40/500');
      expect((await lib.listDocuments()).map((d) => d.name)).toEqual(['wiki-ibm.md']);
      expect((await lib.checkIntegrity()).problems).toEqual([]);
      // Pages are drawn one at a time and let go. The resident size climbs over the first pages
      // (the recogniser's heap and the allocator reach their high-water marks) and then stays:
      // from pages 10-14 to pages 36-40 it moves by a few tens of MB, where 26 kept page images
      // would add about 390 MB (each is 15 MB of RGBA, drawn at 200 dpi). Medians of five readings, because
      // one reading swings by 30 MB with the allocator.
      const mb = (from: number, to: number) => median(rss.slice(from, to + 1)) / 2 ** 20;
      const growth = mb(36, 40) - mb(10, 14);
      console.log(
        `500-page scan: resident memory ${Math.round(mb(10, 14))} MB at pages 10-14, ${Math.round(mb(36, 40))} MB at pages 36-40 (${rss.map((r) => Math.round(r / 2 ** 20)).join(' ')})`,
      );
      expect(growth).toBeLessThan(90);
    } finally {
      lib.close();
    }
  });
});

describe('every image format Folio decodes is read', () => {
  test.each(['png', 'jpeg', 'webp', 'gif', 'bmp', 'tiff'] as const)('%s', async (format) => {
    const { parseBytes } = await import('../../src/core');
    const bytes = await pageImage(
      ['Format check', `This page was saved as ${format.toUpperCase()} for the decoder test.`],
      { dpi: 120, format },
    );
    const doc = await parseBytes(bytes, `page.${format}`);
    expect(doc.type).toBe('image');
    expect(doc.text.replace(/\s+/g, ' ')).toContain(
      `This page was saved as ${format.toUpperCase()} for the decoder test.`,
    );
    expect(doc.blocks.at(-1)!.boxes![0]).toMatchObject({ page: 1 });
  });
});

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
