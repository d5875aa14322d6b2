import 'fake-indexeddb/auto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { nodeDirectory } from '../../src/cli/nodeFolder';
import { linkingUnavailable } from '../../src/app/library/useLinkedFolders';
import {
  LinkedFolders,
  openFolderStore,
  type FolderEnvironment,
  type FolderStore,
  type FolderView,
  type PickedFolder,
} from '../../src/client/folders';
import {
  memoryLocks,
  syncLinkedFolder,
  type FolderDirectory,
  type Library,
  type LinkedFile,
  type LinkedFolder,
} from '../../src/core';
import { freshLibrary } from '../../scripts/lib/library';
import { stubEmbedder } from '../helpers/stubEmbedder';

/**
 * Linked folders on a real folder on disk (behind the same interface as a browser's directory
 * handle), a real Library (fake-indexeddb; the hashing stand-in embedder, which counts what it
 * embeds) and the loop of src/client/folders.ts with a clock, visibility and observer this test
 * controls.
 */
const MB = 1024 * 1024;
let root: string;
let library: Library;
let embedder: ReturnType<typeof stubEmbedder>;

beforeEach(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'folio-linked-'));
  embedder = stubEmbedder();
  library = await freshLibrary({ embedder });
});
afterEach(() => {
  library.close();
  fs.rmSync(root, { recursive: true, force: true });
});

function write(rel: string, content: string, mtime?: Date) {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  // Each write a distinct date, as a person's saves are.
  const t = mtime ?? new Date(Date.now() + ++clock * 1000);
  fs.utimesSync(file, t, t);
}
let clock = 0;

/**
 * The folder on disk, its files handed out as in-memory Files: Node's file-backed Blobs cannot be
 * cloned into (fake) IndexedDB, where a batch keeps its files until they are stored.
 */
function inMemory(dir: FolderDirectory): FolderDirectory {
  return {
    kind: 'directory',
    name: dir.name,
    async *values() {
      for await (const entry of dir.values()) {
        if (entry.kind === 'directory') yield inMemory(entry);
        else
          yield {
            kind: 'file' as const,
            name: entry.name,
            async getFile() {
              const f = await entry.getFile();
              return new File([await f.arrayBuffer()], f.name, { lastModified: f.lastModified });
            },
          };
      }
    },
  };
}

/** The folder as a picked handle whose permission the test sets. */
function picked(
  perm: { query: PermissionState; request: PermissionState } = { query: 'granted', request: 'granted' },
): PickedFolder & { perm: typeof perm; requests: number } {
  const dir = inMemory(nodeDirectory(root, 'Papers'));
  const handle = {
    ...dir,
    perm,
    requests: 0,
    queryPermission: async () => handle.perm.query,
    async requestPermission() {
      handle.requests++;
      if (handle.perm.request === 'granted') handle.perm.query = 'granted';
      return handle.perm.request;
    },
  };
  return handle;
}

function memoryStore<H extends PickedFolder>(): FolderStore<H> & { records: Map<string, LinkedFolder<H>> } {
  const records = new Map<string, LinkedFolder<H>>();
  return {
    records,
    list: async () => [...records.values()].map((f) => ({ ...f, files: f.files.map((x) => ({ ...x })) })),
    put: async (f) => void records.set(f.id, { ...f, files: f.files.map((x) => ({ ...x })) }),
    remove: async (id) => void records.delete(id),
  };
}

