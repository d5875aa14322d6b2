import path from 'node:path';
import { expect, test } from 'vitest';
import { FIXTURES_DIR } from '../helpers/paths';
import { baseUrl, newRecordedPage, useBrowser } from './chromium';

const browser = useBrowser({ webgpu: false });

test('after one visit the app works with the network cut: reload, add a document, ask, get a written answer', async () => {
  const { context, page, errors } = await newRecordedPage(browser());
  await page.goto(baseUrl());
  // Installable: a manifest with icons the browser can fetch.
  const manifest = await page.evaluate(async () => {
    const href = document.querySelector<HTMLLinkElement>('link[rel=manifest]')!.href;
    const m = (await (await fetch(href)).json()) as { name: string; icons: { src: string; sizes: string }[]; start_url: string; display: string };
    const icons = await Promise.all(m.icons.map(async (i) => ({ sizes: i.sizes, type: (await fetch(i.src)).headers.get('content-type') })));
    return { name: m.name, display: m.display, icons };
  });
  expect(manifest.display).toBe('standalone');
  expect(manifest.icons).toEqual(expect.arrayContaining([{ sizes: '192x192', type: 'image/png' }, { sizes: '512x512', type: 'image/png' }]));

  await page.getByRole('button', { name: 'Download and start' }).click();
  await page.getByText('Folio now works offline.').waitFor({ timeout: 120_000 });
  await page.locator('.storage').waitFor({ timeout: 120_000 });
  await page.getByLabel('Answer model').fill('karpathy/stories260K');
  await page.getByRole('button', { name: 'Load answer model' }).click();
  await page.getByText('Answer model ready: karpathy/stories260K').waitFor({ timeout: 60_000 });
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null || navigator.serviceWorker.ready.then(() => true))).toBe(true);

  await context.setOffline(true);
  const failedOffline: string[] = [];
  context.on('requestfailed', (r) => failedOffline.push(r.url()));
  await page.reload();
  // The page, its workers and ONNX Runtime come from the service worker, still cross-origin
  // isolated; the models from the browser's cache; the chosen answer model is loaded again.
  await page.getByRole('heading', { name: 'Folio' }).waitFor();
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await page.getByText('Answer model ready: karpathy/stories260K').waitFor({ timeout: 60_000 });
  await page.getByLabel('Add documents').setInputFiles(path.join(FIXTURES_DIR, 'pdf/multi_page.pdf'));
  await page.locator('.documents li', { hasText: 'multi_page.pdf' }).waitFor({ timeout: 120_000 });
  // Persistent storage was asked for with the first document, and the outcome is shown.
  await expect.poll(() => page.locator('.storage').textContent()).toMatch(/kept until you delete it|the browser may clear it/);
  const box = page.getByLabel('Ask a question');
  await box.fill('Who patented the typewriter?');
  await box.press('Enter');
  const turn = page.locator('.turn').first();
  await turn.locator('.answer').waitFor({ timeout: 60_000 });
  await expect.poll(() => page.getByRole('button', { name: 'Stop' }).isEnabled(), { timeout: 60_000 }).toBe(false);
  expect(((await turn.locator('.answer').textContent()) ?? '').trim().length).toBeGreaterThan(20);
  expect(await turn.locator('.sources li').first().textContent()).toContain('multi_page.pdf · p. 1');
  expect(failedOffline).toEqual([]);
  expect(errors).toEqual([]);
  // And the network really was cut: anything not already cached fails.
  expect(await page.evaluate(() => fetch(`/models/never-cached.json?${Math.random()}`).then(() => 'fetched', () => 'failed'))).toBe('failed');
  await context.close();
});
