import { describe, expect, test } from 'vitest';
import { fixture, freshLibrary } from '../../scripts/lib/library';
import { FIXTURE_FILES } from '../../scripts/lib/paths';

describe('evaluate', () => {
  test('on a real library: right questions hit, a wrong expectation is reported with what was found', async () => {
    const lib = await freshLibrary();
    await lib.addFiles([fixture(FIXTURE_FILES.pdf), fixture(FIXTURE_FILES.markdown), fixture(FIXTURE_FILES.docx)]);
    const report = await lib.evaluate(
      [
        {
          question: 'Who patented the typewriter?',
          document: 'multi_page.pdf',
          passage: 'Patented in 1868 by Christopher Latham Sholes',
        },
        { question: 'Which company is called Big Blue?', document: 'wiki-ibm.md' },
        {
          question: 'What do ducks like to eat?',
          document: 'multi_page.pdf',
          passage: 'Patented in 1868 by Christopher Latham Sholes',
        },
      ],
      3,
    );
    expect(report.results.map((r) => r.rank)).toEqual([1, 1, null]);
    expect(report.hitRate).toBeCloseTo(2 / 3, 10);
    expect(report.results[2]!.found[0]!.docName).toBe('word_sample.docx');
    lib.close();
  });
});