/** Timers, visibility and an observer this test fires by hand. */
function fakeEnvironment(withObserver: boolean) {
  const timers = new Map<number, { fn: () => void; every?: number }>();
  let next = 0;
  const listeners = new Set<() => void>();
  const observers: { callback: (records: unknown[]) => void; observed: PickedFolder[]; disconnected: boolean }[] = [];
  const visibility = {
    visibilityState: 'visible' as DocumentVisibilityState,
    addEventListener: (_: string, l: () => void) => listeners.add(l),
    removeEventListener: (_: string, l: () => void) => listeners.delete(l),
  };
  const env: FolderEnvironment = {
    visibility: visibility as unknown as FolderEnvironment['visibility'],
    setInterval: (fn, ms) => timers.set(++next, { fn, every: ms }) && next,
    clearInterval: (id) => timers.delete(id as number),
    setTimeout: (fn) => timers.set(++next, { fn }) && next,
    clearTimeout: (id) => timers.delete(id as number),
    ...(withObserver
      ? {
          Observer: class {
            o = { callback: (_: unknown[]) => {}, observed: [] as PickedFolder[], disconnected: false };
            constructor(callback: (records: unknown[]) => void) {
              this.o.callback = callback;
              observers.push(this.o);
            }
            async observe(handle: PickedFolder) {
              this.o.observed.push(handle);
            }
            disconnect() {
              this.o.disconnected = true;
            }
          },
        }
      : {}),
  };
  return {
    env,
    observers,
    /** Runs the timers due: one-shot timeouts, and the repeating scan once. */
    fire(kind: 'timeout' | 'interval') {
      for (const [id, t] of [...timers]) {
        if ((kind === 'interval') !== (t.every !== undefined)) continue;
        if (!t.every) timers.delete(id);
        t.fn();
      }
    },
    becomeVisible() {
      visibility.visibilityState = 'visible';
      for (const l of listeners) l();
    },
    hide() {
      visibility.visibilityState = 'hidden';
      for (const l of listeners) l();
    },
  };
}

async function names() {
  return (await library.listDocuments()).map((d) => d.name).sort();
}

function loop(store: FolderStore<PickedFolder>, env: FolderEnvironment, views: FolderView[][] = []) {
  return new LinkedFolders<PickedFolder>({
    store,
    library: async () => library,
    maxFileBytes: 100 * MB,
    env,
    onChange: (v) => views.push(v),
  });
}

/** Waits until the loop has no sync under way (and the last view says so). */
async function settled(views: FolderView[][]) {
  await expect.poll(() => views.at(-1)?.every((v) => v.status.state !== 'syncing'), { timeout: 10_000 }).toBe(true);
}

