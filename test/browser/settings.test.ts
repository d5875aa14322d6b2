import path from 'node:path';
import { expect, test } from 'vitest';
import { FIXTURES_DIR } from '../helpers/paths';
import { openApp, useBrowser } from './chromium';

const browser = useBrowser({ webgpu: false });

test('settings take effect and are kept across a reload', async () => {
  const context = await browser().newContext();
  const page = await context.newPage();
  await openApp(page);
  await page.getByLabel('Add documents').setInputFiles([path.join(FIXTURES_DIR, 'md/wiki-ibm.md'), path.join(FIXTURES_DIR, 'html/wiki_duck.html')]);
  await page.waitForSelector('.documents li >> nth=1', { timeout: 120_000 });

  await page.getByText('Settings', { exact: true }).click();
  const models = await page.getByLabel('Search model').locator('option').allTextContents();
  expect(models.map((m) => m.split(' — ')[0])).toEqual(['MiniLM-L6 (fast, English)', 'BGE small v1.5 (English)', 'Arctic Embed XS (English)', 'Multilingual E5 small (~100 languages)']);
  await page.getByLabel('Passages per question').fill('1');
  await page.getByLabel(/Keyword and meaning search combined/).uncheck();

  await page.getByLabel('Ask a question').fill('Which company is nicknamed Big Blue?');
  await page.getByLabel('Ask a question').press('Enter');
  await page.locator('.turn .sources li').first().waitFor({ timeout: 60_000 });
  expect(await page.locator('.turn .sources li').count()).toBe(1);
  expect(await page.locator('.turn .sources li cite').textContent()).toBe('wiki-ibm.md');

  // Smaller passages apply to documents indexed from now on; re-indexing applies them to one.
  const count = async () => Number((await page.locator('.documents li', { hasText: 'wiki-ibm.md' }).textContent())!.match(/(\d+) passages/)![1]);
  const before = await count();
  await page.getByLabel(/Passage size/).fill('64');
  await page.getByRole('button', { name: 'Re-index wiki-ibm.md' }).click();
  await expect.poll(count, { timeout: 60_000 }).toBeGreaterThan(before);

  await page.reload();
  await page.getByText('Settings', { exact: true }).click();
  expect(await page.getByLabel('Passages per question').inputValue()).toBe('1');
  expect(await page.getByLabel(/Keyword and meaning search combined/).isChecked()).toBe(false);
  expect(await page.getByLabel(/Passage size/).inputValue()).toBe('64');
  await context.close();
});
