import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { FIXTURES_DIR } from '../../scripts/lib/paths';
import { addFiles, openApp, openFromAppMenu, useBrowser, waitForDocuments } from './chromium';

const browser = useBrowser({ webgpu: false });

const QUESTIONS = [
  {
    question: 'Who patented the typewriter?',
    document: 'multi_page.pdf',
    passage: 'Patented in 1868 by Christopher Latham Sholes',
  },
  { question: 'Which company is nicknamed Big Blue?', document: 'wiki-ibm.md' },
  // Deliberately wrong: the answer is in the Word file, so this must show as a miss.
  { question: 'What do ducks like to eat?', document: 'wiki-ibm.md', passage: 'IBM was founded in 1911' },
];

test('the in-app retrieval check runs on the user’s documents and shows hit@k, MRR and the misses', async () => {
  const context = await browser().newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await openApp(page);
  // Added straight away: files given while the model loads are indexed once it is ready.
  await addFiles(
    page,
    ['pdf/multi_page.pdf', 'md/wiki-ibm.md', 'docx/word_sample.docx'].map((f) => path.join(FIXTURES_DIR, f)),
  );
  await waitForDocuments(page, 3);

  // The check lives in the Tools dialog, off the main page.
  const tools = await openFromAppMenu(page, 'Check retrieval…', 'Tools');

  // Import the questions as a user would: a JSON file through the import button.
  const file = path.join(fs.mkdtempSync('/tmp/folio-'), 'questions.json');
  fs.writeFileSync(file, JSON.stringify({ version: 1, questions: QUESTIONS }));
  await tools.getByLabel('Import questions').setInputFiles(file);
  await expect.poll(() => tools.getByLabel('Questions (JSON)').inputValue()).toContain('Big Blue');
  await tools.getByLabel('Results to check (k)').fill('3');
  await tools.getByRole('button', { name: 'Run check' }).click();

  const results = tools.getByLabel('Check results');
  await results.waitFor({ timeout: 60_000 });
  expect(await results.locator('[data-metric=hit]').textContent()).toBe('67%'); // 2 of 3 within the top 3
  expect(await results.locator('[data-metric=mrr]').textContent()).toBe('0.67'); // (1 + 1 + 0) / 3
  expect(await results.getByRole('status').textContent()).toContain('Found 2 of 3 · hit@3');
  const rows = results.locator('tbody tr');
  expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.className))).toEqual(['hit', 'hit', 'miss']);
  await rows.nth(2).getByText('missed').click();
  expect(await rows.nth(2).locator('li').first().textContent()).toContain('word_sample.docx');

  // Export gives back the same questions.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    tools.getByRole('button', { name: 'Export questions' }).click(),
  ]);
  const exported = JSON.parse(fs.readFileSync((await download.path())!, 'utf8'));
  expect(exported).toEqual({ version: 1, questions: QUESTIONS });
  await context.close();
});