describe('syncing a linked folder into the library', () => {
  test('indexed recursively; then a change, an add, a delete and a rename are each followed, and only changed content is embedded', async () => {
    write('a.txt', 'Alpha particles are helium nuclei.');
    write('notes/b.md', '# Beta\n\nBeta decay emits an electron.');
    write('notes/deep/c.txt', 'Gamma rays are photons.');
    write('move-me.txt', 'This file will be renamed without changes.');
    write('.hidden/secret.txt', 'never indexed');
    write('Thumbs.db', 'never indexed');
    const store = memoryStore<PickedFolder>();
    const views: FolderView[][] = [];
    const folders = loop(store, fakeEnvironment(false).env, views);
    await folders.start();
    const id = await folders.link(picked());

    expect(await names()).toEqual(['a.txt', 'move-me.txt', 'notes/b.md', 'notes/deep/c.txt']);
    const view = views.at(-1)![0]!;
    expect(view).toMatchObject({ id, name: 'Papers', documents: 4, status: { state: 'ready' }, watching: 'scans' });
    expect(view.lastSync).toMatchObject({ added: 4, reindexed: 0, removed: 0, embedded: 4 });
    // What the folder owns is kept with its identity (id + name), by path.
    const kept = store.records.get(id)!;
    expect(kept.name).toBe('Papers');
    expect(kept.files.map((f) => [f.path, !!f.documentId, f.hash?.length])).toEqual([
      ['a.txt', true, 64],
      ['move-me.txt', true, 64],
      ['notes/b.md', true, 64],
      ['notes/deep/c.txt', true, 64],
    ]);
    const before = new Map((await library.listDocuments()).map((d) => [d.name, d.id]));

    write('a.txt', 'Alpha particles are helium nuclei, stopped by a sheet of paper.');
    write('new.md', '# Delta\n\nA brand new note about deltas.');
    fs.rmSync(path.join(root, 'notes/deep/c.txt'));
    fs.renameSync(path.join(root, 'move-me.txt'), path.join(root, 'moved.txt'));
    write('notes/b.md', '# Beta\n\nBeta decay emits an electron.'); // saved again, same bytes
    const embeddedBefore = embedder.embedded;
    await folders.sync(id);

    const after = await library.listDocuments();
    expect(after.map((d) => d.name).sort()).toEqual(['a.txt', 'move-me.txt', 'new.md', 'notes/b.md']);
    const byName = new Map(after.map((d) => [d.name, d.id]));
    // The changed file is a new document version; untouched, re-saved and renamed files keep theirs.
    expect(byName.get('a.txt')).not.toBe(before.get('a.txt'));
    expect(byName.get('notes/b.md')).toBe(before.get('notes/b.md'));
    expect(byName.get('move-me.txt')).toBe(before.get('move-me.txt'));
    expect(await library.getDocumentText(byName.get('a.txt')!)).toContain('sheet of paper');
    expect((await library.search('sheet of paper', { mode: 'keyword' }))[0]?.docName).toBe('a.txt');
    expect((await library.search('photons', { mode: 'keyword' })).length).toBe(0);
    expect(views.at(-1)![0]!.lastSync).toMatchObject({
      added: 1,
      reindexed: 1,
      removed: 1,
      moved: 1,
      unchanged: 1,
      embedded: 2,
    });
    // Two files' passages, one each: nothing else was embedded again.
    expect(embedder.embedded - embeddedBefore).toBe(2);
    expect(store.records.get(id)!.files.map((f) => f.path)).toEqual(['a.txt', 'moved.txt', 'new.md', 'notes/b.md']);
    expect((await library.checkIntegrity()).problems).toEqual([]);

    // Nothing changed: nothing embedded, nothing stored.
    const embeddedNow = embedder.embedded;
    await folders.sync(id);
    expect(embedder.embedded).toBe(embeddedNow);
    expect(views.at(-1)![0]!.lastSync).toMatchObject({ added: 0, reindexed: 0, removed: 0, embedded: 0, unchanged: 4 });
    folders.stop();
  });

  test('a changed file that can no longer be read keeps its earlier version, says why, and is retried once it changes again', async () => {
    write('report.md', '# Report\n\nThe first version says the budget is balanced.');
    const store = memoryStore<PickedFolder>();
    const views: FolderView[][] = [];
    const folders = loop(store, fakeEnvironment(false).env, views);
    await folders.start();
    const id = await folders.link(picked());
    const first = (await library.listDocuments())[0]!;

    // Saved as binary junk under the same name: the parse fails, the old version stays searchable.
    fs.writeFileSync(path.join(root, 'report.md'), Buffer.from([0, 159, 146, 150, 0, 1, 2, 3, 0, 0, 255, 254, 0, 7]));
    fs.utimesSync(path.join(root, 'report.md'), new Date(Date.now() + 60_000), new Date(Date.now() + 60_000));
    await folders.sync(id);
    expect((await library.listDocuments()).map((d) => d.id)).toEqual([first.id]);
    expect((await library.search('budget balanced', { mode: 'keyword' }))[0]?.docName).toBe('report.md');
    const note = views.at(-1)![0]!.lastSync!.notIndexed;
    expect(note).toEqual([{ path: 'report.md', reason: expect.stringMatching(/binary|not text|cannot|could not/i) }]);

    // Not retried while it stays as it is…
    const embedded = embedder.embedded;
    await folders.sync(id);
    expect(embedder.embedded).toBe(embedded);
    // …and indexed once it is fixed.
    write('report.md', '# Report\n\nThe second version says the budget is in deficit.');
    await folders.sync(id);
    const docs = await library.listDocuments();
    expect(docs).toHaveLength(1);
    expect(docs[0]!.id).not.toBe(first.id);
    expect((await library.search('deficit', { mode: 'keyword' }))[0]?.docName).toBe('report.md');
    folders.stop();
  });

  test('permission lost: "needs permission", nothing removed even though files are gone; a refused reconnect changes nothing; a granted one syncs', async () => {
    write('a.txt', 'Alpha particles are helium nuclei.');
    write('b.txt', 'Beta particles are electrons.');
    const store = memoryStore<PickedFolder>();
    const views: FolderView[][] = [];
    const folders = loop(store, fakeEnvironment(false).env, views);
    await folders.start();
    const handle = picked();
    const id = await folders.link(handle);
    expect(await names()).toEqual(['a.txt', 'b.txt']);

    handle.perm.query = 'prompt';
    handle.perm.request = 'denied';
    fs.rmSync(path.join(root, 'b.txt'));
    await folders.sync(id);
    expect(views.at(-1)![0]!.status).toMatchObject({
      state: 'needs-permission',
      reason: expect.stringContaining('Nothing of it is removed'),
    });
    expect(await names()).toEqual(['a.txt', 'b.txt']);
    expect(store.records.get(id)!.files.map((f) => f.path)).toEqual(['a.txt', 'b.txt']);

    expect(await folders.reconnect(id)).toBe('denied');
    expect(views.at(-1)![0]!.status.state).toBe('needs-permission');
    expect(await names()).toEqual(['a.txt', 'b.txt']);

    handle.perm.request = 'granted';
    expect(await folders.reconnect(id)).toBe('granted');
    expect(handle.requests).toBe(2);
    expect(views.at(-1)![0]!.status.state).toBe('ready');
    expect(await names()).toEqual(['a.txt']);
    folders.stop();
  });

  test('a sync whose records were never saved (the tab closed) adopts the documents it stored by name, doubling nothing', async () => {
    write('a.txt', 'Alpha particles are helium nuclei.');
    write('sub/b.txt', 'Beta particles are electrons.');
    await library.addFiles([{ name: 'elsewhere.txt', data: new TextEncoder().encode('Gamma rays are photons.') }]);
    const folder: LinkedFolder = { id: 'f1', name: 'Papers', handle: picked(), linkedAt: 1, files: [] };
    const saves: LinkedFile[][] = [];
    const first = await syncLinkedFolder(folder, library, { maxFileBytes: MB, save: async (f) => void saves.push(f) });
    expect(first.status).toBe('ok');
    // The same content as a document the user added: reported, and not the folder's to remove.
    write('copy.txt', 'Gamma rays are photons.');
    const embedded = embedder.embedded;
    const again = await syncLinkedFolder(folder, library, { maxFileBytes: MB, save: async () => {} });
    if (again.status !== 'ok') throw new Error(again.reason);
    expect(embedder.embedded).toBe(embedded);
    expect(again.files.map((f) => [f.path, !!f.documentId])).toEqual([
      ['a.txt', true],
      ['copy.txt', false],
      ['sub/b.txt', true],
    ]);
    expect(again.summary.notIndexed).toEqual([
      { path: 'copy.txt', reason: 'the same content is already in your library as “elsewhere.txt”' },
    ]);
    expect(await names()).toEqual(['a.txt', 'elsewhere.txt', 'sub/b.txt']);
    // Deleting the copy leaves the user's own document alone.
    fs.rmSync(path.join(root, 'copy.txt'));
    const third = await syncLinkedFolder({ ...folder, files: again.files }, library, {
      maxFileBytes: MB,
      save: async () => {},
    });
    expect(third.status).toBe('ok');
    expect(await names()).toEqual(['a.txt', 'elsewhere.txt', 'sub/b.txt']);
  });

  test('a folder that is gone is "unavailable": its documents stay', async () => {
    write('a.txt', 'Alpha particles are helium nuclei.');
    const store = memoryStore<PickedFolder>();
    const views: FolderView[][] = [];
    const folders = loop(store, fakeEnvironment(false).env, views);
    await folders.start();
    const id = await folders.link(picked());
    fs.rmSync(root, { recursive: true, force: true });
    await folders.sync(id);
    expect(views.at(-1)![0]!.status).toMatchObject({
      state: 'unavailable',
      reason: expect.stringContaining('Its documents stay'),
    });
    expect(await names()).toEqual(['a.txt']);
    folders.stop();
  });

  test('unlinking keeps the documents unless asked to remove them', async () => {
    write('a.txt', 'Alpha particles are helium nuclei.');
    const store = memoryStore<PickedFolder>();
    const folders = loop(store, fakeEnvironment(false).env);
    await folders.start();
    const id = await folders.link(picked());
    await folders.unlink(id, false);
    expect(store.records.size).toBe(0);
    expect(await names()).toEqual(['a.txt']);
    const again = await folders.link(picked());
    expect(await names()).toEqual(['a.txt']);
    await folders.unlink(again, true);
    expect(await names()).toEqual([]);
    folders.stop();
  });
});

