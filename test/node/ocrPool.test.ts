import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseBytes } from '../../src/core';
import { closeOcr, ocrPoolStats, setOcrWorkers } from '../../src/core/ocr';
import { fixture, freshLibrary } from '../../scripts/lib/library';
import { imagePdf, pageImage } from '../../scripts/lib/ocr';
import { FIXTURE_FILES } from '../../scripts/lib/paths';

// A full first page and short ones after it: with two workers the short pages finish while the
// first is still being read, so the document is only in order if the pool puts it back in order.
const FIRST = [
  'Page one of the harbour log.',
  ...Array.from(
    { length: 30 },
    (_, i) => `Line ${i + 1}: the tide rose over the harbour wall and the pilot boat waited.`,
  ),
];
const SHORT = [
  ['Page two.', 'The cormorant dried its wings on the jetty.'],
  ['Page three.', 'Fishermen mended nets beside the lifeboat station.'],
  ['Page four.', 'A lighthouse keeper wound the clockwork at dusk.'],
  ['Page five.', 'The ferry to the island sailed twice a day in summer.'],
];

let scan: Uint8Array;
let ledger: Uint8Array;
beforeAll(async () => {
  const pages = await Promise.all([FIRST, ...SHORT].map((p) => pageImage(p, { dpi: 150, format: 'jpeg' })));
  scan = imagePdf(pages);
  ledger = imagePdf(
    [await pageImage(['A long ledger.', 'Entry: the ferry crossed at dawn.'], { dpi: 150, format: 'jpeg' })],
    {
      repeat: 40,
    },
  );
  // Two workers whatever the machine has, so the test means the same everywhere.
  setOcrWorkers(2);
});
afterAll(async () => {
  setOcrWorkers(undefined);
  await closeOcr();
});

describe('the OCR pool', () => {
  test('pages are read two at a time and come back in page order; progress counts finished pages', async () => {
    const progress: string[] = [];
    let mostBusy = 0;
    const doc = await parseBytes(scan, 'harbour.pdf', {
      onProgress: (stage, done, total) => {
        if (stage !== 'recognising') return;
        progress.push(`${done}/${total}`);
        mostBusy = Math.max(mostBusy, ocrPoolStats().busy);
      },
    });
    expect(progress).toEqual(['0/5', '1/5', '2/5', '3/5', '4/5', '5/5']);
    // A second worker starts only when a page waits while the first is busy: both read pages.
    expect(ocrPoolStats()).toEqual({ workers: 2, busy: 0, waiting: 0 });
    expect(mostBusy).toBe(2);
    const text = doc.text.replace(/\s+/g, ' ');
    const at = ['Page one', 'Line 30: the tide', 'Page two', 'cormorant', 'Page three', 'Page four', 'Page five'].map(
      (s) => text.indexOf(s),
    );
    expect(at.every((p) => p >= 0)).toBe(true);
    expect(at).toEqual([...at].sort((a, b) => a - b));
    const pages = doc.blocks.map((b) => b.boxes?.[0]?.page ?? 0);
    expect(pages).toEqual([...pages].sort((a, b) => a - b));
    expect(new Set(pages)).toEqual(new Set([1, 2, 3, 4, 5]));
  });

  test('Cancel stops at once: no page reported after it, no worker left reading, none waiting', async () => {
    const controller = new AbortController();
    const progress: string[] = [];
    const out = parseBytes(ledger, 'ledger.pdf', {
      signal: controller.signal,
      onProgress: (stage, done, total) => {
        if (stage !== 'recognising') return;
        progress.push(`${done}/${total}`);
        if (done === 2) controller.abort();
      },
    });
    await expect(out).rejects.toMatchObject({ name: 'AbortError' });
    expect(progress).toEqual(['0/40', '1/40', '2/40']);
    // The workers reading pages 3 and 4 were ended, not left to finish them.
    const stats = ocrPoolStats();
    expect(stats.busy).toBe(0);
    expect(stats.waiting).toBe(0);
    expect(stats.workers).toBeLessThan(2);
    // The pool serves the next document as before.
    const again = await parseBytes(scan, 'harbour.pdf');
    expect(again.text).toContain('ferry to the island');
  });

  test('indexing reads, parses and recognises the next file while this one is embedded; each is stored in turn', async () => {
    // Over 1 MB, so the files before it are embedded and stored before it is (fair indexing).
    const big = imagePdf(
      await Promise.all([FIRST, FIRST, FIRST].map((p) => pageImage(p, { dpi: 300, format: 'jpeg', quality: 95 }))),
    );
    expect(big.byteLength).toBeGreaterThan(1024 * 1024);
    const lib = await freshLibrary();
    const events: string[] = [];
    try {
      const out = await lib.addFiles([{ name: 'harbour-scan.pdf', data: big }, fixture(FIXTURE_FILES.text)], (p) =>
        events.push(`${p.file} ${p.stage}`),
      );
      expect(out.map((o) => o.status)).toEqual(['added', 'added']);
      const text = FIXTURE_FILES.text.split('/').pop()!;
      const first = (e: string) => events.indexOf(e);
      // The scan's reading and OCR began before the text file's embedding, which finished first.
      expect(first('harbour-scan.pdf reading')).toBeLessThan(first(`${text} embedding`));
      expect(first('harbour-scan.pdf recognising')).toBeLessThan(first(`${text} done`));
      expect(first(`${text} done`)).toBeLessThan(first('harbour-scan.pdf embedding'));
      expect((await lib.search('When did the pilot boat wait?', { k: 1 }))[0]!.docName).toBe('harbour-scan.pdf');
    } finally {
      lib.close();
    }
  });
});
