import 'fake-indexeddb/auto';
import { afterEach, describe, expect, test, vi } from 'vitest';
import {
  chunkDocument,
  memoryLocks,
  openLibrary,
  parseBytes,
  type IndexProgress,
  type Library,
  type LibraryOptions,
} from '../../src/core';
import { LibraryStore } from '../../src/core/store/store';
import { fixture } from '../../scripts/lib/library';
import { FIXTURE_FILES } from '../../scripts/lib/paths';
import { stubEmbedder } from '../helpers/stubEmbedder';

const open: Library[] = [];
afterEach(() => {
  while (open.length) open.pop()!.close();
});
let counter = 0;
async function library(opts: Partial<LibraryOptions> & { name: string }) {
  const lib = await openLibrary({ embedder: stubEmbedder(), ...opts });
  open.push(lib);
  return lib;
}

/** A text file of `n` paragraphs of 130 distinct words: one passage each with the default chunking. */
function bigText(n: number): { name: string; data: Uint8Array } {
  const paragraphs = Array.from({ length: n }, (_, p) =>
    Array.from(
      { length: 13 },
      (_, s) =>
        `Paragraph ${p} sentence ${s} tells how ledger item w${p}x${s} was checked on day ${(p * 13 + s) % 97}.`,
    ).join(' '),
  );
  return { name: 'ledger.txt', data: new TextEncoder().encode(paragraphs.join('\n\n')) };
}

describe('interrupted batches are told apart from live and finished ones (issue 11, problem 11)', () => {
  test('a tab watching while another adds never sees that batch as interrupted, during or after it, round after round', async () => {
    const name = `race-${++counter}`;
    const locks = memoryLocks(); // two tabs of one browser share its lock manager
    const adder = await library({ name, locks });
    const watcher = await library({ name, locks });
    const seen: string[] = [];
    for (let round = 0; round < 6; round++) {
      // New content each round, so every file is indexed (not recognised as a duplicate).
      const files = ['alpha', 'beta', 'gamma'].map((w) => ({
        name: `${w}-${round}.txt`,
        data: new TextEncoder().encode(`Round ${round}: the ${w} report lists ${round} findings. `.repeat(40)),
      }));
      let adding = true;
      const watch = async (lib: Library, who: string) => {
        while (adding) {
          const listed = await lib.listInterrupted();
          if (listed.length) seen.push(`${who}, round ${round}: ${listed.map((f) => f.name).join(', ')}`);
          await new Promise((r) => setTimeout(r, 0));
        }
      };
      // The app's own sequence on opening: look now, and again once pending batches settle.
      const settled = watcher.pendingSettled().then(() => watcher.listInterrupted());
      const watching = [watch(watcher, 'other tab'), watch(adder, 'same tab')];
      const out = await adder.addFiles(files);
      adding = false;
      await Promise.all(watching);
      expect(out.map((o) => o.status)).toEqual(['added', 'added', 'added']);
      expect(await settled).toEqual([]);
      await watcher.pendingSettled();
      expect(await watcher.listInterrupted()).toEqual([]);
      expect(await adder.listInterrupted()).toEqual([]);
    }
    expect(seen).toEqual([]);
  });

  test('a tab that died is told apart from one still working: only the dead one’s files are offered, and resuming takes them over', async () => {
    const name = `dead-and-alive-${++counter}`;
    const browser = memoryLocks();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const dead = await library({
      name,
      locks: memoryLocks(),
      embedder: stubEmbedder({ beforeBatch: () => new Promise(() => {}) }),
    });
    const alive = await library({ name, locks: browser, embedder: stubEmbedder({ beforeBatch: () => gate }) });
    const observer = await library({ name, locks: browser });
    let deadEmbedding = false;
    let aliveEmbedding = false;
    void dead.addFiles([fixture(FIXTURE_FILES.markdown)], (p) => (deadEmbedding ||= p.stage === 'embedding'));
    const adding = alive.addFiles([fixture(FIXTURE_FILES.text)], (p) => (aliveEmbedding ||= p.stage === 'embedding'));
    await vi.waitFor(() => expect(deadEmbedding && aliveEmbedding).toBe(true));
    expect((await observer.listInterrupted()).map((f) => f.name)).toEqual(['wiki-ibm.md']);
    const resumed = observer.resumeInterrupted();
    release();
    expect((await resumed).map((o) => o.status)).toEqual(['added']);
    expect((await adding).map((o) => o.status)).toEqual(['added']);
    expect(await observer.listInterrupted()).toEqual([]);
    const after = await library({ name, locks: browser });
    expect((await after.listDocuments()).map((d) => d.name).sort()).toEqual(['war-and-peace-1p.txt', 'wiki-ibm.md']);
    expect((await after.checkIntegrity()).problems).toEqual([]);
  });
});