describe('when a linked folder is synced', () => {
  test('on each visit: a file added while the page was closed is indexed when the loop starts', async () => {
    write('a.txt', 'Alpha particles are helium nuclei.');
    const store = memoryStore<PickedFolder>();
    const first = loop(store, fakeEnvironment(false).env);
    await first.start();
    await first.link(picked());
    first.stop();
    write('b.txt', 'Beta particles are electrons.');
    // A handle read back from storage (Chromium gives a stored handle back with its methods).
    for (const r of store.records.values()) r.handle = picked();
    const views: FolderView[][] = [];
    const second = loop(store, fakeEnvironment(false).env, views);
    await second.start();
    expect(await names()).toEqual(['a.txt', 'b.txt']);
    expect(views.at(-1)![0]!.lastSync).toMatchObject({ added: 1 });
    second.stop();
  });

  test('with FileSystemObserver: a burst of change records gives one sync after they settle', async () => {
    write('a.txt', 'Alpha particles are helium nuclei.');
    const fake = fakeEnvironment(true);
    const views: FolderView[][] = [];
    const folders = loop(memoryStore<PickedFolder>(), fake.env, views);
    await folders.start();
    await folders.link(picked());
    expect(fake.observers).toHaveLength(1);
    expect(fake.observers[0]!.observed.map((h) => h.name)).toEqual(['Papers']);
    expect(views.at(-1)![0]!.watching).toBe('observer');

    write('b.txt', 'Beta particles are electrons.');
    write('c.txt', 'Gamma rays are photons.');
    const syncs = () => views.filter((v) => v[0]?.status.state === 'syncing' && v[0].status.total === 0).length;
    const before = syncs();
    for (let i = 0; i < 3; i++) fake.observers[0]!.callback([{ type: 'appeared' }]);
    // The observed folder is not scanned on visibility or by the interval.
    fake.becomeVisible();
    fake.fire('interval');
    expect(syncs()).toBe(before);
    fake.fire('timeout');
    await settled(views);
    expect(syncs()).toBe(before + 1);
    expect(await names()).toEqual(['a.txt', 'b.txt', 'c.txt']);
    folders.stop();
    expect(fake.observers[0]!.disconnected).toBe(true);
  });

  test('without it: a scan when the tab becomes visible and on the interval while visible, none while hidden', async () => {
    write('a.txt', 'Alpha particles are helium nuclei.');
    const fake = fakeEnvironment(false);
    const views: FolderView[][] = [];
    const folders = loop(memoryStore<PickedFolder>(), fake.env, views);
    await folders.start();
    await folders.link(picked());
    write('b.txt', 'Beta particles are electrons.');
    fake.hide();
    fake.fire('interval');
    await settled(views);
    expect(await names()).toEqual(['a.txt']);
    fake.becomeVisible();
    await settled(views);
    await expect.poll(names).toEqual(['a.txt', 'b.txt']);
    write('c.txt', 'Gamma rays are photons.');
    fake.fire('interval');
    await expect.poll(names).toEqual(['a.txt', 'b.txt', 'c.txt']);
    folders.stop();
  });
});

