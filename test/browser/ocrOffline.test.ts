import { beforeAll, expect, test } from 'vitest';
import { pageImage } from '../../scripts/lib/ocr';
import { addFiles, baseUrl, documentRow, newRecordedPage, storageMeter, useBrowser } from './chromium';

const browser = useBrowser({ webgpu: false });

let first: Buffer;
let second: Buffer;
beforeAll(async () => {
  first = Buffer.from(
    await pageImage(['Online visit', 'The bakery on Mill Lane sells rye loaves on Fridays.'], { dpi: 120 }),
  );
  second = Buffer.from(
    await pageImage(['Offline visit', 'The ferry timetable changes on the first Sunday of April.'], { dpi: 120 }),
  );
});

test('the OCR engine is fetched when first needed, then kept: an image is read with the network cut', async () => {
  const { context, page, errors, requests } = await newRecordedPage(browser());
  await page.goto(baseUrl());
  await page.getByRole('button', { name: 'Download and start' }).click();
  await page.getByText('Folio now works offline.').waitFor({ timeout: 120_000 });
  await storageMeter(page).waitFor({ timeout: 120_000 });
  // Not part of the first visit: nothing of the OCR engine was fetched before an image was added.
  expect(requests.filter((u) => /\/assets\/(ocr-|tessdata-)/.test(u))).toEqual([]);

  await addFiles(page, { name: 'bakery.png', mimeType: 'image/png', buffer: first });
  await documentRow(page, 'bakery.png').waitFor({ timeout: 180_000 });
  expect(requests.some((u) => /\/assets\/tessdata-[^/]+\/eng\.traineddata\.gz$/.test(u))).toBe(true);

  await context.setOffline(true);
  const failed: string[] = [];
  // What the reload itself cuts short (an idle prefetch of the old page, net::ERR_ABORTED) is not the
  // network failing; anything else is, with why.
  context.on('requestfailed', (r) => {
    const why = r.failure()?.errorText ?? '';
    if (why !== 'net::ERR_ABORTED') failed.push(`${r.url()} ${why}`);
  });
  await page.reload();
  await page.getByRole('heading', { name: 'New conversation' }).waitFor();
  await documentRow(page, 'bakery.png').waitFor({ timeout: 120_000 });
  await addFiles(page, { name: 'ferry.png', mimeType: 'image/png', buffer: second });
  await documentRow(page, 'ferry.png').waitFor({ timeout: 180_000 });
  expect(failed).toEqual([]);
  expect(errors).toEqual([]);
  await context.close();
});
