import { describe, expect, test } from 'vitest';
import type { Generator } from '../../core';
import { standaloneQuestion } from './interimAnswer';

const turn = (question: string, answer = '') => ({ question, answer });

describe('standaloneQuestion', () => {
  test('a self-contained question is searched as it is, short or not', async () => {
    expect(await standaloneQuestion('Who patented the typewriter in 1868?', [turn('What is IBM?')], null)).toBe('Who patented the typewriter in 1868?');
    expect(await standaloneQuestion('Who patented the typewriter?', [turn('What is IBM?')], null)).toBe('Who patented the typewriter?');
    expect(await standaloneQuestion('And Wang?', [turn('What did IBM build?')], null)).toBe('What did IBM build? And Wang?');
  });
  test('without a model, a follow-up is searched together with the previous question', async () => {
    expect(await standaloneQuestion('When did it close?', [turn('What was the Wang 1200?')], null)).toBe('What was the Wang 1200? When did it close?');
  });
  test('with a model, the model’s rewrite is used, and a rambling one is not', async () => {
    const seen: string[] = [];
    const gen = (reply: string): Generator => ({
      id: 'test',
      contextWindow: 2048,
      countTokens: async (t) => t.length,
      generate: async (messages) => {
        seen.push(messages.at(-1)!.content);
        return { text: reply, finishReason: 'stop' };
      },
      interrupt: () => {},
      dispose: async () => {},
    });
    expect(await standaloneQuestion('When did it close?', [turn('What was the Wang 1200?', 'A word processor [1].')], gen('When did the Wang 1200 close?\nextra'))).toBe('When did the Wang 1200 close?');
    expect(seen[0]).toContain('User: What was the Wang 1200?');
    expect(seen[0]).toContain('Last question: When did it close?');
    expect(await standaloneQuestion('And it?', [turn('What is IBM?')], gen('x'.repeat(400)))).toBe('What is IBM? And it?');
    // Off-topic output (a story instead of a question) is not used.
    expect(await standaloneQuestion('When did it close?', [turn('What was the Wang 1200?')], gen('Once upon a time a little bird sang.'))).toBe('What was the Wang 1200? When did it close?');
  });
});
