import { describe, expect, test } from 'vitest';
import 'fake-indexeddb/auto';
import { fixture, freshLibrary } from '../../scripts/lib/library';
import { FIXTURE_FILES } from '../../scripts/lib/paths';

describe('Library: keyword and vector results stay consistent', () => {
  test('a removed document never comes back, in any mode, even after reopening', async () => {
    const lib = await freshLibrary({ name: 'consistency' });
    await lib.addFiles([fixture(FIXTURE_FILES.pdf), fixture(FIXTURE_FILES.markdown), fixture(FIXTURE_FILES.docx)]);
    const pdf = (await lib.listDocuments()).find((d) => d.type === 'pdf')!;
    const q = 'Christopher Latham Sholes typewriter 1868';
    expect((await lib.search(q, { k: 1, mode: 'keyword' }))[0]!.docId).toBe(pdf.id);
    await lib.removeDocument(pdf.id);
    for (const mode of ['dense', 'keyword', 'hybrid'] as const) {
      expect((await lib.search(q, { k: 50, mode })).some((h) => h.docId === pdf.id)).toBe(false);
    }
    lib.close();
    const again = await freshLibrary({ name: 'consistency' });
    for (const mode of ['dense', 'keyword', 'hybrid'] as const) {
      expect((await again.search(q, { k: 50, mode })).some((h) => h.docId === pdf.id)).toBe(false);
    }
    expect((await again.search('Big Blue', { k: 1, mode: 'keyword' }))[0]!.docName).toBe('wiki-ibm.md');
    expect((await again.checkIntegrity()).problems).toEqual([]);
    again.close();
  });

  test('keyword search finds exact terms that embeddings blur; hybrid keeps both', async () => {
    const lib = await freshLibrary({ name: 'exact-terms' });
    await lib.addFiles([fixture(FIXTURE_FILES.pdfColumns), fixture(FIXTURE_FILES.pdf)]);
    const [kw] = await lib.search('Boots self-locking nut', { k: 1, mode: 'keyword' });
    expect(kw!.text).toContain('Boots');
    const [hy] = await lib.search('Boots self-locking nut', { k: 1 });
    expect(hy!.text).toContain('Boots');
    lib.close();
  });
});
