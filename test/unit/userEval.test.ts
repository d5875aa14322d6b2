import { describe, expect, test } from 'vitest';
import { evaluate, matches, parseEvalSet, serializeEvalSet } from '../../src/core';

describe('evaluation sets', () => {
  test('round-trip through JSON; bare lists accepted', () => {
    const qs = [
      { question: 'Who?', document: 'a.pdf' },
      { question: 'What?', document: 'b.md', passage: 'some text' },
    ];
    expect(parseEvalSet(serializeEvalSet(qs)).questions).toEqual(qs);
    expect(parseEvalSet(JSON.stringify(qs)).questions).toEqual(qs);
  });
  test('errors name the entry and what is wrong', () => {
    expect(() => parseEvalSet('{oops')).toThrow(/not valid JSON/);
    expect(() => parseEvalSet('{"questions": [{"question": "Who?"}]}')).toThrow(
      'Question 1 ("Who?") names no "document".',
    );
    expect(() => parseEvalSet('{"questions": [{"document": "a"}, {}]}')).toThrow('Question 1 has no "question" text.');
    expect(() => parseEvalSet('{"questions": []}')).toThrow(/no questions/);
  });
});

describe('evaluate', () => {
  test('hit rate and MRR from hand-made rankings', async () => {
    const results: Record<string, { docName: string; text: string; score: number }[]> = {
      q1: [{ docName: 'a.pdf', text: 'x', score: 1 }],
      q2: [
        { docName: 'c.md', text: 'x', score: 1 },
        { docName: 'b.md', text: 'The answer is here.', score: 0.5 },
      ],
      q3: [{ docName: 'c.md', text: 'x', score: 1 }],
    };
    const report = await evaluate(
      [
        { question: 'q1', document: 'a.pdf' },
        { question: 'q2', document: 'b.md', passage: 'answer is here' },
        { question: 'q3', document: 'z.txt' },
      ],
      async (q) => results[q]!,
      5,
    );
    expect(report.results.map((r) => r.rank)).toEqual([1, 2, null]);
    expect(report.hitRate).toBeCloseTo(2 / 3, 10);
    expect(report.mrr).toBeCloseTo((1 + 1 / 2 + 0) / 3, 10);
  });
  test('a passage must be mostly present in the found text', () => {
    const q = { question: '?', document: 'a.txt', passage: 'ducks dabble in shallow ponds' };
    expect(matches(q, { docName: 'A.txt', text: 'Most ducks dabble in  shallow ponds.', score: 1 })).toBe(true);
    expect(matches(q, { docName: 'a.txt', text: 'Geese graze on land.', score: 1 })).toBe(false);
    expect(matches(q, { docName: 'b.txt', text: 'ducks dabble in shallow ponds', score: 1 })).toBe(false);
  });
});
