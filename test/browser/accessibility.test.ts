import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { FIXTURES_DIR } from '../helpers/paths';
import { openApp, useBrowser } from './chromium';

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const browser = useBrowser({ webgpu: false });

async function seriousViolations(page: Page) {
  // Evaluated by the test runner (an inline <script> would be refused by the app's CSP, rightly).
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

for (const [name, viewport, scheme] of [
  ['desktop, light', { width: 1280, height: 900 }, 'light'],
  ['phone, dark', { width: 390, height: 844 }, 'dark'],
] as const) {
  test(`no serious accessibility violations (${name}), with documents, an answer and an open source`, async () => {
    const context = await browser().newContext({ viewport, colorScheme: scheme });
    const page = await context.newPage();
    await openApp(page);
    await page.getByLabel('Add documents').setInputFiles([path.join(FIXTURES_DIR, 'pdf/multi_page.pdf')]);
    await page.locator('.documents li').first().waitFor({ timeout: 120_000 });
    await page.getByLabel('Ask a question').fill('Who patented the typewriter?');
    await page.getByLabel('Ask a question').press('Enter');
    await page.locator('.sources li').first().waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Source 1' }).first().click();
    await page.getByRole('dialog', { name: 'Source 1' }).waitFor();
    // The README's screenshots come from here: FOLIO_UPDATE_SCREENSHOTS=1 npm test refreshes them.
    const dir = process.env.FOLIO_UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : 'test-output/screenshots';
    fs.mkdirSync(dir, { recursive: true });
    await page.locator('.documents').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: path.join(dir, `${name.replace(/\W+/g, '-')}.png`), fullPage: false });
    expect(await seriousViolations(page)).toEqual([]);
    // Nothing overflows sideways at phone width.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    await context.close();
  });
}
