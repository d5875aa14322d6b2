import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { FIXTURES_DIR } from '../../scripts/lib/paths';
import { ask, documentNames, libraryIntegrity, newRecordedPage, openApp, sourcesOf, useBrowser } from './chromium';

/**
 * Linked folders in the app, end to end: the Origin Private File System stands in for a folder
 * the person picks (the same FileSystemDirectoryHandle interface, real files and dates), handed
 * to the app by `window.showDirectoryPicker`. Changes are made to the files from the page, as
 * another program would make them on disk; the app finds them on its own (Chromium's
 * FileSystemObserver watches OPFS), on a visit, or on a visibility change where there is no
 * observer.
 */
const browser = useBrowser({ webgpu: false });
const FOLDER = 'Linked papers';

/** Before any of the app's scripts: the picker returns the OPFS folder; `window.opfs` edits it. */
function folderInPage(page: Page, opts: { observer?: boolean } = {}) {
  return page.addInitScript(
    ({ folder, observer }) => {
      const root = () => navigator.storage.getDirectory();
      const at = async (p: string) => {
        const parts = p.split('/');
        let dir = await (await root()).getDirectoryHandle(folder, { create: true });
        for (const part of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(part, { create: true });
        return { dir, name: parts.at(-1)! };
      };
      const w = window as unknown as Record<string, unknown>;
      w.showDirectoryPicker = async () => (await root()).getDirectoryHandle(folder, { create: true });
      w.opfs = {
        async write(p: string, data: string | number[]) {
          const { dir, name } = await at(p);
          const writable = await (await dir.getFileHandle(name, { create: true })).createWritable();
          await writable.write(typeof data === 'string' ? data : new Uint8Array(data));
          await writable.close();
        },
        async remove(p: string) {
          const { dir, name } = await at(p);
          await dir.removeEntry(name);
        },
      };
      if (!observer) Object.defineProperty(window, 'FileSystemObserver', { value: undefined });
    },
    { folder: FOLDER, observer: opts.observer ?? true },
  );
}

const write = (page: Page, p: string, data: string | Buffer) =>
  page.evaluate(
    ({ p, d }) =>
      (window as unknown as { opfs: { write(p: string, d: string | number[]): Promise<void> } }).opfs.write(p, d),
    { p, d: typeof data === 'string' ? data : [...data] },
  );
const remove = (page: Page, p: string) =>
  page.evaluate((p) => (window as unknown as { opfs: { remove(p: string): Promise<void> } }).opfs.remove(p), p);
const folderRow = (page: Page) =>
  page.getByRole('list', { name: 'Linked folders' }).getByRole('listitem').filter({ hasText: FOLDER });
const sorted = async (page: Page) => (await documentNames(page)).sort();

const ALPHA = 'Alpha particles are helium nuclei. A sheet of paper stops them.';
const BETA = 'Beta particles are fast electrons emitted in beta decay.';

async function fillFolder(page: Page) {
  await write(page, 'wiki-ibm.md', fs.readFileSync(path.join(FIXTURES_DIR, 'md/wiki-ibm.md')));
  await write(page, 'notes/alpha.txt', ALPHA);
  await write(page, 'notes/deep/beta.txt', BETA);
  // Never documents: hidden and system files.
  await write(page, '.DS_Store', 'x');
  await write(page, 'notes/Thumbs.db', 'x');
}

test('an OPFS folder linked and indexed; then a file changed, one added and one deleted, the library following each', async () => {
  const { context, page, errors } = await newRecordedPage(browser());
  await folderInPage(page);
  await openApp(page);
  await fillFolder(page);
  await page.getByRole('button', { name: 'Link a folder' }).click();
  await expect
    .poll(() => sorted(page), { timeout: 180_000 })
    .toEqual(['notes/alpha.txt', 'notes/deep/beta.txt', 'wiki-ibm.md']);
  await expect
    .poll(async () => folderRow(page).textContent(), { timeout: 30_000 })
    .toContain('3 documents · kept in sync');

  // Changed: the new version replaces the old, and answers cite it.
  await write(
    page,
    'notes/alpha.txt',
    `${ALPHA} Their range in air is only a few centimetres, unlike gamma radiation.`,
  );
  await expect
    .poll(
      async () => {
        const turn = await ask(page, 'What is the range of alpha particles in air?');
        return (await sourcesOf(turn).first().textContent()) ?? '';
      },
      { timeout: 120_000, interval: 2_000 },
    )
    .toContain('a few centimetres');
  expect(await sorted(page)).toEqual(['notes/alpha.txt', 'notes/deep/beta.txt', 'wiki-ibm.md']);

  // Added.
  await write(page, 'notes/gamma.md', '# Gamma rays\n\nGamma rays are high-energy photons emitted by excited nuclei.');
  await expect
    .poll(() => sorted(page), { timeout: 120_000 })
    .toEqual(['notes/alpha.txt', 'notes/deep/beta.txt', 'notes/gamma.md', 'wiki-ibm.md']);

  // Deleted.
  await remove(page, 'notes/deep/beta.txt');
  await expect
    .poll(() => sorted(page), { timeout: 120_000 })
    .toEqual(['notes/alpha.txt', 'notes/gamma.md', 'wiki-ibm.md']);
  await expect.poll(async () => folderRow(page).textContent(), { timeout: 30_000 }).toContain('3 documents');

  const store = await libraryIntegrity(context);
  expect(store.problems).toEqual([]);
  expect(store.names).toEqual(['notes/alpha.txt', 'notes/gamma.md', 'wiki-ibm.md']);
  expect(errors).toEqual([]);
  await context.close();
});

test('permission lost: "Reconnect folder" shown and nothing deleted; a refusal keeps it so; once granted, the folder syncs', async () => {
  const { context, page, errors } = await newRecordedPage(browser());
  await folderInPage(page);
  await openApp(page);
  await write(page, 'alpha.txt', ALPHA);
  await write(page, 'beta.txt', BETA);
  await page.getByRole('button', { name: 'Link a folder' }).click();
  await expect.poll(() => sorted(page), { timeout: 120_000 }).toEqual(['alpha.txt', 'beta.txt']);

  // The browser stops letting the page read the folder (as after a restart): queryPermission
  // answers 'prompt', and a request is refused, until the test allows it.
  await page.evaluate(() => {
    const w = window as unknown as {
      permission: { query: PermissionState; request: PermissionState; requests: number };
    };
    w.permission = { query: 'prompt', request: 'denied', requests: 0 };
    const proto = FileSystemDirectoryHandle.prototype as unknown as Record<string, unknown>;
    proto.queryPermission = async () => w.permission.query;
    proto.requestPermission = async () => {
      w.permission.requests++;
      if (w.permission.request === 'granted') w.permission.query = 'granted';
      return w.permission.request;
    };
  });
  await remove(page, 'beta.txt');
  const reconnect = folderRow(page).getByRole('button', { name: 'Reconnect folder' });
  await reconnect.waitFor({ timeout: 30_000 });
  expect(await folderRow(page).getByRole('alert').textContent()).toContain('nothing of it is removed');
  expect(await sorted(page)).toEqual(['alpha.txt', 'beta.txt']);
  // One prompt for the folder, not one per change.
  await remove(page, 'alpha.txt');
  await page.waitForTimeout(2_000);
  expect(await folderRow(page).getByRole('button', { name: 'Reconnect folder' }).count()).toBe(1);

  await reconnect.click();
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { permission: { requests: number } }).permission.requests))
    .toBe(1);
  expect(await reconnect.isVisible()).toBe(true);
  expect(await sorted(page)).toEqual(['alpha.txt', 'beta.txt']);

  await page.evaluate(() => {
    (window as unknown as { permission: { request: PermissionState } }).permission.request = 'granted';
  });
  await reconnect.click();
  await reconnect.waitFor({ state: 'detached', timeout: 30_000 });
  await expect.poll(() => sorted(page), { timeout: 60_000 }).toEqual([]);

  // On a visit without permission: the prompt again, and the library as it was.
  await write(page, 'gamma.txt', 'Gamma rays are photons.');
  await expect.poll(() => sorted(page), { timeout: 60_000 }).toEqual(['gamma.txt']);
  await page.addInitScript(() => {
    const proto = FileSystemDirectoryHandle.prototype as unknown as Record<string, unknown>;
    proto.queryPermission = async () => 'prompt';
  });
  await page.reload();
  await folderRow(page).getByRole('button', { name: 'Reconnect folder' }).waitFor({ timeout: 60_000 });
  await remove(page, 'gamma.txt');
  await page.waitForTimeout(1_000);
  expect(await sorted(page)).toEqual(['gamma.txt']);
  expect(errors).toEqual([]);
  await context.close();
});

