import { expect, test } from 'vitest';
import { coverage, termShare } from './coverage';

// CiteSee's "5.1 Study 1 Limitations": the passage says "limitations" only in its heading.
const passage = {
  docId: 'd',
  docName: '2302.07302v1.pdf',
  chunkIndexes: [40],
  text: 'Literature reviews can be mentally taxing and time-consuming, making it challenging to study in a lab environment.',
  location: { headings: ['CiteSee', '5 STUDY 1', '5.1 Study 1 Limitations'], start: 0, end: 120 },
  score: 1,
  dense: 0.18,
};

test("a question's words are found in a passage's headings too, as the keyword index reads them", () => {
  expect(termShare('What are the limitations?', [passage])).toBe(1);
  expect(coverage('What are the limitations?', [passage]).covered).toBe(true);
  expect(
    termShare('What are the limitations?', [{ ...passage, location: { ...passage.location, headings: [] } }]),
  ).toBe(0);
  expect(termShare('What is the boiling point of water?', [passage])).toBe(0);
});
