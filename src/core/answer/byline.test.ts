import { expect, test } from 'vitest';
import { asksAuthors, bylineOf } from './byline';

const citesee = ['2302.07302v1.pdf', 'CiteSee: Augmenting Citations in Scientific Papers', 'CiteSee'];

test('who wrote the document, asked many ways; who wrote something it mentions is no such question', () => {
  for (const q of [
    'Who wrote the CiteSee paper?',
    'Who are the authors of the CiteSee paper?',
    'who authored 2302.07302v1.pdf',
    'Authors of CiteSee?',
    'What are the names of the authors of the CiteSee paper?',
    'Who wrote it?',
    'Who are the authors?',
    'Who is the author of this paper?',
    "Who are the CiteSee paper's authors?",
  ])
    expect(asksAuthors(q, citesee), q).toBe(true);
  for (const q of [
    'Who wrote the letter that the CiteSee paper quotes?',
    'Who are the authors cited most in CiteSee?',
    'How many authors does CiteSee have?',
    'What did the authors of CiteSee find?',
  ])
    expect(asksAuthors(q, citesee), q).toBe(false);
});

const title = 'CiteSee: Augmenting Citations';
const at = (text: string, headings = [title], start = 0) => ({ text, location: { headings, start, end: text.length } });

test('the byline is the names under the title, through the last paragraph that names people', () => {
  const authors = 'Joseph Chee Chang josephc@allenai.org Allen Institute for AI Seattle, WA, USA';
  const more = 'Daniel S. Weld danw@allenai.org University of Washington Seattle, WA, USA';
  const text = `Proceedings of CHI 2023\n\n${title}\n\n${authors}\n\n${more}\n\n{josephc, danw}@allenai.org`;
  const b = bylineOf(at(text))!;
  expect(b.text).toBe(`${authors}\n\n${more}`);
  expect(text.slice(b.start, b.end)).toBe(b.text);
  // In capitals, as some publishers print them.
  expect(bylineOf(at(`${title}\n\nTAL AUGUST, University of Washington, USA`))?.text).toBe(
    'TAL AUGUST, University of Washington, USA',
  );
});

test('no byline: prose under the title, a passage past the first, or no title at all', () => {
  const ibm =
    'International Business Machines Corporation (using the trademark IBM), nicknamed Big Blue, is an American multinational technology company.';
  expect(bylineOf(at(`IBM\n\n${ibm}`, ['IBM']))).toBeNull();
  expect(bylineOf(at(`${title}\n\nJoseph Chee Chang`, [title, 'Abstract']))).toBeNull();
  expect(bylineOf(at(`${title}\n\nJoseph Chee Chang`, [title], 880))).toBeNull();
  expect(bylineOf(at('Joseph Chee Chang', []))).toBeNull();
  // A report's first page: its summary is no byline.
  expect(bylineOf(at(`${title}\n\nExecutive Summary\n\nRevenue grew`))).toBeNull();
});

test('an abbreviation in an affiliation is no full stop of prose', () => {
  for (const affiliation of [
    'Dept. of Computer Science, Univ. of Somewhere',
    'School of Comput. Sci., Univ. of Somewhere',
    'Dept. of Math. and Stat., Tech. Univ. of Munich',
  ])
    expect(bylineOf(at(`${title}\n\nJane Doe\n${affiliation}`))?.text, affiliation).toBe(`Jane Doe\n${affiliation}`);
});
