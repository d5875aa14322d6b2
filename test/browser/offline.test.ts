import path from 'node:path';
import { expect, test } from 'vitest';
import { FIXTURES_DIR } from '../../scripts/lib/paths';
import {
  addFiles,
  baseUrl,
  documentRow,
  newRecordedPage,
  sourcesOf,
  storageMeter,
  turns,
  useBrowser,
  useCustomModel,
  waitForAnswer,
} from './chromium';

const browser = useBrowser({ webgpu: false });

test('after one visit the app works with the network cut: reload, add a document, ask, get a written answer', async () => {
  const { context, page, errors } = await newRecordedPage(browser());
  await page.goto(baseUrl());
  // Installable: a manifest with icons the browser can fetch.
  const manifest = await page.evaluate(async () => {
    const href = document.querySelector<HTMLLinkElement>('link[rel=manifest]')!.href;
    const m = (await (await fetch(href)).json()) as {
      name: string;
      icons: { src: string; sizes: string }[];
      start_url: string;
      display: string;
    };
    const icons = await Promise.all(
      m.icons.map(async (i) => ({ sizes: i.sizes, type: (await fetch(i.src)).headers.get('content-type') })),
    );
    return { name: m.name, display: m.display, icons };
  });
  expect(manifest.display).toBe('standalone');
  expect(manifest.icons).toEqual(
    expect.arrayContaining([
      { sizes: '192x192', type: 'image/png' },
      { sizes: '512x512', type: 'image/png' },
    ]),
  );

  await page.getByRole('button', { name: 'Download and start' }).click();
  await page.getByText('Folio now works offline.').waitFor({ timeout: 120_000 });
  await storageMeter(page).waitFor({ timeout: 120_000 });
  await useCustomModel(page, 'karpathy/stories260K');
  expect(
    await page.evaluate(
      () => navigator.serviceWorker.controller !== null || navigator.serviceWorker.ready.then(() => true),
    ),
  ).toBe(true);

  await context.setOffline(true);
  const failedOffline: string[] = [];
  // What the reload itself cuts short (the old page's idle prefetch of a lazy chunk, net::ERR_ABORTED)
  // is not the network failing: CI once saw assets/linked-….js "fail" so, served from the cache after.
  context.on('requestfailed', (r) => {
    const why = r.failure()?.errorText ?? '';
    if (why !== 'net::ERR_ABORTED') failedOffline.push(`${r.url()} (${why})`);
  });
  await page.reload();
  // The page, its workers and ONNX Runtime come from the service worker, still cross-origin
  // isolated; the models from the browser's cache; the chosen answer model is loaded again.
  await page.getByRole('heading', { name: 'New conversation' }).waitFor();
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await page
    .getByRole('button', { name: 'Answer engine: karpathy/stories260K', exact: true })
    .waitFor({ timeout: 60_000 });
  await addFiles(page, path.join(FIXTURES_DIR, 'pdf/multi_page.pdf'));
  await documentRow(page, 'multi_page.pdf').waitFor({ timeout: 120_000 });
  // Persistent storage was asked for with the first document, and the outcome is shown.
  await expect
    .poll(() => storageMeter(page).textContent())
    .toMatch(/kept until you delete it|the browser may clear it/i);
  const box = page.getByLabel('Ask a question');
  await box.fill('Who patented the typewriter?');
  await box.press('Enter');
  const turn = turns(page).first();
  await turn.locator('.answer-text').waitFor({ timeout: 60_000 });
  await waitForAnswer(page);
  expect(((await turn.locator('.answer-text').textContent()) ?? '').trim().length).toBeGreaterThan(20);
  expect(await sourcesOf(turn).first().textContent()).toMatch(/multi_page\.pdf\s*· p\. 1/);
  expect(failedOffline).toEqual([]);
  expect(errors).toEqual([]);
  // And the network really was cut: anything not already cached fails.
  expect(
    await page.evaluate(() =>
      fetch(`/models/never-cached.json?${Math.random()}`).then(
        () => 'fetched',
        () => 'failed',
      ),
    ),
  ).toBe('failed');
  await context.close();
});
