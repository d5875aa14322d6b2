import { beforeAll, describe, expect, test } from 'vitest';
import { onTopic, standaloneQuery, type Retriever } from '../../src/core';
import type { ChatMessage } from '../../src/core/generate/generator';
import {
  addFixtureDocuments,
  evaluateFollowUps,
  loadFollowUps,
  summarise,
  type FollowUpResult,
} from '../../scripts/lib/followUps';
import { loadQa, qaLibrary } from '../../scripts/lib/qa';
import { realEmbedder } from '../../scripts/lib/library';

const SQUAD_DIR = process.env.FOLIO_SQUAD ?? '../shared/data/squad2-a';
const pairs = loadFollowUps();

describe('the labelled follow-up set', () => {
  test('has at least 100 pairs; fresh questions contain the words that used to trigger a rewrite; follow-ups say what they mean', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(100);
    const fresh = pairs.filter((p) => p.label === 'fresh');
    const follow = pairs.filter((p) => p.label === 'follow-up');
    expect(fresh.length).toBeGreaterThanOrEqual(50);
    expect(follow.length).toBeGreaterThanOrEqual(50);
    for (const p of fresh)
      expect(p.question).toMatch(/\b(it|its|they|their|he|his|she|this|that|these|those|there|also)\b/i);
    for (const p of follow) expect(p.standalone && p.gold).toBeTruthy();
  });

  let results: FollowUpResult[];
  let retriever: Retriever;
  beforeAll(async () => {
    const lib = await qaLibrary(loadQa(SQUAD_DIR), { embedder: await realEmbedder(), name: 'follow-ups' });
    await addFixtureDocuments(lib.library);
    retriever = lib.retriever;
    results = await evaluateFollowUps(pairs, retriever);
  }, 900_000);

  test('without a model: ≥ 95% of fresh questions searched as typed, ≥ 80% of follow-ups resolved, on all pairs and on the held-out half', () => {
    const s = summarise(results);
    for (const split of ['all', 'report'] as const) {
      expect(s[split]!.fresh_rate, `${split}: fresh left alone ${s[split]!.fresh_left_alone}`).toBeGreaterThanOrEqual(
        0.95,
      );
      expect(
        s[split]!.follow_up_rate,
        `${split}: follow-ups resolved ${s[split]!.follow_ups_resolved}`,
      ).toBeGreaterThanOrEqual(0.8);
    }
  });

  test("the issue's case: a question about something else after a question is searched as typed", async () => {
    const r = results.find((x) => x.pair.question === 'What does DPR stand for and what does it beat?')!;
    expect(r.query).toBe(r.pair.question);
  });

  describe('with a model (controlled)', () => {
    const model = (reply: string) => {
      const seen: ChatMessage[][] = [];
      return {
        seen,
        generate: async (messages: ChatMessage[]) => {
          seen.push(messages);
          return { text: reply };
        },
      };
    };
    const history = [
      {
        question: 'What English law made that country more welcoming to Huguenots?',
        answer: 'The Foreign Protestants Naturalization Act [1].',
      },
    ];

    test('a rewrite that stays on topic is searched', async () => {
      const m = model('When was the Foreign Protestants Naturalization Act passed?\n(Rewritten.)');
      const q = await standaloneQuery('When was it passed?', history, retriever, m);
      expect(q).toMatchObject({
        query: 'When was the Foreign Protestants Naturalization Act passed?',
        rewritten: true,
        joined: false,
      });
      expect(m.seen[0]!.at(-1)!.content).toContain('Last question: When was it passed?');
    });

    test('a story, an answer, or the previous question again is not: the decision falls back to retrieval', async () => {
      for (const reply of [
        'Once upon a time a little bird sang in the garden.',
        'It was passed in 1708.',
        'What English law made that country more welcoming to Huguenots?',
      ]) {
        const q = await standaloneQuery('When was it passed?', history, retriever, model(reply));
        expect(q.query, reply).not.toBe(reply);
      }
      expect(onTopic('It was passed in 1708.', 'When was it passed?', history)).toBe(false);
    });

    test('a question that stands alone, or brings in words the library does not have, is never sent to the model', async () => {
      const m = model('What is the Bayeux Tapestry?');
      expect(
        (
          await standaloneQuery(
            'Who commissioned the Bayeux Tapestry that shows the Norman conquest?',
            history,
            retriever,
            m,
          )
        ).rewritten,
      ).toBe(false);
      expect(
        (
          await standaloneQuery(
            'How do I reset this router to factory settings?',
            [{ question: 'What was Apple Talk?' }],
            retriever,
            m,
          )
        ).rewritten,
      ).toBe(false);
      expect(m.seen).toHaveLength(0);
    });
  });
});
