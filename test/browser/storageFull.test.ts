import path from 'node:path';
import { expect, test } from 'vitest';
import { FIXTURES_DIR, FIXTURE_FILES } from '../../scripts/lib/paths';
import { paddedPdf } from '../../scripts/lib/pdf';
import {
  addFiles,
  ask,
  baseUrl,
  documentNames,
  documentRow,
  libraryIntegrity,
  newRecordedPage,
  sourcesOf,
  useBrowser,
} from './chromium';

const browser = useBrowser({ webgpu: false });

test('storage full: the file is refused with a clear message, nothing of it is stored, the library stays intact and usable', async () => {
  const { context, page, errors } = await newRecordedPage(browser());
  // The origin's quota, lowered through the DevTools protocol as the page opens: 20 MB for what
  // the library stores in IndexedDB. (Measured here: Chromium enforces an override from the start
  // of a session, against IndexedDB writes; Cache Storage — models, app files — is not what fills
  // it, and estimate() keeps reporting the real quota.)
  await page.goto(baseUrl());
  const origin = new URL(baseUrl()).origin;
  const cdp = await context.newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 20 * 2 ** 20 });
  await page.getByRole('button', { name: 'Download and start' }).click();
  await addFiles(page, path.join(FIXTURES_DIR, FIXTURE_FILES.markdown));
  await documentRow(page, 'wiki-ibm.md').waitFor({ timeout: 120_000 });
  const before = await libraryIntegrity(context);
  expect(before.problems).toEqual([]);

  // A 30 MB PDF (one sentence of text and a large unused stream) does not fit.
  const big = {
    name: 'atlas.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from(paddedPdf('The atlas shows every lighthouse on the northern coast.', 30 * 2 ** 20)),
  };
  await addFiles(page, big);
  const alert = page.getByRole('alert').filter({ hasText: 'atlas.pdf' });
  await alert.waitFor({ timeout: 120_000 });
  expect(await alert.textContent()).toMatch(/^atlas\.pdf: there is not enough storage space left/);
  expect(await documentNames(page)).toEqual(['wiki-ibm.md']);
  expect(await libraryIntegrity(context)).toEqual(before);

  // What was there still answers questions.
  const turn = await ask(page, 'Which company is nicknamed Big Blue?');
  expect(await sourcesOf(turn).locator('cite').first().textContent()).toBe('wiki-ibm.md');
  // A smaller file still fits.
  await addFiles(page, path.join(FIXTURES_DIR, FIXTURE_FILES.pdf));
  await documentRow(page, 'multi_page.pdf').waitFor({ timeout: 120_000 });
  const after = await libraryIntegrity(context);
  expect(after.names).toEqual(['multi_page.pdf', 'wiki-ibm.md']);
  expect(after.problems).toEqual([]);
  expect(errors.filter((e) => !/QuotaExceeded|quota/i.test(e))).toEqual([]);
  await context.close();
});
