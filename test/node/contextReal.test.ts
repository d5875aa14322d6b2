import { describe, expect, test } from 'vitest';
import { fixture, freshLibrary, realEmbedder } from '../../scripts/lib/library';
import { FIXTURE_FILES } from '../../scripts/lib/paths';

describe('Library.context', () => {
  test('assembles passages for a question from real documents within the budget', async () => {
    const embedder = await realEmbedder();
    const lib = await freshLibrary({ chunking: { maxTokens: 60, overlapTokens: 0 } });
    await lib.addFiles([fixture(FIXTURE_FILES.pdf), fixture(FIXTURE_FILES.text)]);
    const passages = await lib.context('Who patented the typewriter?', { k: 6, budgetTokens: 300 });
    expect(passages[0]!.docName).toBe('multi_page.pdf');
    expect(passages[0]!.text).toContain('Sholes');
    expect(passages.reduce((n, p) => n + embedder.countTokens(p.text), 0)).toBeLessThanOrEqual(300);
    for (const p of passages)
      expect(p.text).toBe((await lib.getDocumentText(p.docId))!.slice(p.location.start, p.location.end));
    lib.close();
  });
});
