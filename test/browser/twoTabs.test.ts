import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { FIXTURES_DIR, FIXTURE_FILES } from '../../scripts/lib/paths';
import {
  addFiles,
  ask,
  baseUrl,
  documentNames,
  libraryIntegrity,
  newRecordedPage,
  removeDocument,
  sourcesOf,
  storageMeter,
  useBrowser,
} from './chromium';

const browser = useBrowser({ webgpu: false });

const listed = (page: Page) => documentNames(page).then((n) => n.sort());

test('two tabs: what one adds or deletes shows up in the other, adding in both at once corrupts nothing, and a schema upgrade in a third is handled', async () => {
  const { context, page: a, errors } = await newRecordedPage(browser());
  await a.goto(baseUrl());
  await a.getByRole('button', { name: 'Download and start' }).click();
  await storageMeter(a).waitFor({ timeout: 120_000 });
  const b = await context.newPage();
  await b.goto(baseUrl()); // same profile: no first-run screen again
  await storageMeter(b).waitFor({ timeout: 120_000 });

  await addFiles(a, path.join(FIXTURES_DIR, FIXTURE_FILES.markdown));
  await expect.poll(() => listed(b), { timeout: 60_000 }).toEqual(['wiki-ibm.md']);
  // The other tab's search sees it too (its worker reloaded the index).
  const turn = await ask(b, 'Which company is nicknamed Big Blue?');
  expect(await sourcesOf(turn).locator('cite').first().textContent()).toBe('wiki-ibm.md');

  // Both tabs add at the same moment.
  await Promise.all([
    addFiles(a, [path.join(FIXTURES_DIR, FIXTURE_FILES.pdf), path.join(FIXTURES_DIR, FIXTURE_FILES.text)]),
    addFiles(b, [path.join(FIXTURES_DIR, FIXTURE_FILES.docx), path.join(FIXTURES_DIR, FIXTURE_FILES.html)]),
  ]);
  const all = ['multi_page.pdf', 'war-and-peace-1p.txt', 'wiki-ibm.md', 'wiki_duck.html', 'word_sample.docx'];
  await expect.poll(() => listed(a), { timeout: 120_000 }).toEqual(all);
  await expect.poll(() => listed(b), { timeout: 120_000 }).toEqual(all);
  // A delete in one tab leaves the other's list and answers.
  await removeDocument(b, 'wiki-ibm.md');
  // Deleted for good once the Undo window has passed (or a question is asked in that tab).
  await b.getByLabel('Ask a question').fill('Which company is nicknamed Big Blue?');
  await b.getByLabel('Ask a question').press('Enter');
  await expect.poll(() => listed(a), { timeout: 60_000 }).toEqual(all.filter((n) => n !== 'wiki-ibm.md'));
  const integrity = await libraryIntegrity(context);
  expect(integrity.names).toEqual(all.filter((n) => n !== 'wiki-ibm.md'));
  expect(integrity.problems).toEqual([]);

  // A newer Folio opens the library in a third tab and upgrades its schema: it is not blocked,
  // and the open tabs step aside and say why instead of failing on a closed database.
  const c = await context.newPage();
  await c.goto(`${baseUrl()}test/browser/harness.html`);
  const upgraded = await c.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const probe = indexedDB.open('folio');
        probe.onsuccess = () => {
          const version = probe.result.version;
          probe.result.close();
          const next = indexedDB.open('folio', version + 1);
          next.onblocked = () => resolve('blocked');
          next.onsuccess = () => {
            next.result.close();
            resolve(`upgraded to ${version + 1}`);
          };
          next.onerror = () => resolve(`error ${next.error?.name}`);
        };
      }),
  );
  expect(upgraded).toMatch(/^upgraded to \d+$/);
  for (const page of [a, b]) await page.getByText('Folio was updated in another tab').waitFor({ timeout: 30_000 });
  expect(await a.getByLabel('Add documents').isDisabled()).toBe(true);
  expect(await a.getByLabel('Ask a question').isEditable()).toBe(true);
  expect(errors).toEqual([]);
  await context.close();
});
