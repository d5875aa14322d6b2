import path from 'node:path';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, expect, test } from 'vitest';
import { FIXTURES_DIR } from '../../scripts/lib/paths';
import { addFiles, ask, documentNames, newRecordedPage, turns, useBrowser, waitForDocuments } from './chromium';

const browser = useBrowser({ webgpu: false });
let server: ViteDevServer | undefined;
afterAll(async () => {
  await server?.close();
});

// Problem 2: under `npm start` (Vite's dev server, React StrictMode running every effect twice)
// the conversation used to double on each reload (1 → 2 → 4 turns).
test('under the dev server (React StrictMode), reloading twice duplicates nothing', async () => {
  // The same server `npm start` runs, with the model folder the other tests use (FOLIO_MODELS).
  server = await createServer({
    root: path.resolve(import.meta.dirname, '../..'),
    logLevel: 'warn',
    configLoader: 'runner',
    mode: 'development',
    server: { host: '127.0.0.1', port: 0, strictPort: false },
  });
  await server.listen();
  const url = server.resolvedUrls!.local[0]!;
  const { context, page, errors } = await newRecordedPage(browser());
  // The dev server compiles on request: the first visit is slow.
  await page.goto(url, { timeout: 240_000 });
  await page.getByRole('button', { name: 'Download and start' }).click({ timeout: 240_000 });
  await addFiles(page, path.join(FIXTURES_DIR, 'md/wiki-ibm.md'));
  await waitForDocuments(page, 1, 240_000);
  await ask(page, 'Which company is nicknamed Big Blue?');
  for (let i = 0; i < 2; i++) {
    await page.reload();
    await turns(page).first().waitFor({ timeout: 120_000 });
    await waitForDocuments(page, 1, 120_000);
    await page.waitForTimeout(1500); // let every effect (twice, in StrictMode) run
    expect(await turns(page).count()).toBe(1);
    expect(await page.getByRole('list', { name: 'Conversations' }).getByRole('listitem').count()).toBe(1);
    expect(await documentNames(page)).toEqual(['wiki-ibm.md']);
  }
  expect(errors.filter((e) => /same key|Encountered two children/i.test(e))).toEqual([]);
  await context.close();
});
