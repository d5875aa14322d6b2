import { expect, test } from 'vitest';
import { quoteMatches, quoteWords } from './compress';
import { sentenceFeatures, summarisePassages } from './summarise';

// Compression (compress.ts) is applied before the budget is filled: what a quote loses leaves room
// for more of the document in the same words, and what it shows is what the budget counts.
test('a summary quotes its sentences without their citations, each still the text at the place it cites, and holds more in the same words', async () => {
  const text = [
    'Automatic summarisation of long legal documents is a hard task [4, 7] that many systems attempt (Zhong et al., 2019; Kornilova and Eidelman, 2019).',
    'We introduce a dataset of expert summaries of civil rights cases (Shen et al., 2022) for that task.',
    'The dataset holds nine thousand summaries of legal cases written by lawyers and law students [3].',
    'However, models trained on the dataset of legal cases write summaries that lawyers judge as poor [12].',
    'We release the dataset of legal summaries for research on long document summarisation (Figure 1).',
  ].join(' ');
  const passages = [{ text, location: { headings: [], start: 0, end: text.length } }];
  const summary = await summarisePassages(passages, { words: 60 });
  const sentences = summary.sections.flatMap((s) => s.sentences);
  expect(sentences.some((s) => s.text.includes('…'))).toBe(true);
  for (const s of sentences) {
    expect(s.text).not.toMatch(/\[\d|et al\.|Figure 1|^However/);
    expect(quoteMatches(text.slice(s.location.start, s.location.end), s.text)).toBe(true);
  }
  expect(summary.words).toBe(sentences.reduce((n, s) => n + quoteWords(s.text), 0));
  const uncut = await summarisePassages(passages, { words: 60, cuts: [] });
  expect(uncut.sections.flatMap((s) => s.sentences).every((s) => !s.text.includes('…'))).toBe(true);
  expect(sentences.length).toBeGreaterThan(uncut.sections.flatMap((s) => s.sentences).length);
});

// What a learned scorer is fit on (`npm run eval -- DIR --summaries --fit`): each prose sentence,
// in document order, with features that say what it is.
test('sentence features: citations, numbers, brackets, a leaning opening and word density, per prose sentence', () => {
  const text = [
    'Forklift safety training reduces forklift accidents in busy warehouses.',
    'This result held in 12 of the 14 warehouses that were studied over two years (2019) [3, 4].',
    'Forklift accidents in warehouses fell after forklift safety training began.',
    'Auditors from Norway (Smith et al., 2019) visited unrelated quarries elsewhere.',
    'Short.',
  ].join(' ');
  const rows = sentenceFeatures([{ text, location: { headings: [], start: 0, end: text.length } }]);
  expect(rows.map((r) => r.sentence.text.split(' ')[0])).toEqual(['Forklift', 'This', 'Forklift', 'Auditors']);
  const [first, second, third, fourth] = rows.map((r) => r.features);
  expect(second!.anaphora).toBe(1);
  expect(first!.anaphora).toBe(0);
  expect(second!.numbers).toBeGreaterThan(0.2);
  expect(first!.numbers).toBe(0);
  expect(second!.citations).toBeCloseTo(1 / 3);
  expect(fourth!.citations).toBeCloseTo(1 / 3);
  expect(third!.citations).toBe(0);
  expect(second!.brackets).toBeGreaterThan(0.1);
  expect(third!.brackets).toBe(0);
  // The document's recurring words (forklift, safety, training, warehouses) make a dense sentence.
  expect(third!.density).toBeGreaterThan(fourth!.density);
  expect(first!.density).toBeGreaterThan(fourth!.density);
});
