import path from 'node:path';
import { build } from 'vite';
import { beforeAll, expect, test } from 'vitest';
import { baseUrl, useBrowser } from './chromium';

/**
 * The linked-folder scan and sync plan (src/core/sync) on Chromium's Origin Private File System:
 * the same FileSystemDirectoryHandle interface a picked folder has, with real files, dates and
 * File snapshots. The module is bundled as it is and run in a page of the app's origin.
 */
const browser = useBrowser({ webgpu: false });
let syncModule = '';

beforeAll(async () => {
  const result = await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      write: false,
      minify: false,
      lib: { entry: path.resolve('src/core/sync/index.ts'), formats: ['iife'], name: 'folioSync' },
    },
  });
  const output = (Array.isArray(result) ? result[0]! : result) as { output: { code?: string }[] };
  syncModule = output.output[0]!.code!;
});

test('OPFS: scan (hidden, system and too-large files), then a change, a touch, an add, a rename and a delete, each decided', async () => {
  const context = await browser().newContext();
  const page = await context.newPage();
  try {
    await page.goto(baseUrl());
    await page.evaluate(`${syncModule}\nglobalThis.folioSync = folioSync;`);
    const result = await page.evaluate(async () => {
      type Sync = typeof import('../../src/core/sync');
      const sync = (globalThis as unknown as { folioSync: Sync }).folioSync;
      const root = await navigator.storage.getDirectory();
      const at = async (p: string) => {
        const parts = p.split('/');
        let dir = root;
        for (const part of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(part, { create: true });
        return { dir, name: parts.at(-1)! };
      };
      const write = async (p: string, text: string) => {
        const { dir, name } = await at(p);
        const writable = await (await dir.getFileHandle(name, { create: true })).createWritable();
        await writable.write(text);
        await writable.close();
      };
      const remove = async (p: string) => {
        const { dir, name } = await at(p);
        await dir.removeEntry(name);
      };
      const tick = () => new Promise((r) => setTimeout(r, 50)); // a new modification time
      const lines = (plan: Awaited<ReturnType<Sync['planSync']>>) =>
        plan.decisions.map((d) =>
          d.kind === 'moved'
            ? `moved ${d.known.path} → ${d.file.path}`
            : `${d.kind} ${'file' in d ? d.file.path : d.known.path}`,
        );

      await write('a.txt', 'alpha');
      await write('notes/b.md', '# B\n\nbody');
      await write('notes/deep/c.html', '<p>gamma</p>');
      await write('old-name.txt', 'content that moves');
      await write('big.txt', 'x'.repeat(2000));
      await write('.hidden.txt', 'secret');
      await write('notes/Thumbs.db', 'x');
      await write('~$lock.docx', 'x');
      const limit = { maxFileBytes: 1000 };
      const first = await sync.scanFolder(root, limit);
      if (first.status !== 'ok') throw new Error(first.reason);
      const known = await Promise.all(
        first.files.map(async (f, i) => ({
          path: f.path,
          size: f.size,
          lastModified: f.lastModified,
          hash: await sync.contentHash(f.data),
          documentId: `doc-${i}`,
        })),
      );
      const unchanged = lines(await sync.planSync(await sync.scanFolder(root, limit), known));

      await tick();
      await write('a.txt', 'alpha, longer now');
      await write('notes/b.md', '# B\n\nbody'); // saved again, same bytes
      await remove('notes/deep/c.html');
      await write('renamed.txt', 'content that moves');
      await remove('old-name.txt');
      await write('new.txt', 'brand new');
      const changed = lines(await sync.planSync(await sync.scanFolder(root, limit), known));

      // A File snapshot refuses to be read once its file changed: the comparison is left alone.
      const listing = await sync.scanFolder(root, limit);
      // new.txt is remembered with an older date, so its content must be read to compare.
      const remembered =
        listing.status === 'ok'
          ? listing.files.map((f) => ({
              path: f.path,
              size: f.size,
              lastModified: f.path === 'new.txt' ? 0 : f.lastModified,
              hash: 'older',
            }))
          : [];
      await tick();
      await write('new.txt', 'BRAND NEW');
      const raced = lines(await sync.planSync(listing, remembered));

      const permission =
        typeof (root as { queryPermission?: unknown }).queryPermission === 'function'
          ? await (root as unknown as { queryPermission(d: { mode: 'read' }): Promise<string> }).queryPermission({
              mode: 'read',
            })
          : 'absent';
      return {
        listed: first.files.map((f) => [f.path, f.size]),
        skipped: first.skipped.map((f) => [f.path, f.size, f.reason]),
        unchanged,
        changed,
        raced,
        permission,
      };
    });
    expect(result.listed).toEqual([
      ['a.txt', 5],
      ['notes/b.md', 9],
      ['notes/deep/c.html', 12],
      ['old-name.txt', 18],
    ]);
    expect(result.skipped).toEqual([['big.txt', 2000, 'too-large']]);
    expect(result.unchanged).toEqual([
      'unchanged a.txt',
      'too-large big.txt',
      'unchanged notes/b.md',
      'unchanged notes/deep/c.html',
      'unchanged old-name.txt',
    ]);
    expect(result.changed).toEqual([
      'reindex a.txt',
      'too-large big.txt',
      'add new.txt',
      'touched notes/b.md',
      'remove notes/deep/c.html',
      'moved old-name.txt → renamed.txt',
    ]);
    expect(result.raced).toEqual([
      'unchanged a.txt',
      'too-large big.txt',
      'unreadable new.txt',
      'unchanged notes/b.md',
      'unchanged renamed.txt',
    ]);
    // OPFS is always readable by its origin; a picked folder's handle can answer 'prompt' instead.
    expect(result.permission).toBe('granted');
  } finally {
    await context.close();
  }
});
