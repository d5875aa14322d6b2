import path from 'node:path';
import { expect, test } from 'vitest';
import { FIXTURES_DIR, FIXTURE_FILES } from '../../scripts/lib/paths';
import {
  addFiles,
  ask,
  libraryIntegrity,
  newRecordedPage,
  openApp,
  openFromAppMenu,
  sourcesOf,
  useBrowser,
  waitForDocuments,
} from './chromium';

const browser = useBrowser({ webgpu: false });

test('changing the search model re-embeds the library with progress, and search keeps working (and is kept across a reload)', async () => {
  const { context, page, errors } = await newRecordedPage(browser());
  await openApp(page);
  await addFiles(
    page,
    [FIXTURE_FILES.markdown, FIXTURE_FILES.pdf, FIXTURE_FILES.text].map((f) => path.join(FIXTURES_DIR, f)),
  );
  await waitForDocuments(page, 3);
  // Watch the re-embedding progress as it is rendered.
  await page.evaluate(() => {
    const w = window as unknown as { reembedSeen: string[] };
    w.reembedSeen = [];
    new MutationObserver(() => {
      const status = [...document.querySelectorAll('[role=status]')].find((e) =>
        e.textContent?.startsWith('Re-embedding'),
      );
      if (status) w.reembedSeen.push(status.textContent!);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });

  const settings = await openFromAppMenu(page, 'Settings…', 'Settings');
  await settings.getByLabel('Search model').selectOption('Xenova/bge-small-en-v1.5');
  await settings.getByRole('button', { name: 'Done' }).click();
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { reembedSeen: string[] }).reembedSeen.length), {
      timeout: 120_000,
    })
    .toBeGreaterThan(0);
  // Shown beside the library while it runs, with the settings closed.
  await page
    .getByRole('status')
    .filter({ hasText: 'Re-embedding' })
    .first()
    .waitFor({ state: 'detached', timeout: 120_000 });
  const seen = await page.evaluate(() => (window as unknown as { reembedSeen: string[] }).reembedSeen);
  expect(seen.some((t) => /of 3 documents$/.test(t))).toBe(true);

  const turn = await ask(page, 'Who patented the typewriter?');
  expect(await sourcesOf(turn).locator('cite').first().textContent()).toBe('multi_page.pdf');

  await page.reload();
  const again = await openFromAppMenu(page, 'Settings…', 'Settings');
  // The select itself: while the model loads, its download progress bar has the same name.
  expect(await again.getByRole('combobox', { name: 'Search model' }).inputValue()).toBe('Xenova/bge-small-en-v1.5');
  expect((await libraryIntegrity(context)).problems).toEqual([]);
  expect(errors).toEqual([]);
  await context.close();
});