describe('two tabs on one linked folder', () => {
  test('take turns (Web Locks) and each starts from what the other stored: every file embedded once, no document doubled', async () => {
    for (let i = 0; i < 12; i++) write(`f${i}.txt`, `File number ${i} is about topic ${i * 7}.`);
    const store = memoryStore<PickedFolder>();
    const locks = memoryLocks();
    const tab = () => loop(store, { ...fakeEnvironment(false).env, locks });
    const a = tab();
    await a.start();
    const id = await a.link(picked());
    write('new-1.txt', 'A first new file.');
    write('new-2.txt', 'A second new file.');
    const b = tab();
    const embedded = embedder.embedded;
    // The second tab opens (a visit sync) while the first checks for changes.
    await Promise.all([b.start(), a.sync(id)]);
    expect(embedder.embedded - embedded).toBe(2);
    const docs = await library.listDocuments();
    expect(docs).toHaveLength(14);
    expect(new Set(docs.map((d) => d.name)).size).toBe(14);
    expect(store.records.get(id)!.files.filter((f) => f.documentId)).toHaveLength(14);
    a.stop();
    b.stop();
  });
});

describe('the linked folders store', () => {
  test('records read back are checked: a damaged record is skipped, damaged file entries are dropped', async () => {
    type Stand = PickedFolder & { kind: 'directory'; name: string };
    // IndexedDB clones data, not methods: the test's stand-in handle is plain data its check accepts.
    const isHandle = (h: unknown): h is Stand =>
      !!h &&
      typeof h === 'object' &&
      (h as { kind?: unknown }).kind === 'directory' &&
      typeof (h as { name?: unknown }).name === 'string';
    const name = `folders-${process.pid}-${Date.now()}`;
    const store = await openFolderStore<Stand>({ name, isHandle });
    const handle = { kind: 'directory', name: 'Papers' } as Stand;
    const hash = 'a'.repeat(64);
    await store.put({
      id: 'good',
      name: 'Papers',
      handle,
      linkedAt: 5,
      files: [
        { path: 'a.txt', size: 3, lastModified: 1, hash, documentId: 'd1' },
        { path: 'b.txt', size: -1, lastModified: 1 },
        { path: '/abs.txt', size: 1, lastModified: 1 },
        { path: 'c.txt', size: 1, lastModified: 1, hash: 'not-a-hash' },
        { path: 'd.txt', size: 1, lastModified: 1, note: 'over the 100 MB size limit' },
      ] as LinkedFile[],
      lastSync: { at: 1, added: 1, reindexed: 0, removed: 0, moved: 0, unchanged: 0, embedded: 1, notIndexed: [] },
    });
    await store.put({
      id: 'no-handle',
      name: 'Lost',
      handle: { kind: 'file' } as unknown as Stand,
      linkedAt: 1,
      files: [],
    });
    await store.put({
      id: 'bad-files',
      name: 'Odd',
      handle,
      linkedAt: 1,
      files: 'all of them' as unknown as LinkedFile[],
    });
    const read = await store.list();
    expect(read.map((f) => f.id)).toEqual(['good']);
    expect(read[0]!.files).toEqual([
      { path: 'a.txt', size: 3, lastModified: 1, hash, documentId: 'd1' },
      { path: 'd.txt', size: 1, lastModified: 1, note: 'over the 100 MB size limit' },
    ]);
    expect(read[0]!.lastSync?.added).toBe(1);
    await store.remove('good');
    expect(await store.list()).toEqual([]);
    store.close();
  });

  test('where the browser has no File System Access API, linking says why', () => {
    expect(linkingUnavailable({})).toMatch(/cannot give web pages lasting access to a folder.*Chrome, Edge/);
    expect(linkingUnavailable({ showDirectoryPicker: () => {} })).toBeNull();
  });
});
