import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { nodeDirectory } from '../../src/cli/nodeFolder';
import {
  contentHash,
  countDecisions,
  planSync,
  scanFolder,
  type FolderDirectory,
  type FolderScan,
  type KnownFile,
  type ListedFile,
  type SyncDecision,
} from '../../src/core';
import { fixture, freshLibrary } from '../../scripts/lib/library';
import { FIXTURES_DIR, FIXTURE_FILES } from '../../scripts/lib/paths';
import { stubEmbedder } from '../helpers/stubEmbedder';

// The browser's own handle type must fit the interface the scan is written against.
const browserHandleFits: FolderDirectory = null as unknown as FileSystemDirectoryHandle;
void browserHandleFits;

const MB = 1024 * 1024;
let root: string;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'folio-sync-'));
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

function write(rel: string, content: string | Uint8Array, mtime?: Date) {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  if (mtime) fs.utimesSync(file, mtime, mtime);
}

const scan = (maxFileBytes = 100 * MB) => scanFolder(nodeDirectory(root), { maxFileBytes });

/** What the library would remember after indexing everything in a scan. */
async function remember(s: FolderScan): Promise<KnownFile[]> {
  if (s.status !== 'ok') throw new Error(s.reason);
  return Promise.all(
    s.files.map(async (f, i) => ({
      path: f.path,
      size: f.size,
      lastModified: f.lastModified,
      hash: await contentHash(f.data),
      documentId: `doc-${i}`,
    })),
  );
}

/** Decisions as `kind path` lines (moves as `moved from → to`), in the order returned. */
function lines(decisions: SyncDecision[]): string[] {
  return decisions.map((d) =>
    d.kind === 'moved'
      ? `moved ${d.known.path} → ${d.file.path}`
      : `${d.kind} ${'file' in d ? d.file.path : d.known.path}`,
  );
}

describe('scanning a folder', () => {
  test('recursive, sorted by path, hidden and system files left out, sizes and dates as on disk', async () => {
    write('b.md', '# B\n\nbody');
    write('a.txt', 'alpha');
    write('sub/deeper/c.html', '<p>c</p>');
    write('sub/d.txt', 'delta');
    // Never documents: hidden files and folders, OS and Office housekeeping.
    write('.DS_Store', 'x');
    write('.git/config', '[core]');
    write('sub/.hidden.txt', 'secret');
    write('Thumbs.db', 'x');
    write('sub/desktop.ini', 'x');
    write('~$report.docx', 'lock');
    write('__MACOSX/._a.txt', 'x');
    const s = await scan();
    expect(s.status).toBe('ok');
    if (s.status !== 'ok') return;
    expect(s.files.map((f) => f.path)).toEqual(['a.txt', 'b.md', 'sub/d.txt', 'sub/deeper/c.html']);
    for (const f of s.files) {
      const stat = fs.statSync(path.join(root, f.path));
      expect(f.size).toBe(stat.size);
      expect(f.lastModified).toBe(Math.trunc(stat.mtimeMs));
      expect(new Uint8Array(await f.data.arrayBuffer())).toEqual(
        new Uint8Array(fs.readFileSync(path.join(root, f.path))),
      );
    }
    expect(s.skipped).toEqual([]);
  });

  test('files over the size limit are listed as skipped and never read (a sparse 101 MB file against the default 100 MB)', async () => {
    write('small.txt', 'fits');
    write('big/huge.txt', '');
    fs.truncateSync(path.join(root, 'big/huge.txt'), 101 * MB); // sparse: no disk space used
    const s = await scan();
    if (s.status !== 'ok') throw new Error(s.reason);
    expect(s.files.map((f) => f.path)).toEqual(['small.txt']);
    expect(s.skipped).toEqual([
      {
        path: 'big/huge.txt',
        size: 101 * MB,
        lastModified: expect.any(Number),
        reason: 'too-large',
        data: expect.any(Blob),
      },
    ]);
    // The limit is the caller's: with a smaller one, the small file is skipped too.
    const strict = await scan(3);
    expect(strict.status === 'ok' && strict.skipped.map((f) => f.path)).toEqual(['big/huge.txt', 'small.txt']);
  });

  test('a folder that is gone reports it, with no listing', async () => {
    const gone = nodeDirectory(path.join(root, 'not-there'));
    expect(await scanFolder(gone, { maxFileBytes: MB })).toEqual({
      status: 'unavailable',
      reason: expect.stringMatching(/not-there.*moved or deleted/),
    });
  });

  test('permission lost, before or during the walk: no listing at all, never a partial one', async () => {
    write('a.txt', 'alpha');
    write('sub/b.txt', 'beta');
    const real = nodeDirectory(root);
    // Chromium's picked-folder handle says 'prompt' once the permission lapses.
    const lapsed: FolderDirectory = { ...real, values: () => real.values(), queryPermission: async () => 'prompt' };
    expect(await scanFolder(lapsed, { maxFileBytes: MB })).toMatchObject({ status: 'no-permission' });
    const granted: FolderDirectory = { ...real, values: () => real.values(), queryPermission: async () => 'granted' };
    expect((await scanFolder(granted, { maxFileBytes: MB })).status).toBe('ok');
    // Revoked mid-walk: the subfolder refuses after the top-level file was listed.
    const revoked: FolderDirectory = {
      kind: 'directory',
      name: 'docs',
      async *values() {
        for await (const entry of real.values()) {
          if (entry.kind === 'directory') {
            yield {
              kind: 'directory',
              name: entry.name,
              values: () => ({
                [Symbol.asyncIterator]: () => ({
                  next: () => Promise.reject(new DOMException('The request is not allowed', 'NotAllowedError')),
                }),
              }),
            };
          } else yield entry;
        }
      },
    };
    expect(await scanFolder(revoked, { maxFileBytes: MB })).toEqual({
      status: 'no-permission',
      reason: expect.stringContaining('docs'),
    });
  });
});

