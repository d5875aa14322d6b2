import { describe, expect, test } from 'vitest';
import { fixture, freshLibrary } from '../../scripts/lib/library';
import { FIXTURE_FILES } from '../../scripts/lib/paths';
import { stubEmbedder } from '../helpers/stubEmbedder';

// What a backup carries is checked bit for bit, whichever model made the vectors: the stand-in
// keeps this fast; the browser test restores a real-model library.
const embedder = stubEmbedder();

const QUERIES = [
  'Which company is nicknamed Big Blue?',
  'Who patented the typewriter?',
  'What do ducks eat?',
  'Where did Prince Vasili go?',
];

describe('backup: the whole library in one file, restored elsewhere with identical search results', () => {
  test('export → import into an empty library: same documents, chunks, originals and search results, bit for bit', async () => {
    const source = await freshLibrary({ embedder });
    const target = await freshLibrary({ embedder });
    try {
      await source.addFiles([
        fixture(FIXTURE_FILES.markdown),
        fixture(FIXTURE_FILES.pdf),
        fixture(FIXTURE_FILES.html),
        fixture(FIXTURE_FILES.text),
      ]);
      const extra = {
        conversation: [{ question: 'Who patented the typewriter?', answer: 'Sholes [1].' }],
        settings: { passages: 4 },
      };
      const file = await source.exportBackup(extra);
      console.log(`backup of 4 documents: ${file.size} bytes`);
      const restored = await target.importBackup(file);
      expect(restored).toEqual({ added: 4, duplicates: 0, extra });
      expect(await target.listDocuments()).toEqual(await source.listDocuments());
      for (const d of await source.listDocuments()) {
        expect(await target.getChunks(d.id)).toEqual(await source.getChunks(d.id));
        expect(await target.getOriginal(d.id)).toEqual(await source.getOriginal(d.id));
      }
      for (const q of QUERIES)
        for (const mode of ['dense', 'keyword', 'hybrid'] as const)
          expect(await target.search(q, { k: 5, mode })).toEqual(await source.search(q, { k: 5, mode }));
      expect((await target.checkIntegrity()).problems).toEqual([]);
      // Restoring again adds nothing twice.
      expect((await target.importBackup(file)).duplicates).toBe(4);
      expect((await target.listDocuments()).length).toBe(4);
    } finally {
      source.close();
      target.close();
    }
  });

  test('a damaged backup stops where the damage is: what was restored before it is whole, nothing half-stored', async () => {
    const source = await freshLibrary({ embedder });
    const target = await freshLibrary({ embedder });
    try {
      await source.addFiles([fixture(FIXTURE_FILES.markdown), fixture(FIXTURE_FILES.text)]);
      const bytes = new Uint8Array(await (await source.exportBackup()).arrayBuffer());
      const cut = new Blob([bytes.slice(0, bytes.length - 1000)]);
      await expect(target.importBackup(cut)).rejects.toThrow(/incomplete/);
      const docs = await target.listDocuments();
      // Frames follow the order documents were stored in: the first one came through whole.
      expect(docs.map((d) => d.name)).toEqual([(await source.listDocuments())[0]!.name]);
      expect((await target.checkIntegrity()).problems).toEqual([]);
      await expect(target.importBackup(new Blob(['not a backup']))).rejects.toThrow(/not a Folio backup/);
    } finally {
      source.close();
      target.close();
    }
  });
});
