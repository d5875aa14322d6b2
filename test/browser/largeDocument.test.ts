import { expect, test } from 'vitest';
import { pagesPdf } from '../../scripts/lib/pdf';
import {
  addFiles,
  ask,
  documentRow,
  longTaskSummary,
  newRecordedPage,
  openApp,
  sourcePanel,
  sourcesOf,
  useBrowser,
  watchLongTasks,
} from './chromium';

const browser = useBrowser({ webgpu: false });

const HARBOURS = [
  'Antwerp',
  'Bergen',
  'Cadiz',
  'Danzig',
  'Esbjerg',
  'Flushing',
  'Genoa',
  'Hull',
  'Izmir',
  'Kiel',
  'Lisbon',
];
const GOODS = [
  'salt cod',
  'linen',
  'tar',
  'copper',
  'wine',
  'wool',
  'timber',
  'hemp',
  'pepper',
  'tallow',
  'iron',
  'flax',
];

test('a 1,000-page PDF is indexed whole in the worker, every page findable and cited by its page number, the page responsive', async () => {
  // Sparse pages (two lines each), so the embedding stays a minute on this machine while pdf.js
  // still walks a thousand pages: page count, not text volume, is what this file stresses.
  const pages = Array.from({ length: 1000 }, (_, i) => {
    const n = i + 1;
    return [
      `Harbour ledger, folio ${n}.`,
      `Consignment ${n} sailed for ${HARBOURS[n % 11]} carrying ${(n % 40) + 2} barrels of ${GOODS[n % 12]}.`,
    ];
  });
  const { context, page, errors } = await newRecordedPage(browser());
  await openApp(page);
  await addFiles(page, [{ name: 'ledger.pdf', mimeType: 'application/pdf', buffer: Buffer.from(pagesPdf(pages)) }]);
  // Measured from here: handing the file to the page is Playwright's own main-thread work.
  await page.evaluate(watchLongTasks);
  const row = documentRow(page, 'ledger.pdf');
  await row.waitFor({ timeout: 300_000 });
  expect(await row.textContent()).toContain('1,000 pages');

  // Page 777's line, asked for by its number: the cited passage holds it, with a page range around 777.
  const turn = await ask(page, 'Where did consignment 777 sail for, and with what?');
  const source = (await sourcesOf(turn).first().textContent()) ?? '';
  expect(source).toContain('Consignment 777 sailed for Hull carrying 19 barrels of tallow.');
  const [, from, to] = source.match(/p\. (\d+)(?:–(\d+))?/) ?? [];
  expect(Number(from)).toBeLessThanOrEqual(777);
  expect(Number(to ?? from)).toBeGreaterThanOrEqual(777);
  console.log(`1,000-page PDF: ${await longTaskSummary(page)}`);
  // The citation opens on the page that holds the answering sentence, not the passage's first page.
  await turn.getByRole('button', { name: 'Source 1' }).first().click();
  const panel = sourcePanel(page);
  await panel
    .getByRole('figure', { name: 'Page 777' })
    .locator('.pdf-highlight.strong')
    .first()
    .waitFor({ timeout: 60_000 });
  expect(errors).toEqual([]);
  await context.close();
});
