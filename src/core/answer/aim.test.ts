import { expect, test } from 'vitest';
import { aimOf, asksAim, mayAskAim } from './aim';

const papermage = ['papermage.pdf', 'PaperMage: A Unified Toolkit', 'PaperMage'];

test('what a document does, asked many ways; what something in it does is no such question', () => {
  for (const q of [
    'What is the main contribution of the PaperMage paper?',
    'What are the key ideas of papermage.pdf?',
    'What does PaperMage propose?',
    'What problem does the PaperMage paper solve?',
    "What is the PaperMage paper's main contribution?",
    'What are its contributions?',
    'What does it introduce?',
    'Main contributions of PaperMage?',
    'What is the purpose of this paper?',
    'What toolkit does the PaperMage paper introduce?',
    'What are the contributions of this work?',
    'What dataset does PaperMage release?',
    'What questions does the paper answer?',
  ]) {
    expect(mayAskAim(q), q).toBe(true);
    expect(asksAim(q, papermage), q).not.toBeNull();
  }
  expect(asksAim('What are the contributions of PaperMage?', papermage)).toEqual({ list: true });
  expect(asksAim('What is the main contribution of PaperMage?', papermage)).toEqual({ list: false });
  for (const q of [
    'What is the purpose of the tutorial in the PaperMage paper?',
    'What does the Predictor class do?',
    'What do the authors propose for future work in PaperMage?',
    'What is the main contribution of Section 3?',
    'Who wrote the PaperMage paper?',
    'What baselines does PaperMage present?',
    // What it concludes, which its summary says, not its statement of what it does.
    'What is the key takeaway of the paper?',
    'What is the main message of PaperMage?',
  ])
    expect(asksAim(q, papermage), q).toBeNull();
  // The first look lets through no question without one of the words the patterns need.
  expect(mayAskAim('Who wrote the PaperMage paper?')).toBe(false);
  // Unnamed, only of the one document in scope.
  expect(asksAim('What is the main contribution?', papermage)).toBeNull();
  expect(asksAim('What is the main contribution?', papermage, true)).toEqual({ list: false });
});

const chunk = (index: number, heading: string, text: string) => ({
  index,
  text,
  location: { headings: ['PaperMage: A Unified Toolkit', heading].filter(Boolean), start: index * 100, end: 0 },
});

test('the aim is the first sentence of the abstract that says what the paper does; a list of contributions is quoted whole', () => {
  const chunks = [
    chunk(0, '', 'PaperMage: A Unified Toolkit\n\nKyle Lo, Zejiang Shen'),
    chunk(
      1,
      'Abstract',
      'Abstract\n\nDespite growing interest, we show that tools lag. We introduce papermage, an open-source toolkit. It is fast.',
    ),
    chunk(2, '1 Introduction', '1 Introduction\n\nPapers matter. This paper contributes:'),
    chunk(
      3,
      '1 Introduction',
      'This paper contributes:\n\n(1) magelib, a library. (2) Predictors.\n\nIn Section 2, we review work.',
    ),
  ];
  // "We introduce" says what it is; "we show that" only what it also does, and comes after.
  const aim = aimOf(chunks, false)!;
  expect(aim.text).toBe('We introduce papermage, an open-source toolkit.');
  expect(aim.chunk.index).toBe(1);
  expect(aim.chunk.text.slice(aim.start, aim.end)).toBe(aim.text);
  // The lead-in alone at a chunk's end is skipped for the chunk that holds its list.
  const list = aimOf(chunks, true)!;
  expect(list.text).toBe('This paper contributes:\n\n(1) magelib, a library. (2) Predictors.');
  expect(list.chunk.index).toBe(3);
  expect(list.chunk.text.slice(list.start, list.end)).toBe(list.text);
  // No list: the abstract's statement; nothing said anywhere: none.
  expect(aimOf(chunks.slice(0, 2), true)?.text).toBe('We introduce papermage, an open-source toolkit.');
  expect(aimOf([chunk(0, '', 'IBM\n\nIBM is an American company. It makes computers.')], false)).toBeNull();
});

test('a list of contributions: its lead-in and every item after it, not a sentence about others’ contributions', () => {
  const intro = (text: string) => [chunk(2, '1 Introduction', text)];
  const loose = 'The contributions of this paper are threefold:\n\n1. A corpus.\n\n2. A model.\n\nWe then review work.';
  expect(aimOf(intro(loose), true)?.text).toBe(
    'The contributions of this paper are threefold:\n\n1. A corpus.\n\n2. A model.',
  );
  const others = 'Prior contributions are limited to English. We introduce a multilingual corpus.';
  expect(aimOf(intro(others), true)?.text).toBe('We introduce a multilingual corpus.');
  // "This paper addresses …" says what it does too, when nothing says it more plainly.
  expect(aimOf(intro('Reading is hard. This paper addresses reading.'), false)?.text).toBe(
    'This paper addresses reading.',
  );
});
