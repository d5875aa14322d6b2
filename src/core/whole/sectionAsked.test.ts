import { expect, test } from 'vitest';
import { sectionAsked, sectionsOfKind } from './sectionAsked';

// Heading paths as the PDF reader gives them for CiteSee (2302.07302v1.pdf).
const title = 'CiteSee: Augmenting Citations in Scientific Papers with Persistent and Personalized Historical Context';
const paths = [
  [title],
  [title, 'ABSTRACT'],
  [title, '5 STUDY 1: DISCOVER RELEVANT CITATIONS', '5.1 Study 1 Limitations'],
  [title, '7 LIMITATIONS AND FUTURE WORK'],
  [title, 'Author Contributions'],
];

test('a lookup of one paper asking what one of its sections says is that section', () => {
  expect(sectionAsked('What are the limitations?', paths)).toBe('limitations');
  expect(sectionAsked('What is the future work?', paths)).toBe('future work');
  // Searched as a lookup, "future directions" was declined: the section never says "directions".
  expect(sectionAsked('What are the future directions?', paths)).toBe('future work');
  expect(sectionAsked('What are the future directions?', [[title], [title, '8 Future Directions']])).toBe(
    'future directions',
  );
  expect(sectionAsked('what was the abstract', paths)).toBe('abstract');
  expect(sectionAsked('What are the main results?', [[title], [title, '5.2 Study 1 Results']])).toBe('results');
});

test('not a section: no heading says it, only the making of the paper does, the title does, or it is no "what are the …" question', () => {
  expect(sectionAsked('What is the architecture?', paths)).toBeUndefined();
  expect(sectionAsked('What are the contributions?', paths)).toBeUndefined();
  // A fact a heading's word names, not a section of that kind (S2ORC's appendix E, PaperMage's 2.2):
  // "corpus size" and "model" are no kind of section, so these headings are not even read.
  const s2orc = [['S2ORC'], ['S2ORC', 'E Training corpus sizes for other language models']];
  expect(sectionAsked('What is the corpus size?', s2orc)).toBeUndefined();
  expect(
    sectionAsked('What is the model?', [['PaperMage'], ['PaperMage', '2.2 Models for scientific documents']]),
  ).toBeUndefined();
  // The kind said inside a heading, not as what the section is: "Results" in "Resulting corpora" or mid-heading.
  expect(sectionAsked('What are the results?', [['X'], ['X', '4 How the results were gathered']])).toBeUndefined();
  // The title holds it: the summary would read the whole paper.
  expect(
    sectionAsked('What are the results?', [['Results of a survey'], ['Results of a survey', '3 Results']]),
  ).toBeUndefined();
  expect(sectionAsked('What are the citations?', paths)).toBeUndefined();
  expect(sectionAsked('Why are the limitations important?', paths)).toBeUndefined();
  expect(sectionAsked('What are the limitations of the two studies together?', paths)).toBeUndefined();
});

test('the sections of a kind are those whose heading starts or ends with its word, numbered any way', () => {
  const heads = [
    ['Survey'],
    ['Survey', '3 Results'],
    ['Survey', '4 How the results were gathered'],
    ['Survey', '5 Resulting corpora'],
    ['Survey', 'IV. Results and Discussion'],
    ['Survey', '2 Methods'],
  ];
  expect(sectionsOfKind('results', heads)).toEqual(['3 Results', 'IV. Results and Discussion']);
  expect(sectionsOfKind('methodology', heads)).toEqual(['2 Methods']);
  expect(sectionAsked('What was the methodology?', heads)).toBe('methodology');
});
