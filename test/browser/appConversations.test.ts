import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { FIXTURES_DIR } from '../../scripts/lib/paths';
import {
  addFiles,
  ask,
  documentNames,
  documentRow,
  libraryIntegrity,
  newRecordedPage,
  openApp,
  openEngines,
  removeDocument,
  sourcePanel,
  sourcesOf,
  turns,
  useBrowser,
  useCustomModel,
  waitForAnswer,
  waitForDocuments,
} from './chromium';

const browser = useBrowser({ webgpu: false });

/** Whether the element matched lies (at least partly) in the visible part of its scrolling box. */
const inView = (page: Page, selector: string, scroller: string) =>
  page.evaluate(
    ([sel, box]) => {
      const el = [...document.querySelectorAll(sel!)].at(-1);
      const sc = el?.closest(box!);
      if (!el || !sc) return false;
      const r = el.getBoundingClientRect();
      const v = sc.getBoundingClientRect();
      return r.top >= v.top - 1 && r.top < v.bottom - 20;
    },
    [selector, scroller],
  );

test('a long conversation keeps the newest answer in view; web-page citations open at the passage; conversations are kept apart, exported, and survive a reload; engines switch without losing the conversation', async () => {
  const { context, page, errors } = await newRecordedPage(browser());
  await openApp(page);
  await addFiles(
    page,
    ['pdf/multi_page.pdf', 'html/wiki_duck.html', 'md/wiki-ibm.md'].map((f) => path.join(FIXTURES_DIR, f)),
  );
  await waitForDocuments(page, 3);
  // Sample questions come from the first document's headings.
  const samples = page.getByRole('list', { name: 'Sample questions' }).getByRole('button');
  await expect.poll(() => samples.count(), { timeout: 30_000 }).toBe(3);

  // Problem 1: eight answers, then a ninth — its question is scrolled into view at once.
  const questions = [
    'What do ducks eat?',
    'Who patented the typewriter?',
    'Which company is nicknamed Big Blue?',
    'Where do ducks live?',
    'When was IBM founded?',
    'What is a word processor?',
    'Who hunts ducks?',
    'What did Wang Laboratories make?',
  ];
  for (const q of questions) await ask(page, q);
  const last = await ask(page, 'What sound does a duck make?');
  await expect.poll(() => inView(page, 'article h2', '.conversation-scroll'), { timeout: 10_000 }).toBe(true);
  expect(await last.getByRole('heading', { level: 2 }).textContent()).toBe('What sound does a duck make?');
  expect(await page.evaluate(() => document.querySelector('.conversation-scroll')!.scrollTop)).toBeGreaterThan(1000);

  // A citation of a web page opens its text, the passage marked and scrolled into view.
  await last.getByRole('list', { name: 'Sources' }).getByRole('button', { name: 'Source 1' }).click();
  const panel = sourcePanel(page);
  await panel.locator('#source-mark').waitFor({ timeout: 30_000 });
  expect(await panel.textContent()).toContain('wiki_duck.html');
  await expect.poll(() => inView(page, '#source-mark', '.source-body')).toBe(true);
  // ‹ › step through the answer's other sources.
  await panel.getByRole('button', { name: 'Next source' }).click();
  await panel.getByRole('heading', { name: /^Source 2 of/ }).waitFor();
  await page.keyboard.press('Escape');

  // Export as Markdown: every question, the answers, numbered sources at the end.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export as Markdown' }).click(),
  ]);
  const markdown = fs.readFileSync((await download.path())!, 'utf8');
  expect(download.suggestedFilename()).toBe('what-do-ducks-eat.md');
  expect(markdown).toMatch(/^# What do ducks eat\?\n/);
  for (const q of questions) expect(markdown).toContain(`## ${q}`);
  expect(markdown).toMatch(/## Sources\n\n1\. \*\*wiki_duck\.html\*\*, [^\n]+ — “[^”]+”/);
  expect(markdown).toMatch(/\*\*multi_page\.pdf\*\*, p\. 1/);

  // A second conversation, kept apart from the first.
  await page.getByRole('button', { name: 'New conversation' }).click();
  expect(await turns(page).count()).toBe(0);
  await ask(page, 'Which company is nicknamed Big Blue?');
  // Switching engines keeps the conversation: a tiny real model writes the next answer…
  await useCustomModel(page, 'karpathy/stories260K');
  const written = await ask(page, 'Who patented the typewriter?');
  await written.locator('.answer-text').waitFor({ timeout: 60_000 });
  await waitForAnswer(page);
  // …and back to passages only, the earlier turns still there.
  const menu = await openEngines(page);
  await menu.getByRole('button', { name: 'Use Passages only' }).click();
  await page.getByRole('button', { name: 'Answer engine: Passages only', exact: true }).waitFor();
  await page.keyboard.press('Escape');
  const plain = await ask(page, 'When was IBM founded?');
  await waitForAnswer(page);
  expect(await plain.locator('.answer-text').count()).toBe(0);
  expect(await turns(page).count()).toBe(3);

  // Reload: the second conversation is the one in view; the first is one click away.
  await page.reload();
  await turns(page).nth(2).waitFor({ timeout: 60_000 });
  expect(await turns(page).getByRole('heading', { level: 2 }).allTextContents()).toEqual([
    'Which company is nicknamed Big Blue?',
    'Who patented the typewriter?',
    'When was IBM founded?',
  ]);
  const list = page.getByRole('list', { name: 'Conversations' });
  expect(await list.getByRole('listitem').count()).toBe(2);
  await list.getByRole('button', { name: /^What do ducks eat\?/ }).click();
  await expect.poll(() => turns(page).count()).toBe(9);
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('What do ducks eat?');

  // Rename it in place.
  await page.getByRole('button', { name: 'Actions for conversation What do ducks eat?' }).click();
  await page.getByRole('menuitem', { name: 'Rename' }).click();
  await page.getByLabel('Conversation name').fill('Ducks and typewriters');
  await page.getByLabel('Conversation name').press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Ducks and typewriters' }).waitFor();
  expect(errors).toEqual([]);
  await context.close();
});

