import { expect, test } from 'vitest';
import { answer, SEARCH_DEFAULTS, type AnswerOptions, type Retriever, type SearchOptions } from '../../src/core';

/**
 * A library that answers every search with one passage about the Edict of Nantes and records the
 * options each search was given: what the answer pipeline asks of a library, seen from outside.
 */
function recordingRetriever() {
  const calls: { kind: 'search' | 'context'; opts: SearchOptions | undefined }[] = [];
  const hit = {
    docId: 'd1',
    docName: 'huguenots.txt',
    chunkIndex: 0,
    text: 'The Edict of Nantes was passed in 1598 by Henry IV.',
    score: 1,
    dense: 0.5,
    location: { headings: [], start: 0, end: 51 },
  };
  const retriever: Retriever = {
    search: async (_q, opts) => {
      calls.push({ kind: 'search', opts });
      return [hit];
    },
    context: async (_q, opts) => {
      calls.push({ kind: 'context', opts });
      return [];
    },
    embed: async (texts) => new Float32Array(texts.length * 4),
  };
  return { retriever, calls };
}

async function run(opts: Omit<AnswerOptions, 'retriever'>) {
  const { retriever, calls } = recordingRetriever();
  // A follow-up: the pipeline first searches to decide what to search for, then for the passages.
  for await (const _ of answer('When was it passed?', {
    retriever,
    history: [{ question: 'What is the Edict of Nantes?' }],
    ...opts,
  }));
  return calls;
}

test("the answer's search options reach every search it makes; k and mode are its passages' own", async () => {
  const calls = await run({
    search: { collections: ['c-work'], fusion: { denseWeight: 0.3 }, k: 3, mode: 'dense' },
  });
  expect(calls.filter((c) => c.kind === 'search').length).toBeGreaterThan(0);
  for (const c of calls) expect(c.opts).toMatchObject({ collections: ['c-work'], fusion: { denseWeight: 0.3 } });
  // The follow-up checks keep their own depth and mode; the passages get the answer's.
  expect(calls.filter((c) => c.kind === 'search').map((c) => [c.opts?.k, c.opts?.mode])).toEqual(
    expect.arrayContaining([
      [20, 'keyword'],
      [10, undefined],
    ]),
  );
  expect(calls.find((c) => c.kind === 'context')!.opts).toMatchObject({ k: 3, mode: 'dense' });
});

test('without search options every search gets only its own, and the passages the defaults', async () => {
  const calls = await run({});
  for (const c of calls.filter((c) => c.kind === 'search'))
    expect(Object.keys(c.opts!).sort()).not.toContain('collections');
  expect(calls.find((c) => c.kind === 'context')!.opts).toEqual({
    k: SEARCH_DEFAULTS.k.answer,
    mode: SEARCH_DEFAULTS.mode,
    budgetTokens: 700,
    // The answer's passages search a defined acronym's long form too (plain search does not).
    expandTerms: true,
  });
});
