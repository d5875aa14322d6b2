import path from 'node:path';
import { expect, test } from 'vitest';
import { FIXTURES_DIR } from '../../scripts/lib/paths';
import {
  addFiles,
  ask,
  baseUrl,
  documentRow,
  newRecordedPage,
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

test('ask, stream, cite; drop a file; reload keeps library and conversation; deleted documents leave answers; delete a conversation', async () => {
  const { context, page, requests, errors } = await newRecordedPage(browser());
  await page.goto(baseUrl());
  // First run: what will be downloaded is shown, and nothing is fetched until the user agrees.
  const firstRun = page.getByRole('region', { name: 'Ask your documents, privately' });
  expect(await firstRun.textContent()).toMatch(/Xenova\/all-MiniLM-L6-v2\) — about 23 MB/);
  await page.waitForTimeout(500);
  expect(requests.some((u) => u.includes('/models/'))).toBe(false);
  await page.getByRole('button', { name: 'Download and start' }).click();
  await addFiles(
    page,
    ['pdf/multi_page.pdf', 'docx/word_sample.docx', 'html/wiki_duck.html'].map((f) => path.join(FIXTURES_DIR, f)),
  );
  // Each file shows its own progress while it is added.
  await page.getByRole('list', { name: 'Adding' }).waitFor({ timeout: 60_000 });
  await waitForDocuments(page, 3);
  expect(await page.getByRole('region', { name: 'Storage' }).textContent()).toMatch(/used of/);

  // Passages only (the default, before any answer model is loaded).
  const box = page.getByLabel('Ask a question');
  await box.fill('Who patented the typewriter?');
  await box.press('Enter');
  const first = turns(page).nth(0);
  await sourcesOf(first).first().waitFor({ timeout: 60_000 });
  expect(await sourcesOf(first).first().textContent()).toMatch(/multi_page\.pdf\s*· p\. 1/);
  expect((await sourcesOf(first).first().locator('mark').allTextContents()).join(' ')).toContain('Patented in 1868');
  // The answering sentence comes first, quoted with its citation.
  expect(await first.getByRole('blockquote').textContent()).toContain('Patented in 1868 by Christopher Latham Sholes');

  // A real (tiny) model from ../shared/models writes the answer, streamed.
  await useCustomModel(page, 'karpathy/stories260K');
  // Every change to the conversation is recorded, so streaming is seen however fast it goes.
  await page.evaluate(() => {
    const w = window as unknown as { answerLengths: number[] };
    w.answerLengths = [];
    new MutationObserver(() => {
      const answers = document.querySelectorAll('article .answer-text');
      if (answers.length >= 1) w.answerLengths.push(answers[answers.length - 1]!.textContent!.length);
    }).observe(document.querySelector('main')!, { subtree: true, childList: true, characterData: true });
  });
  await box.fill('Who patented the typewriter?');
  await page.getByRole('button', { name: 'Send' }).click();
  const second = turns(page).nth(1);
  await second.locator('.answer-text').waitFor({ timeout: 60_000 });
  await waitForAnswer(page);
  const lengths = await page.evaluate(() => (window as unknown as { answerLengths: number[] }).answerLengths);
  const answer = (await second.locator('.answer-text').textContent()) ?? '';
  expect(answer.trim().length).toBeGreaterThan(20);
  expect(new Set(lengths.filter((n) => n > 0)).size).toBeGreaterThan(3); // rendered piece by piece, not at once
  const source1 = sourcesOf(second).first();
  expect(await source1.textContent()).toMatch(/multi_page\.pdf\s*· p\. 1/);

  // Clicking the citation opens the passage in its document, beside the answer.
  await source1.getByRole('button', { name: 'Source 1' }).click();
  const viewer = sourcePanel(page);
  await viewer.getByRole('heading', { name: /^Source 1 of \d/ }).waitFor();
  await viewer.locator('mark').first().waitFor({ timeout: 30_000 });
  expect(await viewer.locator('mark').allTextContents()).toEqual(
    expect.arrayContaining([expect.stringContaining('Christopher Latham Sholes')]),
  );
  expect(await viewer.textContent()).toContain('multi_page.pdf');
  // A PDF source shows its rendered page, the passage's lines boxed on it.
  const pageView = viewer.getByRole('figure', { name: 'Page 1' });
  await pageView.locator('.pdf-highlight').first().waitFor({ timeout: 30_000 });
  expect(await pageView.locator('.pdf-highlight').count()).toBeGreaterThan(2);
  expect(await pageView.locator('canvas').evaluate((c: HTMLCanvasElement) => c.width > 300 && c.height > 300)).toBe(
    true,
  );
  // Esc closes it and gives focus back to the chip that opened it.
  await page.keyboard.press('Escape');
  await viewer.waitFor({ state: 'detached' });
  expect(await source1.getByRole('button', { name: 'Source 1' }).evaluate((b) => b === document.activeElement)).toBe(
    true,
  );

  // Esc right after Enter stops the question before the full answer is written.
  await box.fill('Who patented the typewriter?');
  await box.press('Enter');
  await box.press('Escape');
  const stopped = turns(page).nth(2);
  await stopped.getByText('Stopped.').waitFor({ timeout: 30_000 });
  expect(
    (
      (await stopped
        .locator('.answer-text')
        .textContent({ timeout: 1000 })
        .catch(() => '')) ?? ''
    ).length,
  ).toBeLessThan(answer.length);

  // A real drop event on the window adds a file (the test serves fixtures at /fixtures/).
  await page.evaluate(async () => {
    const bytes = await (await fetch('/fixtures/md/wiki-ibm.md')).arrayBuffer();
    const data = new DataTransfer();
    data.items.add(new File([bytes], 'wiki-ibm.md', { type: 'text/markdown' }));
    window.dispatchEvent(new DragEvent('dragenter', { dataTransfer: data, bubbles: true }));
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  });
  await documentRow(page, 'wiki-ibm.md').waitFor({ timeout: 60_000 });

  // Reload: the library and the conversation are still there, and the engine comes back.
  await page.reload();
  await turns(page).nth(2).waitFor({ timeout: 60_000 });
  expect(await turns(page).getByRole('heading', { level: 2 }).allTextContents()).toEqual([
    'Who patented the typewriter?',
    'Who patented the typewriter?',
    'Who patented the typewriter?',
  ]);
  expect(await turns(page).nth(2).getByText('Stopped.').count()).toBe(1);
  expect(((await turns(page).nth(1).locator('.answer-text').textContent()) ?? '').trim()).toBe(answer.trim());
  await waitForDocuments(page, 4, 60_000);
  await page
    .getByRole('button', { name: 'Answer engine: karpathy/stories260K', exact: true })
    .waitFor({ timeout: 60_000 });

  // Remove a document (asked once): its passages no longer appear in answers.
  await removeDocument(page, 'multi_page.pdf');
  await documentRow(page, 'multi_page.pdf').waitFor({ state: 'detached' });
  await box.fill('Who patented the typewriter?');
  await box.press('Enter');
  const fourth = turns(page).nth(3);
  await sourcesOf(fourth).first().waitFor({ timeout: 60_000 });
  await waitForAnswer(page);
  expect((await sourcesOf(fourth).locator('cite').allTextContents()).every((name) => name !== 'multi_page.pdf')).toBe(
    true,
  );
  // An older answer's citation of it says the document is gone, and still shows the quote.
  await sourcesOf(turns(page).nth(0)).first().getByRole('button', { name: 'Source 1' }).click();
  await sourcePanel(page).getByText('multi_page.pdf is no longer in your library.').waitFor({ timeout: 30_000 });
  expect(await sourcePanel(page).textContent()).toContain('Patented in 1868');
  await page.keyboard.press('Escape');

  // An acronym wiki-ibm.md defines ("Computing-Tabulating-Recording Company (CTR)") is searched in
  // both forms, and the answer says so (issue 25).
  const acronym = await ask(page, 'Who became president of CTR?');
  await waitForAnswer(page);
  expect(await acronym.locator('.searched').filter({ hasText: 'Also searched' }).textContent()).toContain(
    'Computing-Tabulating-Recording Company',
  );

  // Deleting the conversation (asked once) deletes it for good.
  await page.getByRole('button', { name: /^Actions for conversation Who patented the typewriter\?/ }).click();
  await page.getByRole('menuitem', { name: 'Delete…' }).click();
  await page
    .getByRole('dialog', { name: 'Delete this conversation?' })
    .getByRole('button', { name: 'Delete', exact: true })
    .click();
  await expect.poll(() => turns(page).count()).toBe(0);
  await page.reload();
  await waitForDocuments(page, 3, 60_000);
  await page.waitForTimeout(300);
  expect(await turns(page).count()).toBe(0);
  expect(await page.getByRole('list', { name: 'Conversations' }).getByRole('listitem').allTextContents()).toEqual([
    'New conversation',
  ]);

  const origin = new URL(baseUrl()).origin;
  expect(requests.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:'))).toEqual([]);
  expect(errors).toEqual([]);
  await context.close();
});
