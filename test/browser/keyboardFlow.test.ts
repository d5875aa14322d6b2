import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { FIXTURES_DIR, FIXTURE_FILES } from '../../scripts/lib/paths';
import { baseUrl, documentRow, sourcePanel, turns, useBrowser, waitForAnswer, watchFileChooser } from './chromium';

/**
 * Issue 23's "done when": first run → add → ask → cite → export, end to end on the production
 * build with the keyboard only. Nothing here clicks, fills or focuses: the page is driven by Tab,
 * Shift+Tab, Enter, Space and Esc, and only read to see what a person would see. The one thing a
 * keyboard cannot reach, the system's file chooser, is answered through Playwright's filechooser
 * event once a key has opened it.
 */
const browser = useBrowser({ webgpu: false });
const shots = path.resolve('test-output/screenshots');

const focused = (target: Locator) => target.evaluate((el) => el === document.activeElement).catch(() => false);

/** Presses `key` until `target` has the focus, as a person tabs along; fails if it never gets there. */
async function tabTo(page: Page, target: Locator, key: 'Tab' | 'Shift+Tab' = 'Tab', most = 60): Promise<number> {
  for (let presses = 0; presses < most; presses++) {
    if (await focused(target)) return presses;
    await page.keyboard.press(key);
  }
  throw new Error(`${key} did not reach ${target} in ${most} presses`);
}

test('first run, add, ask, cite and export with the keyboard only', async () => {
  const context = await browser().newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(baseUrl());

  // First run: one primary button, reached by Tab and pressed with Enter.
  const start = page.getByRole('button', { name: 'Download and start' });
  await start.waitFor();
  await tabTo(page, start);
  await page.keyboard.press('Enter');

  // Add: the library's "Add documents" opens the system's file chooser from the keyboard (Space).
  const add = page.getByLabel('Add documents');
  await add.waitFor();
  const chosen = watchFileChooser(page);
  await tabTo(page, add);
  await page.keyboard.press('Space');
  const chooser = await chosen;
  expect(chooser.isMultiple()).toBe(true);
  await chooser.setFiles([FIXTURE_FILES.markdown, FIXTURE_FILES.pdf].map((f) => path.join(FIXTURES_DIR, f)));
  await documentRow(page, 'wiki-ibm.md').waitFor({ timeout: 120_000 });
  await documentRow(page, 'multi_page.pdf').waitFor({ timeout: 120_000 });

  // Ask: "/" jumps to the question box from anywhere; Enter sends.
  await page.keyboard.press('/');
  const box = page.getByLabel('Ask a question');
  expect(await focused(box)).toBe(true);
  await page.keyboard.type('Which company is nicknamed Big Blue?');
  await page.keyboard.press('Enter');
  const turn = turns(page).first();
  const quote = turn.locator('blockquote.extract');
  await quote.waitFor({ timeout: 60_000 });
  await waitForAnswer(page);
  expect(await turn.getByRole('heading', { level: 2 }).textContent()).toBe('Which company is nicknamed Big Blue?');
  expect(await quote.textContent()).toMatch(/Big Blue/);

  // Cite: from the question box, Tab goes to Send and then to the answer's first citation.
  expect(await focused(box)).toBe(true);
  await page.keyboard.press('Tab');
  expect(await focused(page.getByRole('button', { name: 'Send' }))).toBe(true);
  await page.keyboard.press('Tab');
  const chip = quote.getByRole('button', { name: 'Source 1' });
  expect(await focused(chip)).toBe(true);
  await page.keyboard.press('Enter');
  // The source panel opens at the cited place: the document, its text with the passage marked and
  // in view, and the focus in the panel.
  const panel = sourcePanel(page);
  await panel.getByRole('heading', { name: /^Source 1 of \d+$/ }).waitFor({ timeout: 30_000 });
  expect(await panel.locator('.source-doc-name').textContent()).toBe('wiki-ibm.md');
  const mark = panel.locator('#source-mark');
  await mark.waitFor({ timeout: 30_000 });
  expect(await mark.textContent()).toMatch(/Big Blue/);
  await expect
    .poll(() =>
      mark.evaluate((m) => {
        const r = m.getBoundingClientRect();
        const v = m.closest('.source-body')!.getBoundingClientRect();
        return r.bottom > v.top && r.top < v.bottom;
      }),
    )
    .toBe(true);
  expect(await panel.evaluate((p) => p.contains(document.activeElement))).toBe(true);
  fs.mkdirSync(shots, { recursive: true });
  await page.screenshot({ animations: 'disabled', path: path.join(shots, 'keyboard-cited.png') });
  // Esc closes it and gives the focus back to the citation it came from.
  await page.keyboard.press('Escape');
  await panel.waitFor({ state: 'detached' });
  expect(await focused(chip)).toBe(true);

  // Export: back up to the conversation's header, Enter on "Export as Markdown".
  const exportButton = page.getByRole('button', { name: 'Export as Markdown' });
  await tabTo(page, exportButton, 'Shift+Tab');
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  expect(download.suggestedFilename()).toBe('which-company-is-nicknamed-big-blue.md');
  const markdown = fs.readFileSync((await download.path())!, 'utf8');
  expect(markdown).toMatch(/^# Which company is nicknamed Big Blue\?\n/);
  expect(markdown).toMatch(/\n> [^\n]*Big Blue[^\n]* \[1\]\n/);
  expect(markdown).toMatch(/## Sources\n\n1\. \*\*wiki-ibm\.md\*\*, [^\n]+ — “[^”]+”/);
  await context.close();
}, 400_000);
