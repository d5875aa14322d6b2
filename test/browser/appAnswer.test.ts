import path from 'node:path';
import { expect, test } from 'vitest';
import { FIXTURES_DIR } from '../helpers/paths';
import { baseUrl, newRecordedPage, useBrowser } from './chromium';

const browser = useBrowser({ webgpu: false });

test('ask, stream, cite; drop a file; reload keeps library and conversation; deleted documents leave answers; clear', async () => {
  const { context, page, requests, errors } = await newRecordedPage(browser());
  await page.goto(baseUrl());
  // First run: what will be downloaded is shown, and nothing is fetched until the user agrees.
  const firstRun = page.getByRole('region', { name: 'Before you start' });
  expect(await firstRun.textContent()).toMatch(/Xenova\/all-MiniLM-L6-v2\) — about 23 MB/);
  await page.waitForTimeout(500);
  expect(requests.some((u) => u.includes('/models/'))).toBe(false);
  await page.getByRole('button', { name: 'Download and start' }).click();
  await page.getByLabel('Add documents').setInputFiles(['pdf/multi_page.pdf', 'docx/word_sample.docx', 'html/wiki_duck.html'].map((f) => path.join(FIXTURES_DIR, f)));
  // Each file shows its own progress while it is added.
  await page.getByRole('list', { name: 'Adding' }).waitFor({ timeout: 60_000 });
  await page.waitForSelector('.documents li >> nth=2', { timeout: 120_000 });
  expect(await page.locator('.storage').textContent()).toMatch(/Storage: .* used/);

  // Passages only (the default, before any answer model is loaded).
  const box = page.getByLabel('Ask a question');
  await box.fill('Who patented the typewriter?');
  await box.press('Enter');
  const first = page.locator('.turn').nth(0);
  await first.locator('.sources li').first().waitFor({ timeout: 60_000 });
  expect(await first.locator('.sources li').first().textContent()).toContain('multi_page.pdf · p. 1');
  expect((await first.locator('.sources li').first().locator('mark').allTextContents()).join(' ')).toContain('Patented in 1868');

  // A real (tiny) model from ../shared/models writes the answer, streamed.
  await page.getByLabel('Answer model').fill('karpathy/stories260K');
  await page.getByRole('button', { name: 'Load answer model' }).click();
  await page.getByText('Answer model ready: karpathy/stories260K').waitFor({ timeout: 60_000 });
  // Every change to the conversation is recorded, so streaming is seen however fast it goes.
  await page.evaluate(() => {
    const w = window as unknown as { answerLengths: number[] };
    w.answerLengths = [];
    new MutationObserver(() => {
      const answers = document.querySelectorAll('.turn .answer');
      if (answers.length >= 1) w.answerLengths.push(answers[answers.length - 1]!.textContent!.length);
    }).observe(document.querySelector('.conversation')!, { subtree: true, childList: true, characterData: true });
  });
  await box.fill('Who patented the typewriter?');
  await page.getByRole('button', { name: 'Send' }).click();
  const second = page.locator('.turn').nth(1);
  await second.locator('.answer').waitFor({ timeout: 60_000 });
  await expect.poll(() => page.getByRole('button', { name: 'Stop' }).isEnabled(), { timeout: 60_000 }).toBe(false);
  const lengths = await page.evaluate(() => (window as unknown as { answerLengths: number[] }).answerLengths);
  const answer = (await second.locator('.answer').textContent()) ?? '';
  expect(answer.trim().length).toBeGreaterThan(20);
  expect(new Set(lengths.filter((n) => n > 0)).size).toBeGreaterThan(3); // rendered piece by piece, not at once
  const source1 = second.locator('.sources li').first();
  expect(await source1.textContent()).toContain('multi_page.pdf · p. 1');

  // Clicking the citation opens the passage, highlighted, in its document.
  await source1.getByRole('button', { name: 'Source 1' }).click();
  const viewer = page.getByRole('dialog', { name: 'Source 1' });
  await viewer.waitFor();
  expect(await viewer.locator('mark').textContent()).toContain('Christopher Latham Sholes');
  expect(await viewer.textContent()).toContain('multi_page.pdf');
  // A PDF source also shows its rendered page, with the passage's text runs boxed on it.
  const pageView = viewer.getByRole('figure', { name: 'Page 1' });
  await pageView.locator('.pdf-highlight').first().waitFor({ timeout: 30_000 });
  expect(await pageView.locator('.pdf-highlight').count()).toBeGreaterThan(2);
  expect(await pageView.locator('canvas').evaluate((c: HTMLCanvasElement) => c.width > 300 && c.height > 300)).toBe(true);

  // Esc right after Enter stops the question before the full answer is written.
  await box.fill('Who patented the typewriter?');
  await box.press('Enter');
  await box.press('Escape');
  const stopped = page.locator('.turn').nth(2);
  await stopped.getByText('Stopped.').waitFor({ timeout: 30_000 });
  expect(((await stopped.locator('.answer').textContent({ timeout: 1000 }).catch(() => '')) ?? '').length).toBeLessThan(answer.length);

  // A real drop event on the window adds a file (the test serves fixtures at /fixtures/).
  await page.evaluate(async () => {
    const bytes = await (await fetch('/fixtures/md/wiki-ibm.md')).arrayBuffer();
    const data = new DataTransfer();
    data.items.add(new File([bytes], 'wiki-ibm.md', { type: 'text/markdown' }));
    window.dispatchEvent(new DragEvent('dragenter', { dataTransfer: data, bubbles: true }));
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  });
  await page.locator('.documents li', { hasText: 'wiki-ibm.md' }).waitFor({ timeout: 60_000 });

  // Reload: the library and the conversation are still there.
  await page.reload();
  await page.locator('.turn').nth(1).waitFor({ timeout: 60_000 });
  expect(await page.locator('.turn .question').allTextContents()).toEqual(['Who patented the typewriter?', 'Who patented the typewriter?', 'Who patented the typewriter?']);
  expect(await page.locator('.turn').nth(2).getByText('Stopped.').count()).toBe(1);
  expect(((await page.locator('.turn').nth(1).locator('.answer').textContent()) ?? '').trim()).toBe(answer.trim());
  await page.locator('.documents li').nth(3).waitFor({ timeout: 60_000 });

  // Delete a document: its passages no longer appear in answers.
  await page.getByRole('button', { name: 'Delete multi_page.pdf' }).click();
  await page.locator('.documents li', { hasText: 'multi_page.pdf' }).waitFor({ state: 'detached' });
  await box.fill('Who patented the typewriter?');
  await box.press('Enter');
  const third = page.locator('.turn').nth(3);
  await third.locator('.sources li').first().waitFor({ timeout: 60_000 });
  expect((await third.locator('.sources li cite').allTextContents()).every((name) => name !== 'multi_page.pdf')).toBe(true);

  // Clearing the conversation clears it for good.
  await page.getByRole('button', { name: 'Clear conversation' }).click();
  await expect.poll(() => page.locator('.turn').count()).toBe(0);
  await page.reload();
  await page.locator('.documents li').first().waitFor({ timeout: 60_000 });
  await page.waitForTimeout(300);
  expect(await page.locator('.turn').count()).toBe(0);

  const origin = new URL(baseUrl()).origin;
  expect(requests.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:'))).toEqual([]);
  expect(errors).toEqual([]);
  await context.close();
});