test('removing a document asks once and can be undone; undone it stays, not undone it is gone for good', async () => {
  const { context, page, errors } = await newRecordedPage(browser());
  await openApp(page);
  await addFiles(
    page,
    ['md/wiki-ibm.md', 'txt/war-and-peace-1p.txt'].map((f) => path.join(FIXTURES_DIR, f)),
  );
  await waitForDocuments(page, 2);

  // Cancel in the confirmation changes nothing.
  await page.getByRole('button', { name: 'Actions for wiki-ibm.md' }).click();
  await page.getByRole('menuitem', { name: 'Remove…' }).click();
  await page.getByRole('dialog', { name: 'Remove wiki-ibm.md?' }).getByRole('button', { name: 'Cancel' }).click();
  expect((await documentNames(page)).sort()).toEqual(['war-and-peace-1p.txt', 'wiki-ibm.md']);

  // Removed, then Undo: it is back, and still there after a reload.
  await removeDocument(page, 'wiki-ibm.md');
  await documentRow(page, 'wiki-ibm.md').waitFor({ state: 'detached' });
  await page.getByRole('status').getByRole('button', { name: 'Undo' }).click();
  await documentRow(page, 'wiki-ibm.md').waitFor();
  await page.waitForTimeout(9000); // past the Undo window
  await page.reload();
  await waitForDocuments(page, 2, 60_000);
  expect((await documentNames(page)).sort()).toEqual(['war-and-peace-1p.txt', 'wiki-ibm.md']);

  // Removed and left alone: deleted for good once the Undo window has passed.
  await removeDocument(page, 'wiki-ibm.md');
  await page.getByRole('status').getByText('Removed wiki-ibm.md').waitFor();
  await expect
    .poll(async () => (await libraryIntegrity(context)).names, { timeout: 20_000 })
    .toEqual(['war-and-peace-1p.txt']);
  const turn = await ask(page, 'Which company is nicknamed Big Blue?');
  // Only War and Peace is left: the library does not cover the question, and says so.
  expect(await turn.getByText('Not in your documents', { exact: true }).count()).toBe(1);
  const cited = await turn.locator('cite').allTextContents();
  expect(cited.length).toBeGreaterThan(0);
  expect(cited).not.toContain('wiki-ibm.md');
  expect((await libraryIntegrity(context)).problems).toEqual([]);

  // Problem 3: a model that cannot be fetched says so in a sentence, and passages keep working.
  const menu = await openEngines(page);
  await menu.getByText('Advanced: a model from the hub by its id').click();
  await menu.getByLabel('Custom model id').fill('nobody/no-such-model');
  await menu.getByRole('button', { name: 'Add and download' }).click();
  const problem = menu.getByRole('alert').filter({ hasText: 'nobody/no-such-model' });
  await problem.waitFor({ timeout: 60_000 });
  expect(await problem.textContent()).toMatch(
    /The model host has no model called "nobody\/no-such-model" \(HTTP 404\)\. Check the model name\./,
  );
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Answer engine: Passages only', exact: true }).waitFor();
  expect(await sourcesOf(await ask(page, 'Who was Anna Pavlovna Scherer?')).count()).toBeGreaterThan(0);
  // The only failed requests are that model's files, which the model folder does not have.
  expect(errors.filter((e) => !e.includes('/models/nobody/no-such-model/') && !/status of 404/.test(e))).toEqual([]);
  await context.close();
});
