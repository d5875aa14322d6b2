import { expect, test } from 'vitest';
import { acronyms, APPARATUS, asLabel, FRONT_MATTER } from './headings';

test('a heading in capitals as a label: sentence case, the acronyms the running text writes and words with digits kept', () => {
  const text = [
    'We use natural language processing (NLP) on GPUs. Models such as BERT-base and GPT-4 were run on COVID-19 cases.',
    // A heading in capitals run into its section's text: none of its words is an acronym.
    'DESIGNING AI SUPPORTS FOR EXPOSITORY WRITING To optimally involve writers, AI tools should help.',
  ];
  const keep = acronyms(text);
  for (const w of ['NLP', 'GPU', 'BERT', 'GPT', 'COVID', 'AI']) expect(keep).toContain(w);
  for (const w of ['DESIGNING', 'SUPPORTS', 'WRITING']) expect(keep).not.toContain(w);
  expect(asLabel('DESIGNING AI SUPPORTS FOR EXPOSITORY WRITING', keep)).toBe(
    'Designing AI supports for expository writing',
  );
  expect(asLabel('GPT-4 EVALUATION', keep)).toBe('GPT-4 evaluation');
  expect(asLabel('3D RECONSTRUCTION', keep)).toBe('3D reconstruction');
  expect(asLabel('COVID-19 RESULTS', keep)).toBe('COVID-19 results');
  expect(asLabel('Related Work', keep)).toBe('Related Work');
});

test('apparatus and front matter, whatever follows the word', () => {
  for (const h of ['References', 'Appendix A', 'Appendices', 'Supplementary Material', 'See also', 'Acknowledgments'])
    expect(APPARATUS.test(h), h).toBe(true);
  for (const h of ['Abstract', 'KEYWORDS', 'CCS Concepts']) expect(FRONT_MATTER.test(h), h).toBe(true);
  for (const h of ['Referenced works in practice', 'Abstract algebra']) {
    expect(APPARATUS.test(h) || FRONT_MATTER.test(h), h).toBe(false);
  }
});
