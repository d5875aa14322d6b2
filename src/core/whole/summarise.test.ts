import { expect, test } from 'vitest';
import { quoteMatches, sentenceFeatures, summarisePassages, trimQuote } from './summarise';

// Citations take words from a summary's budget and never say what the document is about; cut from
// a quote, each cut is shown ("…") and the pieces are still the document's own text.
test('a quote loses its citations (and, asked, its asides), each cut shown, and still matches its source', () => {
  const cases: [string, string][] = [
    [
      'Unlike other datasets that are curated [11, 22, 26], Multi-LexSum consists of expert summaries.',
      'Unlike other datasets that are curated …, Multi-LexSum consists of expert summaries.',
    ],
    ['[3] showed that this holds (Smith et al., 2019).', '… showed that this holds ….'],
    [
      'We build on BERT (Devlin et al., 2019; Lo and Wang 2020) and the CRLC (Clearinghouse).',
      'We build on BERT … and the CRLC (Clearinghouse).',
    ],
    // A year in brackets that cites no one stays.
    ['The plant closed (in 2019 it was sold) for good.', 'The plant closed (in 2019 it was sold) for good.'],
  ];
  for (const [source, trimmed] of cases) {
    expect(trimQuote(source)).toBe(trimmed);
    expect(quoteMatches(source, trimmed)).toBe(true);
  }
  expect(trimQuote('We build on BERT (Devlin et al., 2019) and the CRLC (Clearinghouse).', true)).toBe(
    'We build on BERT … and the CRLC ….',
  );
});

test('a quote that is not its source, or not all of it without a cut shown, does not match', () => {
  const source = 'Unlike other datasets [11, 22], Multi-LexSum consists of expert summaries.';
  expect(quoteMatches(source, source)).toBe(true);
  expect(quoteMatches(source, 'Unlike other datasets …, Multi-LexSum consists of novice summaries.')).toBe(false);
  expect(quoteMatches(source, 'Unlike other datasets, Multi-LexSum consists of expert summaries.')).toBe(false);
  expect(quoteMatches(source, 'Unlike other datasets …, Multi-LexSum consists of expert')).toBe(false);
  expect(quoteMatches(source, 'Multi-LexSum consists … of datasets.')).toBe(false);
  expect(quoteMatches(source, '…')).toBe(false);
});

test('a summary asked to trim citations quotes every sentence so, each still the text at the place it cites', async () => {
  const text = [
    'Automatic summarisation of long legal documents is a hard task [4, 7] that many systems attempt.',
    'We introduce a dataset of expert summaries of civil rights cases (Shen et al., 2022) for that task.',
    'The dataset holds nine thousand summaries of legal cases written by lawyers and law students.',
    'Models trained on the dataset of legal cases write summaries that lawyers judge as poor [12].',
    'We release the dataset of legal summaries for research on long document summarisation.',
  ].join(' ');
  const passages = [{ text, location: { headings: [], start: 0, end: text.length } }];
  const sentences = (await summarisePassages(passages, { words: 60, trim: 'citations' })).sections.flatMap(
    (s) => s.sentences,
  );
  expect(sentences.length).toBeGreaterThanOrEqual(2);
  expect(sentences.some((s) => s.text.includes('…'))).toBe(true);
  for (const s of sentences) {
    expect(s.text).not.toMatch(/\[\d|et al\./);
    expect(quoteMatches(text.slice(s.location.start, s.location.end), s.text)).toBe(true);
  }
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