describe('a big file interrupted mid-way resumes where it stopped', () => {
  test('961 passages, the tab closed at 320: resuming embeds the other 641, and the document is the same as one indexed in one go', async () => {
    const name = `resume-${++counter}`;
    const file = bigText(961);
    const embedder = stubEmbedder();
    // The file's passages, as the library will cut them.
    const parsed = await parseBytes(file.data, file.name);
    expect(chunkDocument(parsed, (t) => embedder.countTokens(t)).length).toBe(961);

    // The first tab stops for good once 320 passages are embedded: closed mid-file.
    const first = stubEmbedder({ beforeBatch: () => (first.embedded >= 320 ? new Promise(() => {}) : undefined) });
    const closing = await library({ name, embedder: first, locks: memoryLocks() });
    const seen: IndexProgress[] = [];
    void closing.addFiles([file], (p) => seen.push(p));
    const store = await LibraryStore.open(name);
    try {
      await vi.waitFor(async () => expect((await store.listPending())[0]?.progress?.done).toBe(320), {
        timeout: 10_000,
      });
    } finally {
      store.close();
    }
    const embedding = seen.filter((p) => p.stage === 'embedding');
    expect(embedding.at(-1)).toMatchObject({ done: 320, total: 961, device: 'cpu' });
    expect(embedding.at(-1)!.secondsLeft).toBeGreaterThanOrEqual(0);

    const second = stubEmbedder();
    const reopened = await library({ name, embedder: second });
    expect((await reopened.listInterrupted()).map((f) => f.name)).toEqual(['ledger.txt']);
    const progress: IndexProgress[] = [];
    const out = await reopened.resumeInterrupted((p) => progress.push(p));
    expect(out.map((o) => o.status)).toEqual(['added']);
    expect(second.embedded).toBe(961 - 320);
    expect(progress.find((p) => p.stage === 'embedding')).toMatchObject({ done: 320, total: 961 });
    expect(await reopened.listInterrupted()).toEqual([]);

    // The same file indexed in one go, elsewhere: the same vectors, bit for bit.
    const reference = await library({ name: `resume-reference-${counter}` });
    const [added] = await reference.addFiles([file]);
    const [doc] = await reopened.listDocuments();
    const vectorsOf = async (db: string, id: string) => {
      const s = await LibraryStore.open(db);
      try {
        return (await s.documentBundle(id))!.vectors.map((b) => b.vectors);
      } finally {
        s.close();
      }
    };
    expect(added!.status === 'added' && (await vectorsOf(`resume-reference-${counter}`, added!.document.id))).toEqual(
      await vectorsOf(name, doc!.id),
    );
    expect(doc!.chunkCount).toBe(961);
    expect((await reopened.checkIntegrity()).problems).toEqual([]);
  });

  test('vectors kept for other passages (the passage size changed meanwhile) are not used: the file is embedded from the start', async () => {
    const name = `resume-changed-${++counter}`;
    const first = stubEmbedder({ beforeBatch: () => (first.embedded >= 128 ? new Promise(() => {}) : undefined) });
    const closing = await library({ name, embedder: first, locks: memoryLocks() });
    void closing.addFiles([bigText(300)]);
    const store = await LibraryStore.open(name);
    try {
      await vi.waitFor(async () => expect((await store.listPending())[0]?.progress?.done).toBe(128), {
        timeout: 10_000,
      });
    } finally {
      store.close();
    }
    const second = stubEmbedder();
    const reopened = await library({ name, embedder: second, chunking: { maxTokens: 100, overlapTokens: 0 } });
    const out = await reopened.resumeInterrupted();
    expect(out.map((o) => o.status)).toEqual(['added']);
    const [doc] = await reopened.listDocuments();
    expect(second.embedded).toBe(doc!.chunkCount);
    expect(doc!.chunkCount).toBeGreaterThan(300);
    expect((await reopened.checkIntegrity()).problems).toEqual([]);
  });
});
