import path from 'node:path';
import type { Page, Worker } from 'playwright-core';
import { expect, test } from 'vitest';
import { FIXTURES_DIR } from '../../scripts/lib/paths';
import {
  addFiles,
  ask,
  baseUrl,
  documentRow,
  keepWhatPageShows,
  newRecordedPage,
  openApp,
  removeDocument,
  sourcePanel,
  useBrowser,
  waitForDocuments,
} from './chromium';

const browser = useBrowser({ webgpu: false });

/** Index a PDF, ask about it, open the cited passage: a whole session of use. */
async function session(page: Page) {
  await addFiles(page, path.join(FIXTURES_DIR, 'pdf/multi_page.pdf'));
  await documentRow(page, 'multi_page.pdf').waitFor({ timeout: 120_000 });
  const turn = await ask(page, 'Who patented the typewriter?');
  await turn.getByRole('button', { name: 'Source 1' }).first().click();
  await sourcePanel(page)
    .getByRole('figure', { name: 'Page 1' })
    .locator('.pdf-highlight')
    .first()
    .waitFor({ timeout: 30_000 });
  await page.keyboard.press('Escape');
  await sourcePanel(page).waitFor({ state: 'detached' });
}

test('the built app sends nothing anywhere but its own origin, its policy blocks the rest (page and workers), and cached models are not fetched again', async () => {
  const { context, page, requests, errors } = await newRecordedPage(browser());
  const response = await page.goto(baseUrl());
  const policy = response!.headers()['content-security-policy']!;
  // This build serves its models itself (FOLIO_MODELS), so no model host is allowed either: only
  // loopback, for a model server on this computer (which the app contacts only once added).
  const connect = "connect-src 'self' http://localhost:* http://127.0.0.1:*;";
  expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(policy).toContain(connect);
  expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toContain(connect);
  // Hashed assets may be kept for good; the page itself must be asked for again (new versions).
  expect(response!.headers()['cache-control']).toBe('no-cache');
  const script = await page.locator('script[type=module][src^="/assets/"]').first().getAttribute('src');
  expect((await context.request.get(`${new URL(baseUrl()).origin}${script}`)).headers()['cache-control']).toBe(
    'public, max-age=31536000, immutable',
  );

  await openApp(page);
  await session(page);
  const origin = new URL(baseUrl()).origin;
  expect(requests.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:'))).toEqual([]);
  expect(requests.some((u) => u.startsWith(`${origin}/models/`))).toBe(true); // the first visit downloads the models
  expect(errors).toEqual([]);

  // Even code that tried could not send anything elsewhere: another origin (another loopback
  // address, which the policy does not name; the violation event shows the policy stopped it) is
  // refused to the page and to the worker that fetches models, and an injected inline script does not run.
  const elsewhere = baseUrl().replace('127.0.0.1', '127.0.0.2');
  const tryToSend = async (url: string) => {
    let violations = 0;
    self.addEventListener('securitypolicyviolation', () => violations++);
    const result = await fetch(url).then(
      () => 'sent',
      () => 'blocked',
    );
    await new Promise((r) => setTimeout(r, 50));
    return { result, violated: violations > 0 };
  };
  const attempt = (where: Page | Worker) => (where as Page).evaluate(tryToSend, elsewhere);
  expect(await attempt(page)).toEqual({ result: 'blocked', violated: true });
  const worker = page.workers().find((w) => w.url().includes('library.worker'));
  expect(worker).toBeDefined();
  expect(await attempt(worker!)).toEqual({ result: 'blocked', violated: true });
  const ran = await page.evaluate(async () => {
    const script = document.createElement('script');
    script.textContent = 'window.injectedRan = true';
    document.head.append(script);
    await new Promise((r) => setTimeout(r, 50));
    return (window as { injectedRan?: boolean }).injectedRan === true;
  });
  expect(ran).toBe(false);

  // Once the models are cached, a whole new session fetches nothing from the model host.
  await page.reload();
  await waitForDocuments(page, 1, 60_000).catch(async (e) => {
    // Seen once in CI (stop 31) and not alone in five runs: keep what the page showed and said.
    await keepWhatPageShows(page, 'privacy-reload', errors);
    throw e;
  });
  const before = requests.length;
  await removeDocument(page, 'multi_page.pdf');
  await documentRow(page, 'multi_page.pdf').waitFor({ state: 'detached' });
  await session(page);
  const later = requests.slice(before);
  expect(later.filter((u) => u.includes('/models/'))).toEqual([]);
  expect(later.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:'))).toEqual([]);
  await context.close();
});
