import { describe, expect, test } from 'vitest';
import type { Library } from '../../src/core';
import { fixture, freshLibrary } from '../../scripts/lib/library';
import { FIXTURE_FILES } from '../../scripts/lib/paths';
import { stubEmbedder } from '../helpers/stubEmbedder';

// Membership, counts, scoping and what backups carry are pipeline behaviour: the stand-in embedder
// keeps it fast. Scoping is shown on the keyword ranking, the vector ranking and their fusion.
const embedder = stubEmbedder();
const IBM = fixture(FIXTURE_FILES.markdown);
const DUCK = fixture(FIXTURE_FILES.html);
const TOLSTOY = fixture(FIXTURE_FILES.text);
const PDF = fixture(FIXTURE_FILES.pdf);

async function withLibrary(run: (lib: Library) => Promise<void>): Promise<void> {
  const lib = await freshLibrary({ embedder });
  try {
    await run(lib);
  } finally {
    lib.close();
  }
}

const idOf = async (lib: Library, name: string) => (await lib.listDocuments()).find((d) => d.name === name)!.id;

describe('collections', () => {
  test('create, rename, delete: names are checked; counts, passages and storage are per collection', () =>
    withLibrary(async (lib) => {
      const work = await lib.createCollection('  Work   papers ');
      expect(work).toMatchObject({ name: 'Work papers', documents: 0, chunks: 0, bytes: 0 });
      await expect(lib.createCollection('work PAPERS')).rejects.toThrow(/already a collection called “Work papers”/);
      await expect(lib.createCollection('   ')).rejects.toThrow(/needs a name/);
      const home = await lib.createCollection('Home');

      const [ibm, duck] = await lib.addFiles([IBM, DUCK], undefined, { collection: work.id });
      expect(ibm!.status).toBe('added');
      expect(duck!.status).toBe('added');
      await lib.addFiles([TOLSTOY]);
      const docs = await lib.listDocuments();
      for (const d of docs) expect(d.storedBytes).toBeGreaterThan(d.size);
      const ibmDoc = docs.find((d) => d.name === 'wiki-ibm.md')!;
      const duckDoc = docs.find((d) => d.name === 'wiki_duck.html')!;
      expect(ibmDoc.collections).toEqual([work.id]);
      expect(docs.find((d) => d.name === 'war-and-peace-1p.txt')!.collections).toEqual([]);

      // One document in two collections counts in both.
      expect(await lib.addToCollection(home.id, [duckDoc.id])).toBe(1);
      expect(await lib.addToCollection(home.id, [duckDoc.id])).toBe(0);
      const listed = await lib.listCollections();
      expect(listed.map((c) => [c.name, c.documents, c.chunks, c.bytes])).toEqual([
        ['Home', 1, duckDoc.chunkCount, duckDoc.storedBytes],
        ['Work papers', 2, ibmDoc.chunkCount + duckDoc.chunkCount, ibmDoc.storedBytes! + duckDoc.storedBytes!],
      ]);

      await expect(lib.renameCollection(home.id, 'Work Papers')).rejects.toThrow(/already/);
      expect((await lib.renameCollection(home.id, 'Personal')).name).toBe('Personal');

      // Deleting a collection leaves its documents in the library (and in their other collections).
      expect(await lib.deleteCollection(work.id)).toEqual({ removedDocuments: [] });
      expect((await lib.listDocuments()).length).toBe(3);
      expect((await lib.listDocuments()).find((d) => d.id === duckDoc.id)!.collections).toEqual([home.id]);
      expect((await lib.listCollections()).map((c) => c.name)).toEqual(['Personal']);
      expect((await lib.checkIntegrity()).problems).toEqual([]);
      await expect(lib.renameCollection(work.id, 'Again')).rejects.toThrow(/no longer exists/);
    }));

  test('deleting with its documents removes those in no other collection, in one go; the rest stay', () =>
    withLibrary(async (lib) => {
      const a = await lib.createCollection('A');
      const b = await lib.createCollection('B');
      await lib.addFiles([IBM, DUCK, TOLSTOY], undefined, { collection: a.id });
      await lib.addToCollection(b.id, [await idOf(lib, 'wiki_duck.html')]);
      const { removedDocuments } = await lib.deleteCollection(a.id, { removeDocuments: true });
      expect(removedDocuments.length).toBe(2);
      expect((await lib.listDocuments()).map((d) => [d.name, d.collections])).toEqual([['wiki_duck.html', [b.id]]]);
      expect((await lib.checkIntegrity()).problems).toEqual([]);
      expect(await lib.search('Which company is nicknamed Big Blue?', { k: 5, mode: 'keyword' })).toEqual(
        await lib.search('Which company is nicknamed Big Blue?', { k: 5, mode: 'keyword', collections: [b.id] }),
      );
    }));

  test('adding into a collection: a file already in the library joins it; re-indexing keeps its collections; removing takes it out only', () =>
    withLibrary(async (lib) => {
      const a = await lib.createCollection('A');
      await lib.addFiles([IBM]);
      const [again, fresh] = await lib.addFiles([IBM, DUCK], undefined, { collection: a.id });
      expect(again!.status).toBe('duplicate');
      expect(fresh!.status).toBe('added');
      expect((await lib.listCollections())[0]!.documents).toBe(2);
      const ibmId = await idOf(lib, 'wiki-ibm.md');
      const reindexed = await lib.reindex(ibmId);
      expect(reindexed.status).toBe('added');
      if (reindexed.status === 'added') expect(reindexed.document.collections).toEqual([a.id]);
      expect((await lib.listCollections())[0]!.documents).toBe(2);
      const newId = await idOf(lib, 'wiki-ibm.md');
      expect(await lib.removeFromCollection(a.id, [newId])).toBe(1);
      expect((await lib.listDocuments()).length).toBe(2);
      await expect(lib.addFiles([TOLSTOY], undefined, { collection: 'no-such-collection' })).rejects.toThrow(
        /no longer exists/,
      );
    }));

  test('search and answers scoped to one, several or all collections, inside the ranking rather than after the top k', () =>
    withLibrary(async (lib) => {
      const animals = await lib.createCollection('Animals');
      const novels = await lib.createCollection('Novels');
      await lib.addFiles([IBM, PDF]);
      await lib.addFiles([DUCK], undefined, { collection: animals.id });
      await lib.addFiles([TOLSTOY], undefined, { collection: novels.id });
      const duckId = await idOf(lib, 'wiki_duck.html');
      const tolstoyId = await idOf(lib, 'war-and-peace-1p.txt');
      const q = 'Which company is nicknamed Big Blue?';
      for (const mode of ['keyword', 'dense', 'hybrid'] as const) {
        const all = await lib.search(q, { k: 1, mode });
        expect(all[0]!.docName).toBe('wiki-ibm.md');
        expect(await lib.search(q, { k: 1, mode, collections: undefined })).toEqual(all);
        // The whole library's top 1 is the IBM page; scoped, the best passage of the collection
        // still comes back, which filtering the top k afterwards could not do.
        const scoped = await lib.search(q, { k: 1, mode, collections: [animals.id] });
        if (mode !== 'keyword') expect(scoped.length).toBe(1);
        for (const h of scoped) expect(h.docId).toBe(duckId);
        const both = await lib.search('ducks Prince Vasili Anna Pavlovna', {
          k: 20,
          mode,
          collections: [animals.id, novels.id],
        });
        expect(new Set(both.map((h) => h.docId))).toEqual(new Set([duckId, tolstoyId]));
        expect(await lib.search(q, { k: 3, mode, collections: [] })).toEqual([]);
      }
      const keywordScoped = await lib.search('Where did Prince Vasili go?', {
        k: 1,
        mode: 'keyword',
        collections: [novels.id],
      });
      expect(keywordScoped[0]!.docId).toBe(tolstoyId);
      // The passages an answer reads come from the scope too.
      const passages = await lib.context('What do ducks eat?', { k: 4, collections: [novels.id], budgetTokens: 600 });
      expect(passages.length).toBeGreaterThan(0);
      for (const p of passages) expect(p.docId).toBe(tolstoyId);
      // Within a collection and a document list at once: both limits hold.
      expect(await lib.search(q, { k: 3, collections: [animals.id], documents: [tolstoyId] })).toEqual([]);
    }));

  test('backups carry collections and restore them; content already there joins the collections it had', async () => {
    const source = await freshLibrary({ embedder });
    const target = await freshLibrary({ embedder });
    try {
      const work = await source.createCollection('Work');
      const home = await source.createCollection('Home');
      await source.addFiles([IBM, PDF], undefined, { collection: work.id });
      await source.addFiles([DUCK], undefined, { collection: home.id });
      await source.addToCollection(home.id, [await idOf(source, 'wiki-ibm.md')]);
      await source.addFiles([TOLSTOY]);
      const file = await source.exportBackup();

      // The target already has the duck page, and its own collection named Work.
      const own = await target.createCollection('Work');
      await target.addFiles([DUCK], undefined, { collection: own.id });
      const restored = await target.importBackup(file);
      expect(restored).toMatchObject({ added: 3, duplicates: 1 });
      const collections = await target.listCollections();
      expect(collections.map((c) => [c.name, c.documents])).toEqual([
        ['Home', 2],
        ['Work', 1],
        ['Work (2)', 2],
      ]);
      expect(collections.find((c) => c.name === 'Work (2)')!.id).toBe(work.id);
      const duck = (await target.listDocuments()).find((d) => d.name === 'wiki_duck.html')!;
      expect(new Set(duck.collections)).toEqual(new Set([own.id, home.id]));
      for (const mode of ['keyword', 'dense', 'hybrid'] as const) {
        expect(
          await target.search('Which company is nicknamed Big Blue?', { k: 5, mode, collections: [work.id] }),
        ).toEqual(await source.search('Which company is nicknamed Big Blue?', { k: 5, mode, collections: [work.id] }));
      }
      expect((await target.checkIntegrity()).problems).toEqual([]);
      // Restoring again changes nothing.
      await target.importBackup(file);
      expect((await target.listCollections()).map((c) => [c.name, c.documents])).toEqual(
        collections.map((c) => [c.name, c.documents]),
      );
    } finally {
      source.close();
      target.close();
    }
  });

  test('a library file opens as a read-only collection, checked whole first, and updates when its file changes', async () => {
    const publisher = await freshLibrary({ embedder });
    const reader = await freshLibrary({ embedder });
    try {
      await publisher.addFiles([IBM, DUCK]);
      const v1 = await publisher.exportBackup();
      await reader.addFiles([TOLSTOY]);

      // A damaged file stores nothing at all.
      const bytes = new Uint8Array(await v1.arrayBuffer());
      await expect(
        reader.importLibraryFile(new Blob([bytes.slice(0, bytes.length - 500)]), {
          source: { fileName: 'team.folio' },
        }),
      ).rejects.toThrow(/incomplete/);
      await expect(
        reader.importLibraryFile(new Blob(['hello']), { source: { fileName: 'team.folio' } }),
      ).rejects.toThrow(/not a Folio/);
      expect((await reader.listDocuments()).length).toBe(1);
      expect(await reader.listCollections()).toEqual([]);

      const progress: number[] = [];
      const first = await reader.importLibraryFile(
        v1,
        { source: { url: 'https://example.org/team.folio', etag: '"1"' } },
        (done) => progress.push(done),
      );
      expect(progress).toEqual([1, 2]);
      expect(first).toMatchObject({ added: 2, duplicates: 0, removed: 0, unchanged: false, otherModel: 0 });
      expect(first.collection).toMatchObject({
        name: 'team',
        readOnly: true,
        documents: 2,
        source: { url: 'https://example.org/team.folio', etag: '"1"' },
      });
      expect(first.collection.source!.sha256).toMatch(/^[0-9a-f]{64}$/);
      const id = first.collection.id;
      const q = 'Which company is nicknamed Big Blue?';
      // The same passages as the publisher's own library (scores differ a little: the keyword
      // statistics are the reader's whole library's).
      const passages = (hits: { docName: string; chunkIndex: number }[]) => hits.map((h) => [h.docName, h.chunkIndex]);
      expect(passages(await reader.search(q, { k: 3, collections: [id] }))).toEqual(
        passages(await publisher.search(q, { k: 3 })),
      );

      // Read-only: nothing goes in or out except with the file.
      const ibmId = await idOf(reader, 'wiki-ibm.md');
      await expect(reader.removeDocument(ibmId)).rejects.toThrow(/came with the library file “team”/);
      await expect(reader.addToCollection(id, [await idOf(reader, 'war-and-peace-1p.txt')])).rejects.toThrow(
        /comes from a library file/,
      );
      await expect(reader.addFiles([PDF], undefined, { collection: id })).rejects.toThrow(/library file/);

      // The same file again: recognised by its hash, nothing read.
      expect(await reader.importLibraryFile(v1, { source: { url: 'https://example.org/team.folio' } })).toMatchObject({
        unchanged: true,
        added: 0,
      });

      // A new version: one document gone, one new; the collection follows, the rest of the library stays.
      await publisher.removeDocument(await idOf(publisher, 'wiki_duck.html'));
      await publisher.addFiles([PDF]);
      const v2 = await publisher.exportBackup();
      const second = await reader.importLibraryFile(v2, {
        source: { url: 'https://example.org/team.folio', etag: '"2"' },
      });
      expect(second).toMatchObject({ added: 1, duplicates: 1, removed: 1, unchanged: false });
      expect(second.collection).toMatchObject({ id, documents: 2, source: { etag: '"2"' } });
      expect((await reader.listDocuments()).map((d) => d.name).sort()).toEqual([
        'multi_page.pdf',
        'war-and-peace-1p.txt',
        'wiki-ibm.md',
      ]);
      expect((await reader.checkIntegrity()).problems).toEqual([]);

      // Deleting it with its documents leaves the reader's own.
      await reader.deleteCollection(id, { removeDocuments: true });
      expect((await reader.listDocuments()).map((d) => d.name)).toEqual(['war-and-peace-1p.txt']);
    } finally {
      publisher.close();
      reader.close();
    }
  });

  test('another tab sees collections change', async () => {
    const name = `collections-tabs-${process.pid}`;
    const events: string[] = [];
    const one = await freshLibrary({ embedder, name, shareChanges: true });
    const two = await freshLibrary({ embedder, name, shareChanges: true, onEvent: (e) => events.push(e) });
    try {
      const c = await one.createCollection('Shared');
      await one.addFiles([IBM], undefined, { collection: c.id });
      await expect
        .poll(async () => (await two.listCollections()).map((x) => [x.name, x.documents]))
        .toEqual([['Shared', 1]]);
      await one.deleteCollection(c.id);
      await expect.poll(async () => (await two.listCollections()).length).toBe(0);
      expect(events).toContain('changed');
    } finally {
      one.close();
      two.close();
    }
  });
  test('a linked file replaced by its new version stays in its collections', () =>
    withLibrary(async (lib) => {
      const work = await lib.createCollection('Work');
      await lib.addFiles([IBM], undefined, { collection: work.id });
      const id = await idOf(lib, 'wiki-ibm.md');
      const changed = {
        name: 'wiki-ibm.md',
        data: new TextEncoder().encode(
          '# IBM\n\nA changed version of the page, about punched cards and tabulating machines.',
        ).buffer,
      };
      const out = await lib.replaceDocument(id, changed);
      expect(out.status).toBe('added');
      const docs = await lib.listDocuments();
      expect(docs.map((d) => [d.name, d.collections])).toEqual([['wiki-ibm.md', [work.id]]]);
      expect(docs[0]!.id).not.toBe(id);
    }));
});
