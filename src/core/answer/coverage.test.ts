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
  // Not the title, which every passage of the paper has: a question sharing its words is not
  // covered by a passage about something else.
  const method = {
    ...passage,
    text: 'We recruited participants through a mailing list.',
    location: {
      ...passage.location,
      headings: ['Paper Plain: Making Medical Research Papers Approachable to Healthcare Consumers', '6.1 Method'],
    },
    dense: 0.3,
  };
  expect(termShare('How much do healthcare consumers pay for medical research papers?', [method])).toBe(0);
  expect(coverage('How much do healthcare consumers pay for medical research papers?', [method]).covered).toBe(false);
  // A document whose sections are its top headings: its one heading is the section.
  const terms = {
    ...passage,
    text: 'Thirty days from the invoice.',
    location: { ...passage.location, headings: ['Payment terms'] },
  };
  expect(termShare('What are the payment terms?', [terms])).toBe(1);
});