test('without FileSystemObserver: a file added while the page was closed is indexed on the next visit, and changes are found when the tab becomes visible', async () => {
  const { context, page, errors } = await newRecordedPage(browser());
  await folderInPage(page, { observer: false });
  await openApp(page);
  await write(page, 'alpha.txt', ALPHA);
  await page.getByRole('button', { name: 'Link a folder' }).click();
  await expect.poll(() => sorted(page), { timeout: 120_000 }).toEqual(['alpha.txt']);
  await expect.poll(async () => folderRow(page).textContent()).toContain('checked every few minutes');

  await write(page, 'beta.txt', BETA);
  await page.reload();
  await expect.poll(() => sorted(page), { timeout: 120_000 }).toEqual(['alpha.txt', 'beta.txt']);

  // No observer, so nothing happens until the tab is shown again (the event a browser fires on switching back).
  await remove(page, 'alpha.txt');
  await page.waitForTimeout(1_500);
  expect(await sorted(page)).toEqual(['alpha.txt', 'beta.txt']);
  await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
  await expect.poll(() => sorted(page), { timeout: 60_000 }).toEqual(['beta.txt']);
  expect(errors).toEqual([]);
  await context.close();
});

test('a browser without the File System Access API shows "Link a folder" disabled, saying why', async () => {
  const context = await browser().newContext();
  const page = await context.newPage();
  await page.addInitScript(() => Object.defineProperty(window, 'showDirectoryPicker', { value: undefined }));
  await openApp(page);
  const button = page.getByRole('button', { name: 'Link a folder' });
  await button.waitFor();
  expect(await button.isDisabled()).toBe(true);
  expect(await page.locator(`#${await button.getAttribute('aria-describedby')}`).textContent()).toMatch(
    /cannot give web pages lasting access to a folder/,
  );
  await context.close();
});
