import { describe, expect, test } from 'vitest';
import { referenceCue } from '../../src/core';

describe('reference words', () => {
  test.each([
    ['When was it passed?', true],
    ['What did this agreement do?', true],
    ['How many settlers originally settled there?', true],
    ['And the female?', true],
    ['Which one declined to sign it?', true],
    ['What type of locomotive was it?', true],
    ['When did that happen?', true],
    // Pronouns whose referent is in the question, "that" opening a clause, "is there", "is it safe".
    ['Why did OPEC raise its prices?', false],
    ['What is the term for a mathematical model that theoretically represents a general computing machine?', false],
    ['How many types of X.25 networks were there originally?', false],
    ['Is it safe to eat raw cookie dough?', false],
    ['What is it called when steam propels a turbo generator with electric motor propulsion?', false],
    ['Who patented the typewriter in 1868?', false],
  ])('%s → %s', (question, cue) => {
    expect(referenceCue(question).cue).toBe(cue);
  });
});