describe('sync decisions', () => {
  const old = new Date('2024-01-01T00:00:00Z');
  const later = new Date('2024-06-01T00:00:00Z');

  test('every decision from one folder that changed in every way, hashing only where size and date cannot decide', async () => {
    write('same.txt', 'unchanged content', old);
    write('grown.txt', 'short', old);
    write('edited.txt', 'abcdef', old);
    write('touched.txt', 'same bytes, saved again', old);
    write('deleted.txt', 'about to go', old);
    write('renamed-from.txt', 'content that moves', old);
    write('failed.bin', 'x', old);
    const known = (await remember(await scan())).map((k) =>
      k.path === 'failed.bin' ? { path: k.path, size: k.size, lastModified: k.lastModified } : k,
    );

    write('grown.txt', 'a lot longer now', later);
    write('edited.txt', 'ABCDEF', later); // same size, new content
    write('touched.txt', 'same bytes, saved again', later);
    fs.rmSync(path.join(root, 'deleted.txt'));
    fs.renameSync(path.join(root, 'renamed-from.txt'), path.join(root, 'renamed-to.txt'));
    write('new.txt', 'brand new', later);
    const hashed: string[] = [];
    const plan = await planSync(await scan(), known, {
      hash: (f: ListedFile) => {
        hashed.push(f.path);
        return contentHash(f.data);
      },
    });
    expect(plan.status).toBe('ok');
    expect(lines(plan.decisions)).toEqual([
      'remove deleted.txt',
      'reindex edited.txt',
      'unchanged failed.bin', // failed before and unchanged: not retried
      'reindex grown.txt',
      'add new.txt',
      'moved renamed-from.txt → renamed-to.txt',
      'unchanged same.txt',
      'touched touched.txt',
    ]);
    // Unchanged files and size changes need no reading; new.txt has no vanished twin of its size.
    expect(hashed.sort()).toEqual(['edited.txt', 'renamed-to.txt', 'touched.txt']);
    const reindexed = plan.decisions.find((d) => d.kind === 'reindex' && d.file.path === 'edited.txt');
    expect(reindexed?.kind === 'reindex' && reindexed.known.documentId).toBe(
      known.find((k) => k.path === 'edited.txt')!.documentId,
    );
    expect(countDecisions(plan)).toEqual({
      add: 1,
      reindex: 2,
      remove: 1,
      unchanged: 2,
      touched: 1,
      moved: 1,
      'too-large': 0,
      unreadable: 0,
    });
  });

  test('a file that could not be indexed is retried once it changes', async () => {
    write('broken.pdf', '%PDF-1.7 truncated', old);
    const [k] = await remember(await scan());
    const failed: KnownFile = { path: k!.path, size: k!.size, lastModified: k!.lastModified };
    write('broken.pdf', '%PDF-1.7 truncated!', later);
    expect(lines((await planSync(await scan(), [failed])).decisions)).toEqual(['reindex broken.pdf']);
    // Same size, new date, no hash to compare with: indexed again rather than guessed unchanged.
    write('broken.pdf', '%PDF-1.7 truncated?', new Date('2024-07-01T00:00:00Z'));
    expect(lines((await planSync(await scan(), [{ ...failed, size: 19 }])).decisions)).toEqual(['reindex broken.pdf']);
  });

  test('a renamed file whose size matches but content differs is an add and a remove, not a move', async () => {
    write('a.txt', 'aaaa', old);
    const known = await remember(await scan());
    fs.rmSync(path.join(root, 'a.txt'));
    write('b.txt', 'bbbb', later);
    expect(lines((await planSync(await scan(), known)).decisions)).toEqual(['remove a.txt', 'add b.txt']);
  });

  test('a known file now over the size limit keeps its document (reported, not removed)', async () => {
    write('notes.txt', 'small at first', old);
    const known = await remember(await scan());
    const plan = await planSync(await scan(5), known);
    expect(plan.decisions).toEqual([
      { kind: 'too-large', file: expect.objectContaining({ path: 'notes.txt', reason: 'too-large' }), known: known[0] },
    ]);
  });

  test('a file that cannot be read while comparing is left alone until the next scan', async () => {
    write('flaky.txt', 'version one', old);
    const known = await remember(await scan());
    write('flaky.txt', 'version two', later); // same size, new date: must be hashed
    const listing = await scan();
    write('flaky.txt', 'version 3!!', new Date('2024-08-01T00:00:00Z')); // changes between listing and reading
    const plan = await planSync(listing, known);
    expect(plan.decisions).toEqual([
      {
        kind: 'unreadable',
        file: expect.objectContaining({ path: 'flaky.txt' }),
        known: known[0],
        reason: expect.any(String),
      },
    ]);
  });

  test('permission lost or folder gone: no decisions, so nothing is deleted meanwhile', async () => {
    write('a.txt', 'alpha', old);
    write('b.txt', 'beta', old);
    const known = await remember(await scan());
    const real = nodeDirectory(root);
    const lapsed: FolderDirectory = { ...real, values: () => real.values(), queryPermission: async () => 'denied' };
    expect(await planSync(await scanFolder(lapsed, { maxFileBytes: MB }), known)).toEqual({
      status: 'no-permission',
      reason: expect.any(String),
      decisions: [],
    });
    const gone = await planSync(
      await scanFolder(nodeDirectory(path.join(root, 'moved-away')), { maxFileBytes: MB }),
      known,
    );
    expect(gone).toEqual({ status: 'unavailable', reason: expect.any(String), decisions: [] });
    // Whereas a readable folder that really is empty removes everything it had.
    fs.rmSync(path.join(root, 'a.txt'));
    fs.rmSync(path.join(root, 'b.txt'));
    expect(lines((await planSync(await scan(), known)).decisions)).toEqual(['remove a.txt', 'remove b.txt']);
  });

  test("a file's content hash is the hash the library stores for its document", async () => {
    const library = await freshLibrary({ embedder: stubEmbedder() });
    try {
      const input = fixture(FIXTURE_FILES.pdf);
      const [outcome] = await library.addFiles([input]);
      expect(outcome?.status).toBe('added');
      const onDisk = await contentHash(new Uint8Array(fs.readFileSync(path.join(FIXTURES_DIR, FIXTURE_FILES.pdf))));
      expect(outcome?.status === 'added' && outcome.document.hash).toBe(onDisk);
    } finally {
      library.close();
    }
  });
});
