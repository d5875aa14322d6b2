import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { FIXTURES_DIR, FIXTURE_FILES } from '../helpers/paths';
import { ask, libraryIntegrity, newRecordedPage, openApp, useBrowser } from './chromium';

const browser = useBrowser({ webgpu: false });
const QUESTIONS = ['Who patented the typewriter?', 'Which company is nicknamed Big Blue?'];

/** Asks each question and returns the sources it was answered from, as shown. */
async function sourcesFor(page: Page, questions: string[]) {
  const out: string[][] = [];
  for (const q of questions) {
    const turn = await ask(page, q);
    out.push(await turn.locator('.sources li').allTextContents());
  }
  return out;
}

test('backup: a whole library with its conversation and settings, restored in another profile, answers the same', async () => {
  const a = await newRecordedPage(browser());
  await openApp(a.page);
  await a.page.getByLabel('Add documents').setInputFiles([FIXTURE_FILES.markdown, FIXTURE_FILES.pdf, FIXTURE_FILES.html].map((f) => path.join(FIXTURES_DIR, f)));
  await a.page.locator('.documents li').nth(2).waitFor({ timeout: 120_000 });
  await a.page.getByText('Settings', { exact: true }).click();
  await a.page.getByLabel('Passages per question').fill('4');
  const original = await sourcesFor(a.page, QUESTIONS);
  // At most 4 sources per answer now (adjacent passages may be merged into one).
  expect(original.every((s) => s.length >= 1 && s.length <= 4)).toBe(true);

  await a.page.getByText('Backup', { exact: true }).click();
  const [download] = await Promise.all([a.page.waitForEvent('download'), a.page.getByRole('button', { name: 'Back up library' }).click()]);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'folio-backup-')), download.suggestedFilename());
  await download.saveAs(file);
  expect(path.basename(file)).toMatch(/^folio-backup-\d{4}-\d\d-\d\d\.folio$/);
  await a.page.getByText(/Backup saved \(\d+\.\d MB\)/).waitFor();
  const names = (await a.page.locator('.documents li > span').allTextContents()).sort();

  // Another profile: nothing shared with the first but the file.
  const b = await newRecordedPage(browser());
  await openApp(b.page);
  await b.page.locator('.storage').waitFor({ timeout: 120_000 });
  await b.page.getByText('Backup', { exact: true }).click();
  await b.page.getByLabel('Restore from backup').setInputFiles(file);
  await b.page.getByText('Restored 3 documents and 2 conversation turns.').waitFor({ timeout: 60_000 });
  expect((await b.page.locator('.documents li > span').allTextContents()).sort()).toEqual(names);
  expect(await b.page.locator('.turn .question').allTextContents()).toEqual(QUESTIONS);
  await b.page.getByText('Settings', { exact: true }).click();
  expect(await b.page.getByLabel('Passages per question').inputValue()).toBe('4');
  // The same questions find the same passages, in the same order.
  expect(await sourcesFor(b.page, QUESTIONS)).toEqual(original);
  const integrity = await libraryIntegrity(b.context);
  expect(integrity.problems).toEqual([]);
  expect(integrity.names).toEqual(names);
  expect([...a.errors, ...b.errors]).toEqual([]);
  await a.context.close();
  await b.context.close();
});
