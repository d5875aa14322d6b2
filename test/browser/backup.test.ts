import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { FIXTURES_DIR, FIXTURE_FILES } from '../../scripts/lib/paths';
import {
  addFiles,
  ask,
  documentNames,
  libraryIntegrity,
  newRecordedPage,
  openApp,
  openFromAppMenu,
  sourcesOf,
  storageMeter,
  turns,
  useBrowser,
  waitForDocuments,
} from './chromium';

const browser = useBrowser({ webgpu: false });
const QUESTIONS = ['Who patented the typewriter?', 'Which company is nicknamed Big Blue?'];

/** Asks each question and returns the sources it was answered from, as shown. */
async function sourcesFor(page: Page, questions: string[]) {
  const out: string[][] = [];
  for (const q of questions) {
    const turn = await ask(page, q);
    out.push(await sourcesOf(turn).allTextContents());
  }
  return out;
}

test('backup: a whole library with its conversation and settings, restored in another profile, answers the same', async () => {
  const a = await newRecordedPage(browser());
  await openApp(a.page);
  await addFiles(
    a.page,
    [FIXTURE_FILES.markdown, FIXTURE_FILES.pdf, FIXTURE_FILES.html].map((f) => path.join(FIXTURES_DIR, f)),
  );
  await waitForDocuments(a.page, 3);
  const settings = await openFromAppMenu(a.page, 'Settings…', 'Settings');
  await settings.getByLabel('Passages per question').fill('4');
  await settings.getByRole('button', { name: 'Done' }).click();
  const original = await sourcesFor(a.page, QUESTIONS);
  // At most 4 sources per answer now (adjacent passages may be merged into one).
  expect(original.every((s) => s.length >= 1 && s.length <= 4)).toBe(true);

  const backupA = await openFromAppMenu(a.page, 'Backup and restore…', 'Backup and restore');
  const [download] = await Promise.all([
    a.page.waitForEvent('download'),
    backupA.getByRole('button', { name: 'Back up library' }).click(),
  ]);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'folio-backup-')), download.suggestedFilename());
  await download.saveAs(file);
  expect(path.basename(file)).toMatch(/^folio-backup-\d{4}-\d\d-\d\d\.folio$/);
  await backupA.getByText(/Backup saved \(\d+\.\d MB\)/).waitFor();
  await a.page.keyboard.press('Escape');
  const names = (await documentNames(a.page)).sort();

  // Another profile: nothing shared with the first but the file.
  const b = await newRecordedPage(browser());
  await openApp(b.page);
  await storageMeter(b.page).waitFor({ timeout: 120_000 });
  const backupB = await openFromAppMenu(b.page, 'Backup and restore…', 'Backup and restore');
  await backupB.getByLabel('Restore from backup').setInputFiles(file);
  await backupB.getByText('Restored 3 documents and 2 conversation turns.').waitFor({ timeout: 60_000 });
  // Restoring the same file again adds nothing: documents and conversation turns are not doubled.
  await backupB.getByLabel('Restore from backup').setInputFiles(file);
  await backupB.getByText('Restored 0 documents (3 already here).').waitFor({ timeout: 60_000 });
  await b.page.keyboard.press('Escape');
  expect((await documentNames(b.page)).sort()).toEqual(names);
  expect(await turns(b.page).getByRole('heading', { level: 2 }).allTextContents()).toEqual(QUESTIONS);
  const settingsB = await openFromAppMenu(b.page, 'Settings…', 'Settings');
  expect(await settingsB.getByLabel('Passages per question').inputValue()).toBe('4');
  await settingsB.getByRole('button', { name: 'Done' }).click();
  // The same questions find the same passages, in the same order.
  expect(await sourcesFor(b.page, QUESTIONS)).toEqual(original);
  // The profile that already holds the conversation restores its own backup without doubling it.
  const again = await openFromAppMenu(a.page, 'Backup and restore…', 'Backup and restore');
  await again.getByLabel('Restore from backup').setInputFiles(file);
  await again.getByText('Restored 0 documents (3 already here).').waitFor({ timeout: 60_000 });
  await a.page.keyboard.press('Escape');
  expect(await turns(a.page).getByRole('heading', { level: 2 }).allTextContents()).toEqual(QUESTIONS);
  await a.page.reload();
  await turns(a.page).nth(1).waitFor({ timeout: 60_000 });
  expect(await turns(a.page).count()).toBe(2);
  const integrity = await libraryIntegrity(b.context);
  expect(integrity.problems).toEqual([]);
  expect(integrity.names).toEqual(names);
  expect([...a.errors, ...b.errors]).toEqual([]);
  await a.context.close();
  await b.context.close();
});
