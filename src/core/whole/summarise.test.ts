import { expect, test } from 'vitest';
import { type QuoteCut, quoteMatches, quoteWords } from './compress';
import { documentSentences, prose, sentenceFeatures, summarisePassages } from './summarise';

/** A document of one passage, under the given headings. */
const onePassage = (text: string, headings: string[] = []) => [
  { text, location: { headings, start: 0, end: text.length } },
];

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
  const passages = onePassage(text);
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
  const rows = sentenceFeatures(onePassage(text));
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

// A clause cut (compress.ts, off by default) takes words that say something of the document: the sentence
// is scored with them, and only its length in the budget changes. A citation's names are scored out.
test('a clause cut leaves a sentence scored as it was; a citation cut does not', () => {
  const text = [
    'Forklift safety training reduces forklift accidents in busy warehouses, which employ most of the drivers.',
    'Forklift accidents in warehouses fell after forklift safety training began (Smith et al., 2019).',
    'Auditors from Norway visited several unrelated quarries in the north of the country.',
  ].join(' ');
  const passages = onePassage(text);
  const features = (cuts: QuoteCut[]) => sentenceFeatures(passages, { cuts }).map((r) => r.features);
  const citations = features(['citations']);
  const clauses = features(['citations', 'relatives']);
  // Its length is what it shows: the only feature that changes, and it is the budget's.
  expect(clauses.map(({ length: _, ...f }) => f)).toEqual(citations.map(({ length: _, ...f }) => f));
  expect(clauses[0]!.length).toBeGreaterThan(citations[0]!.length);
  expect(features([])[1]!.centrality).not.toBe(citations[1]!.centrality);
});

// `perWord` (off by default) ranks the greedy pick by score per word shown: shorter sentences come in.
test('ranking by score per word fills the budget with shorter sentences', async () => {
  const sentences = Array.from({ length: 12 }, (_, i) =>
    i % 2
      ? `Forklift training cut accidents in warehouse ${i}.`
      : `Forklift safety training reduced forklift accidents in warehouse ${i} over the two years that the drivers in the study were followed by the safety auditors.`,
  );
  const text = sentences.join(' ');
  const passages = onePassage(text);
  const perSentence = async (perWord: number) => {
    const s = await summarisePassages(passages, { words: 60, weights: { perWord } });
    const chosen = s.sections.flatMap((x) => x.sentences);
    return s.words / chosen.length;
  };
  expect(await perSentence(1)).toBeLessThan(await perSentence(0));
});

// As the PDF reader gives a paper's first page (papermage.pdf): its footnote follows the paragraph
// it interrupts, its figure caption stands between paragraphs.
test('a summary quotes the body text, never a footnote or a figure caption', async () => {
  const text = [
    'Research papers and textbooks are central to the scientific enterprise, and there is increasing interest in developing new tools for extracting knowledge from these visually-rich documents.',
    '¹ We use code snippets to illustrate our toolkit’s core designs and abstractions.',
    'Figure 1: papermage’s document creation and representation.',
    'We introduce papermage, an open-source Python toolkit for processing scientific documents.',
    '† Work done while the author was an intern at the institute for scientific documents.',
    'Figure 1.2 shows the pipeline that turns scientific documents into layers of annotation.',
    '§ 2.1 The toolkit shall read every scientific document it is given in full.',
    'Table 2: Toolkit components for scientific documents and the models they compose.',
    'The toolkit composes models operating across different data modalities to extract the structure of scientific documents.',
  ].join(' ');
  const passages = onePassage(text, ['1 Introduction']);
  const quoted = (await summarisePassages(passages, { words: 400 })).sections.flatMap((s) => s.sentences);
  expect(quoted.map((s) => s.text.slice(0, 20))).toEqual([
    'Research papers and ',
    'We introduce paperma',
    'Figure 1.2 shows the',
    '§ 2.1 The toolkit sh',
    'The toolkit composes',
  ]);
});

// papermage.pdf, section 3.1: a line of code set alone read as a heading split the section in two.
test('a line of code set alone is no heading: the sentences after it stay under their section', () => {
  const text = [
    'Data Classes. magelib provides three base data classes for representing elements of documents.',
    '2 >>> doc . symbols',
    'But visually-rich documents are more than a linearized string.',
  ].join('\n\n');
  const path = ['PaperMage', '3.1 Representing documents'];
  const sentences = documentSentences(onePassage(text, path));
  const under = (start: string) => sentences.find((s) => s.text.startsWith(start))!.location.headings;
  expect(under('Data Classes.')).toEqual(path);
  expect(under('But visually-rich')).toEqual(path);
});

