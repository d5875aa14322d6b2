import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { FIXTURES_DIR } from '../../scripts/lib/paths';
import { brokenXref, encryptedPdf, randomBytes, truncated } from '../../scripts/lib/pdf';
import { zipBombDocx } from '../../scripts/lib/zip';
import {
  addFiles,
  ask,
  documentList,
  documentNames,
  longTaskSummary,
  newRecordedPage,
  openApp,
  sourcesOf,
  storageMeter,
  useBrowser,
  waitForDocuments,
  watchLongTasks,
} from './chromium';

const browser = useBrowser({ webgpu: false });

const pdf = fs.readFileSync(path.join(FIXTURES_DIR, 'pdf/multi_page.pdf'));
const docx = fs.readFileSync(path.join(FIXTURES_DIR, 'docx/word_sample.docx'));
const utf16 = Buffer.concat([
  Buffer.from([0xff, 0xfe]),
  Buffer.from('Die Ökonomie der Gezeiten: Flut und Ebbe wechseln zweimal täglich.', 'utf16le'),
]);
// "café crème" and curly quotes in Windows-1252, as old Windows editors save text.
const latin1 = Buffer.from([
  ...Buffer.from('The caf', 'latin1'),
  0xe9,
  ...Buffer.from(' served cr', 'latin1'),
  0xe8,
  ...Buffer.from('me br', 'latin1'),
  0xfb,
  0x6c,
  0xe9,
  0x65,
  0x20,
  0x93,
  0x74,
  0x6f,
  0x20,
  0x67,
  0x6f,
  0x94,
  0x2e,
]);

const file = (name: string, data: Uint8Array) => ({
  name,
  mimeType: 'application/octet-stream',
  buffer: Buffer.from(data),
});

test('a batch of broken files: each one named with its reason, the readable ones added, the app usable throughout', async () => {
  const { context, page, errors } = await newRecordedPage(browser());
  await openApp(page);
  await addFiles(page, [
    file('cut-off.pdf', truncated(pdf)),
    file('broken-xref.pdf', brokenXref(pdf)),
    file('locked.pdf', encryptedPdf()),
    file('empty.txt', new Uint8Array(0)),
    file('noise.txt', randomBytes(50_000)),
    file('tides-utf16.txt', utf16),
    file('cafe-latin1.txt', latin1),
    file('bomb.docx', zipBombDocx(300 * 2 ** 20)),
    file('not-a-zip.docx', new TextEncoder().encode('PK but not a zip at all')),
    file('word_sample.docx', docx),
    file('word_sample.docx', docx),
    // 10 MB without a line break: ~30,000 passages, parsed and split here, then cancelled (their
    // embedding would take most of an hour on this 2-core machine; the split itself is checked
    // piece by piece in test/node/chunker.test.ts).
    file(
      'one-line.txt',
      new TextEncoder().encode(
        Array.from({ length: 2_000_000 }, (_, i) => `w${i % 9973}`)
          .join(' ')
          .slice(0, 10 * 2 ** 20)
          .trimEnd(),
      ),
    ),
  ]);
  // Measured from here: handing the test's files to the page is Playwright's own main-thread work.
  await page.evaluate(watchLongTasks);
  // The page keeps answering input while the batch is worked through.
  const box = page.getByLabel('Ask a question');
  await box.fill('typed while indexing');
  expect(await box.inputValue()).toBe('typed while indexing');
  await waitForDocuments(page, 4);
  // The others are done while the long one is split and embedded; it can be cancelled.
  const longOne = page.getByRole('list', { name: 'Adding' }).locator('li', { hasText: 'one-line.txt' });
  await longOne.getByText(/Embedding [\d,]+ of \d{2},\d{3} passages/).waitFor({ timeout: 240_000 });
  await page.getByRole('button', { name: 'Cancel adding' }).click();
  await page.getByRole('list', { name: 'Adding' }).waitFor({ state: 'detached', timeout: 120_000 });

  const alerts = await page.getByRole('list', { name: 'Files not added' }).getByRole('alert').allTextContents();
  const reasonFor = (name: string) => alerts.filter((a) => a.startsWith(`${name}: `));
  expect(reasonFor('cut-off.pdf')).toEqual([expect.stringMatching(/incomplete|damaged/)]);
  expect(reasonFor('locked.pdf')).toEqual([expect.stringMatching(/password/)]);
  expect(reasonFor('empty.txt')).toEqual([expect.stringMatching(/empty/)]);
  expect(reasonFor('noise.txt')).toEqual([expect.stringMatching(/binary/)]);
  expect(reasonFor('bomb.docx')).toEqual([expect.stringMatching(/ZIP bomb/)]);
  expect(reasonFor('not-a-zip.docx')).toEqual([expect.stringMatching(/not a valid Word document/)]);
  expect(reasonFor('word_sample.docx')).toEqual([expect.stringMatching(/already in your library/)]);
  expect(reasonFor('one-line.txt')).toEqual(['one-line.txt: adding it was cancelled; nothing of it was saved']);
  expect(alerts.length).toBe(8);
  // Stopping a file is the person's own choice: said as news, not as a fault.
  const stopped = page.getByRole('listitem').filter({ hasText: 'one-line.txt: adding it was cancelled' });
  expect(await stopped.getAttribute('class')).toContain('outcome-info');
  const names = await documentNames(page);
  expect(names.sort()).toEqual(['broken-xref.pdf', 'cafe-latin1.txt', 'tides-utf16.txt', 'word_sample.docx']);

  // The re-encoded texts are searchable by their real words.
  for (const [question, expected] of [
    ['Wie oft wechseln Flut und Ebbe?', 'zweimal täglich'],
    ['What did the café serve?', 'crème brûlée “to go”'],
  ] as const) {
    const turn = await ask(page, question);
    expect(await sourcesOf(turn).first().textContent()).toContain(expected);
  }
  console.log(`broken batch: ${await longTaskSummary(page)}`);
  expect(errors).toEqual([]);
  await context.close();
});

test('a folder of 1,000 files dropped at once is indexed in full, with progress, and the page keeps working', async () => {
  const { context, page, errors } = await newRecordedPage(browser());
  await openApp(page);
  await storageMeter(page).waitFor({ timeout: 120_000 });
  // The files are made first; what is measured is the app's side: the drop, indexing, listing.
  await page.evaluate(() => {
    const data = new DataTransfer();
    for (let i = 0; i < 1000; i++)
      data.items.add(
        new File(
          [`Note ${i}: the reading room of hall ${i} opens at ${(i % 12) + 1} o'clock for ticket holders.`],
          `note-${String(i).padStart(4, '0')}.txt`,
          { type: 'text/plain' },
        ),
      );
    (window as unknown as { folder: DataTransfer }).folder = data;
  });
  await page.evaluate(watchLongTasks);
  await page.evaluate(() => {
    const data = (window as unknown as { folder: DataTransfer }).folder;
    window.dispatchEvent(new DragEvent('dragenter', { dataTransfer: data, bubbles: true }));
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  });
  // A summary instead of a thousand rows.
  await page.getByText(/of 1,000 files done/).waitFor({ timeout: 60_000 });
  expect(await page.getByRole('list', { name: 'Adding' }).locator('li').count()).toBeLessThanOrEqual(8);
  const box = page.getByLabel('Ask a question');
  await box.fill('still typing');
  expect(await box.inputValue()).toBe('still typing');
  // The library lists all of them: the first hundred at once, any one by name.
  await page.getByText('1,000 of 1,000').waitFor({ timeout: 280_000 });
  expect(await documentList(page).getByRole('listitem').count()).toBe(100);
  await page.getByLabel('Find a document').fill('note-0999');
  await expect.poll(() => documentNames(page)).toEqual(['note-0999.txt']);
  const turn = await ask(page, 'When does the reading room of hall 517 open?');
  expect(await sourcesOf(turn).locator('cite').first().textContent()).toBe('note-0517.txt');
  console.log(`1,000-file drop: ${await longTaskSummary(page)}`);
  expect(errors).toEqual([]);
  await context.close();
});