// A comparison's Overview cell is one sentence: the summary's first choice, not its earliest in the
// document (papermage.pdf's Overview was a caption's "(C) Users can access and manipulate layers.").
test('the lead is the sentence chosen first, wherever it stands in the document', async () => {
  const text = [
    'Figure 1: papermage’s document creation and representation.',
    '(C) Users can access and manipulate layers.',
    'Research papers and textbooks are central to the scientific enterprise, and there is increasing interest in developing new tools for extracting knowledge from these visually-rich documents.',
    'We introduce papermage, an open-source Python toolkit for processing scientific documents.',
    'The toolkit composes models operating across different data modalities to extract the structure of scientific documents.',
  ].join(' ');
  const passages = onePassage(text, ['1 Introduction']);
  const summary = await summarisePassages(passages, {
    words: 30,
    title: 'PaperMage: A Unified Toolkit for Processing Scientific Documents',
  });
  expect(summary.lead?.text).toBe(
    'We introduce papermage, an open-source Python toolkit for processing scientific documents.',
  );
  // Chosen first, shown where it stands: it need not open the summary.
  const shown = summary.sections.flatMap((s) => s.sentences.map((x) => x.text));
  expect(shown).toContain(summary.lead!.text);
});

test('a section summarised alone shows its heading once, over all its sentences', async () => {
  // "Summarise the conclusion of the LongEval paper": one passage under one heading, cut into
  // parts for coverage; the heading had been repeated over each sentence.
  const text = [
    'We present the LONGEVAL guidelines, a set of recommendations for moving towards standardized human evaluation of long-form summarization.',
    'We empirically analyze each recommendation on two datasets.',
    'Overall, we find that fine-grained annotations have lower inter-annotator variance than coarse-grained annotations.',
    'As future work, we plan to conduct experiments on other aspects of summarization evaluation like salience and coherence.',
  ].join(' ');
  const summary = await summarisePassages(onePassage(text, ['LONGEVAL: Guidelines', '5 Conclusion']), { words: 150 });
  expect(summary.sections).toHaveLength(1);
  expect(summary.sections[0]!.headings).toEqual(['LONGEVAL: Guidelines', '5 Conclusion']);
  expect(summary.sections[0]!.sentences.length).toBeGreaterThanOrEqual(3);
});

test('a table row set alone is no heading, and a caption ending on a quoted word is not quoted', () => {
  const text = [
    'Here are some interesting things a respectful duck could eat:',
    'Grain | Corn, Buckwheat, Barley | 200',
    'And let’s add another list at the end of the page, as promised.',
  ].join('\n\n');
  const sentences = documentSentences(onePassage(text, ['Let’s eat']));
  expect(sentences.map((s) => s.location.headings.at(-1))).toEqual(Array(3).fill('Let’s eat'));
  expect(prose('Pacific black duck displaying the characteristic upending "duck"')).toBe(false);
  expect(prose('Ducks are often called "the most adaptable of waterfowl."')).toBe(true);
  expect(prose('The witness told the court that the driver had shouted "stop,"')).toBe(false);
});

// wiki_duck.html: a picture's description and caption, and the infobox's "Subfamilies" over its
// "See text", were shown as the summary's section headings.
test('a caption, an image description or a table cell set alone is no heading; a heading is written as one', () => {
  const lead = [
    'Duck',
    'Subfamilies',
    'See text',
    'Duck is the common name for numerous species of waterfowl in the family Anatidae.',
  ].join('\n\n');
  const text = [
    'Distribution and habitat',
    'Ducks have a cosmopolitan distribution.',
    'A brown duck in a fast-flowing stream',
    'Female mallard in Cornwall, England',
    'Some duck species are migratory.',
    'The Rise of Personal Computers',
    'Word processors came to every desk.',
    '3.1 Results in context',
    'The results hold.',
  ].join('\n\n');
  const [first] = onePassage(lead, ['Duck']);
  const [second] = onePassage(text, ['Duck', 'Distribution and habitat']);
  const sentences = documentSentences([
    first!,
    {
      ...second!,
      location: { ...second!.location, start: lead.length + 2, end: lead.length + 2 + text.length },
    },
  ]);
  const under = (start: string) => sentences.find((s) => s.text.startsWith(start))!.location.headings.at(-1);
  expect(under('Duck is the common name')).toBe('Duck');
  expect(under('Ducks have')).toBe('Distribution and habitat');
  expect(under('Some duck species')).toBe('Distribution and habitat');
  expect(under('Word processors')).toBe('The Rise of Personal Computers');
  expect(under('The results hold')).toBe('3.1 Results in context');
  // A heading the reader found, inside a passage that ends under the next one, stays one, though
  // written as a sentence; a numbered one is one before any line.
  const merged = [
    'Ducks are eaten.',
    'Relationship with humans',
    'Ducks are farmed.',
    '3.2 Participants',
    'Twelve people, all students',
    'They read.',
  ].join('\n\n');
  const again = documentSentences([
    { text: merged, location: { headings: ['Duck', 'Behaviour'], start: 0, end: merged.length } },
    {
      text: 'x.',
      location: { headings: ['Duck', 'Relationship with humans'], start: merged.length + 2, end: merged.length + 4 },
    },
  ]);
  const at = (start: string) => again.find((s) => s.text.startsWith(start))!.location.headings.at(-1);
  expect(at('Ducks are farmed')).toBe('Relationship with humans');
  expect(at('They read')).toBe('3.2 Participants');
  // A document without sections keeps every short line alone as a heading, as before.
  const plain = documentSentences(onePassage(['3 Methods', 'Data collection', 'We collected it.'].join('\n\n')));
  expect(plain.find((s) => s.text === 'We collected it.')!.location.headings).toEqual(['Data collection']);
});
