import { beforeAll, describe, expect, test } from 'vitest';
import {
  answer,
  answerSentences,
  applyAnswerEvent,
  checkAnswer,
  collectionsInWords,
  libraryRetriever,
  newAnswerRecord,
  splitSentences,
  type AnswerEvent,
  type AnswerOptions,
  type AnswerRecord,
  type ContextPassage,
  type Embedder,
  type Library,
  type Retriever,
} from '../../src/core';
import type { ChatMessage, GenerateOptions, GenerateResult, Generator } from '../../src/core/generate/generator';
import { fixture, freshLibrary, realEmbedder } from '../../scripts/lib/library';
import { FIXTURE_FILES } from '../../scripts/lib/paths';

/**
 * An answer engine the test controls: it reads the sources in its prompt like a model would and
 * writes the answer `write` makes from them, streaming it word by word.
 */
class ControlledEngine implements Generator {
  readonly id = 'controlled';
  calls: ChatMessage[][] = [];
  constructor(
    private readonly write: (sources: { id: number; text: string }[]) => string,
    readonly contextWindow = 2048,
  ) {}
  async countTokens(text: string) {
    return Math.ceil(text.split(/\s+/).length * 1.4);
  }
  async generate(messages: ChatMessage[], opts: GenerateOptions = {}): Promise<GenerateResult> {
    this.calls.push(messages);
    const prompt = messages.at(-1)!.content;
    const sources = [...prompt.matchAll(/<source id="(\d+)"[^>]*>\n([\s\S]*?)\n<\/source>/g)].map((m) => ({
      id: Number(m[1]),
      text: m[2]!,
    }));
    const text = this.write(sources);
    let out = '';
    for (const piece of text.match(/\S+\s*/g) ?? []) {
      if (opts.signal?.aborted) return { text: out, finishReason: 'aborted' };
      out += piece;
      opts.onToken?.(piece);
      await new Promise((r) => setTimeout(r, 0));
    }
    return { text: out, finishReason: 'stop' };
  }
  interrupt() {}
  async dispose() {}
}

/** The number of the source that contains `phrase` (what a well-behaved model would cite). */
const cite = (sources: { id: number; text: string }[], phrase: string) =>
  sources.find((s) => s.text.includes(phrase))?.id ?? 0;

async function collect(
  question: string,
  opts: AnswerOptions,
): Promise<{ events: AnswerEvent[]; record: AnswerRecord }> {
  const events: AnswerEvent[] = [];
  let record = newAnswerRecord(question);
  for await (const e of answer(question, opts)) {
    events.push(e);
    record = applyAnswerEvent(record, e);
  }
  return { events, record };
}

let lib: Library;
let embedder: Embedder;
let retriever: Retriever;
beforeAll(async () => {
  embedder = await realEmbedder();
  lib = await freshLibrary({ name: 'answer-pipeline' });
  const files = Object.values(FIXTURE_FILES).map(fixture);
  expect((await lib.addFiles(files)).every((o) => o.status === 'added')).toBe(true);
  retriever = libraryRetriever(lib, embedder);
}, 300_000);

describe('answer pipeline without a model', () => {
  test('events in order: query, passages, coverage, extract (on words, then with embeddings), done; the extract is the answering sentence', async () => {
    const { events, record } = await collect('When was the typewriter patented?', { retriever });
    expect(events.map((e) => e.type)).toEqual(['query', 'passages', 'coverage', 'extract', 'extract', 'done']);
    expect(
      events.filter((e) => e.type === 'extract').map((e) => !!(e as { provisional?: boolean }).provisional),
    ).toEqual([true, false]);
    expect(record.searchedFor).toBeUndefined();
    expect(record.coverage?.covered).toBe(true);
    expect(record.passages[0]!.docName).toBe('multi_page.pdf');
    const extract = record.extract!;
    expect(extract.text).toContain('1868');
    expect(extract.citations).toEqual([extract.support!.passage]);
    // The quote is exactly that stretch of its passage, so the source view can highlight it.
    const passage = record.passages[extract.support!.passage - 1]!;
    expect(passage.text.slice(extract.support!.start, extract.support!.end)).toBe(extract.support!.quote);
    expect(record.status).toBe('done');
    expect(record.answer).toBe('');
  });

  test.each([
    ['What is a male duck called?', 'drake'],
    ['Which company is nicknamed Big Blue?', 'International Business Machines'],
    ['What did Wang Laboratories introduce in the 1970s?', 'word processing machines'],
  ])('%s → a sentence with "%s"', async (question, phrase) => {
    const { record } = await collect(question, { retriever });
    expect(record.extract?.text).toContain(phrase);
  });

  test('an everyday question the library cannot answer is declined, with the closest passages, and no model is asked', async () => {
    const engine = new ControlledEngine(() => 'Boil it for six minutes [1].');
    const { events, record } = await collect('How long should I boil an egg for a runny yolk?', {
      retriever,
      generator: engine,
    });
    expect(events.map((e) => e.type)).toEqual(['query', 'passages', 'coverage', 'declined', 'done']);
    expect(record.status).toBe('done');
    expect(record.declined?.reason).toMatch(/not in your documents/i);
    expect(record.extract).toBeUndefined();
    expect(record.passages.length).toBeGreaterThan(0);
    expect(record.coverage!.covered).toBe(false);
    expect(engine.calls).toHaveLength(0);
  });

  test('declined inside a collection, the reason names the collection, not the library (issue 23, problem 16)', async () => {
    const { record } = await collect('How long should I boil an egg for a runny yolk?', {
      retriever,
      scopeName: collectionsInWords(['Kitchen']),
    });
    expect(record.declined?.reason).toContain('nothing in the collection “Kitchen” matches this question closely');
    expect(record.declined?.reason).toContain('the rest of your library was not searched');
    expect(record.declined?.reason).not.toMatch(/nothing in your library/);
    expect(collectionsInWords(['Work', 'Home'])).toBe('the collections “Work” and “Home”');
  });

  test('keyword search only (the search model still loading): passages marked so, the extract chosen on words, nothing embedded', async () => {
    let embedded = 0;
    const counting: Retriever = {
      ...retriever,
      embed: (texts, kind) => {
        embedded += texts.length;
        return retriever.embed(texts, kind);
      },
    };
    const { events, record } = await collect('When was the typewriter patented?', {
      retriever: counting,
      search: { mode: 'keyword' },
    });
    expect(events.map((e) => e.type)).toEqual(['query', 'passages', 'coverage', 'extract', 'done']);
    expect(record.keywordOnly).toBe(true);
    expect(record.extractProvisional).toBe(false);
    expect(record.extract!.text).toContain('1868');
    expect(embedded).toBe(0);
    // Words alone decline only a question with almost none of its words in the passages.
    expect(
      (
        await collect('How long should I boil an egg for a runny yolk?', {
          retriever: counting,
          search: { mode: 'keyword' },
        })
      ).record.declined,
    ).toBeDefined();
  });

  test('passages matched only by their words, with the model loaded, are not called keyword-only', async () => {
    // Issue 23, problem 7: "Keyword search only — the search model was still loading" showed long
    // after the model had loaded, whenever no passage of a hybrid search had a cosine.
    const wordsOnly: Retriever = {
      ...retriever,
      context: async (q, o) => (await retriever.context(q, o)).map(({ dense: _, ...p }) => p),
    };
    const { record } = await collect('When was the typewriter patented?', { retriever: wordsOnly });
    expect(record.passages.length).toBeGreaterThan(0);
    expect(record.passages.every((p) => p.dense === undefined)).toBe(true);
    expect(record.keywordOnly).toBeUndefined();
    expect(record.extract!.text).toContain('1868');
  });

  test('the record is plain data: it survives JSON and structured cloning unchanged', async () => {
    const { record } = await collect('Who greeted Prince Vasili Kuragin?', { retriever });
    expect(JSON.parse(JSON.stringify(record))).toEqual(record);
    expect(structuredClone(record)).toEqual(record);
  });

  test('stopping before the search yields only done: aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const { events, record } = await collect('Who patented the typewriter?', { retriever, signal: controller.signal });
    expect(events.at(-1)).toEqual({ type: 'done', finishReason: 'aborted' });
    expect(record.status).toBe('stopped');
  });
});

describe('answer pipeline with a controlled engine', () => {
  test('tokens stream, the answer is checked sentence by sentence, and the record holds both', async () => {
    const engine = new ControlledEngine(
      (s) =>
        `The typewriter was patented in 1868 by Christopher Latham Sholes [${cite(s, 'Sholes')}]. IBM introduced the electric typewriter in 1935 [${cite(s, '1935')}].`,
    );
    const { events, record } = await collect('Who patented the typewriter, and when?', {
      retriever,
      generator: engine,
    });
    const types = events.map((e) => e.type);
    expect(types.slice(0, 5)).toEqual(['query', 'passages', 'coverage', 'extract', 'extract']);
    expect(types.filter((t) => t === 'token').length).toBeGreaterThan(5);
    expect(types.slice(-2)).toEqual(['checked', 'done']);
    expect(record.answer).toBe(
      events
        .filter((e) => e.type === 'token')
        .map((e) => (e as { text: string }).text)
        .join(''),
    );
    expect(record.checked?.total).toBe(2);
    expect(record.checked?.supported).toBe(2);
    expect(record.checked!.sentences.every((s) => s.support && !s.miscited)).toBe(true);
    expect(record.checked!.sentences[0]!.support!.quote).toContain('Sholes');
    // The prompt holds the passages as numbered sources and the question as typed.
    expect(engine.calls[0]!.at(-1)!.content).toContain('Question: Who patented the typewriter, and when?');
  });

  test('the prompt fits a small window: fewer passages, and citations to passages it dropped point nowhere', async () => {
    const engine = new ControlledEngine((s) => `Sholes patented it [${s.length}]. See also [${s.length + 1}].`, 600);
    const { record } = await collect('Who patented the typewriter?', { retriever, generator: engine });
    const prompt = engine.calls[0]!.map((m) => m.content).join('\n');
    expect(Math.ceil(prompt.split(/\s+/).length * 1.4) + 8 * engine.calls[0]!.length).toBeLessThanOrEqual(600 - 175);
    const shown = (prompt.match(/<source /g) ?? []).length;
    expect(shown).toBeLessThan(record.passages.length);
    expect(record.checked!.sentences[1]!.citations).toEqual([]);
    expect(record.checked!.sentences[1]!.droppedCitations).toEqual([shown + 1]);
  });

  test('Stop during the written answer ends it as stopped, with what was written so far', async () => {
    const controller = new AbortController();
    const engine = new ControlledEngine(() => 'One two three four five six seven eight nine ten eleven twelve.');
    const events: AnswerEvent[] = [];
    let record = newAnswerRecord('Who patented the typewriter?');
    for await (const e of answer('Who patented the typewriter?', {
      retriever,
      generator: engine,
      signal: controller.signal,
    })) {
      events.push(e);
      record = applyAnswerEvent(record, e);
      if (events.filter((x) => x.type === 'token').length === 3) controller.abort();
    }
    expect(events.at(-1)).toEqual({ type: 'done', finishReason: 'aborted' });
    expect(record.status).toBe('stopped');
    expect(record.answer.split(/\s+/).filter(Boolean).length).toBeLessThan(6);
  });
});

describe('checked citations (controlled answers on the real passages)', () => {
  let passages: ContextPassage[];
  beforeAll(async () => {
    passages = await lib.context('Who patented the typewriter and when did IBM introduce the electric typewriter?', {
      k: 6,
      budgetTokens: 900,
    });
    expect(passages.some((p) => p.text.includes('Sholes'))).toBe(true);
  });
  const embed = (texts: string[]) => embedder.embed(texts, 'passage');
  const n = (phrase: string) => passages.findIndex((p) => p.text.includes(phrase)) + 1;
  const other = (phrase: string) => passages.findIndex((p) => !p.text.includes(phrase)) + 1;

  test('a faithful sentence is supported by the sentence it paraphrases, in the passage it cites', async () => {
    const r = await checkAnswer(
      `Christopher Latham Sholes patented the typewriter in 1868 [${n('Sholes')}].`,
      passages,
      embed,
    );
    expect(r).toMatchObject({ supported: 1, total: 1 });
    const [s] = r.sentences;
    expect(s!.citations).toEqual([n('Sholes')]);
    expect(s!.support!.passage).toBe(n('Sholes'));
    expect(s!.support!.quote).toContain('Patented in 1868 by Christopher Latham Sholes');
    expect(s!.miscited).toBeUndefined();
  });

  test('a wrong citation number: the support is found in the right passage and the sentence is marked miscited', async () => {
    const wrong = other('Sholes');
    expect(wrong).toBeGreaterThan(0);
    const r = await checkAnswer(
      `Christopher Latham Sholes patented the typewriter in 1868 [${wrong}].`,
      passages,
      embed,
    );
    const [s] = r.sentences;
    expect(s!.citations).toEqual([wrong]);
    expect(s!.support!.passage).toBe(n('Sholes'));
    expect(s!.miscited).toBe(true);
  });

  test('an invented claim has no support, even with a real citation', async () => {
    const r = await checkAnswer(
      `The typewriter was first sold in Brazil by a bicycle maker called Lumen [${n('Sholes')}]. Sholes patented the typewriter in 1868 [${n('Sholes')}].`,
      passages,
      embed,
    );
    expect(r).toMatchObject({ supported: 1, total: 2 });
    expect(r.sentences[0]!.support).toBeNull();
    expect(r.sentences[1]!.support).not.toBeNull();
  });

  test('a number that differs from the source is not supported', async () => {
    const r = await checkAnswer(
      `Christopher Latham Sholes patented the typewriter in 1878 [${n('Sholes')}]. IBM introduced the electric typewriter in 1935 [${n('1935')}].`,
      passages,
      embed,
    );
    expect(r.sentences.map((s) => !!s.support)).toEqual([false, true]);
    expect(
      (await checkAnswer(`IBM introduced the electric typewriter in 1953 [${n('1935')}].`, passages, embed)).supported,
    ).toBe(0);
  });

  test('citation numbers pointing at no passage are dropped; a citation after the full stop belongs to its sentence', async () => {
    const r = await checkAnswer(
      `Sholes patented the typewriter in 1868 [${passages.length + 3}]. [${n('Sholes')}] IBM introduced the electric typewriter in 1935.`,
      passages,
      embed,
    );
    expect(r.sentences[0]!.citations).toEqual([n('Sholes')]);
    expect(r.sentences[0]!.droppedCitations).toEqual([passages.length + 3]);
    expect(r.sentences[0]!.text).toBe('Sholes patented the typewriter in 1868.');
    expect(r.sentences[1]!.citations).toEqual([]);
    expect(r.sentences[1]!.support?.quote).toContain('1935');
  });

  test('without embeddings (search model loading) the words alone decide, with the same outcomes', async () => {
    const r = await checkAnswer(
      `Christopher Latham Sholes patented the typewriter in 1868 [${n('Sholes')}]. The typewriter was first sold in Brazil by a bicycle maker called Lumen [1]. Sholes patented it in 1878 [${n('Sholes')}].`,
      passages,
    );
    expect(r.sentences.map((s) => !!s.support)).toEqual([true, false, false]);
  });

  test('answer text: Markdown bullets and emphasis are layout, "[1, 2]" cites two passages', () => {
    expect(answerSentences('- **Sholes** patented it [1, 2].\n- IBM made it electric [2][5].', 3)).toEqual([
      { text: 'Sholes patented it.', cited: [1, 2], citations: [1, 2] },
      { text: 'IBM made it electric.', cited: [2, 5], citations: [2] },
    ]);
  });
});

describe('applyAnswerEvent', () => {
  test('folds each kind of event into the record without touching the one it was given', () => {
    const passage = {
      docId: 'd',
      docName: 'a.pdf',
      chunkIndexes: [0],
      text: 'Sholes patented it in 1868.',
      location: { headings: [], start: 0, end: 27 },
      score: 1,
      dense: 0.7,
    };
    const sentence = {
      text: 'Sholes patented it in 1868.',
      citations: [1],
      support: { passage: 1, start: 0, end: 27, quote: 'Sholes patented it in 1868.', score: 0.9 },
    };
    const events: AnswerEvent[] = [
      { type: 'query', query: 'Who patented the typewriter? When?', rewritten: true },
      { type: 'passages', passages: [passage] },
      { type: 'coverage', covered: true, score: 0.93 },
      { type: 'extract', sentence: { ...sentence, text: 'Other.' }, provisional: true },
      { type: 'extract', sentence },
      { type: 'token', text: 'Sholes ' },
      { type: 'token', text: 'did [1].' },
      { type: 'checked', sentences: [sentence], supported: 1, total: 1 },
      { type: 'done', finishReason: 'stop' },
    ];
    const states = [newAnswerRecord('When?')];
    for (const e of events) states.push(applyAnswerEvent(states.at(-1)!, e));
    expect(states[0]).toEqual(newAnswerRecord('When?'));
    expect(states.map((s) => s.status)).toEqual([
      'retrieving',
      'retrieving',
      'answering',
      'answering',
      'answering',
      'answering',
      'answering',
      'answering',
      'answering',
      'done',
    ]);
    expect(states[4]!.extractProvisional).toBe(true);
    const last = states.at(-1)!;
    expect(last).toMatchObject({
      searchedFor: 'Who patented the typewriter? When?',
      coverage: { covered: true, score: 0.93 },
      extract: sentence,
      extractProvisional: false,
      answer: 'Sholes did [1].',
      checked: { supported: 1, total: 1 },
      finishReason: 'stop',
    });
    expect(last.keywordOnly).toBeUndefined();
    // A later 'query' as typed clears the rewrite (the record is never left with a stale one).
    expect(applyAnswerEvent(last, { type: 'query', query: 'When?', rewritten: false }).searchedFor).toBeUndefined();

    const declined = [
      { type: 'passages', passages: [passage], keywordOnly: true },
      { type: 'declined', reason: 'Not in your documents.', closest: [passage] },
      { type: 'done', finishReason: 'stop' },
    ] as AnswerEvent[];
    const d = declined.reduce(applyAnswerEvent, newAnswerRecord('How do I boil an egg?'));
    expect(d).toMatchObject({
      status: 'done',
      declined: { reason: 'Not in your documents.' },
      keywordOnly: true,
      passages: [passage],
    });
    expect(applyAnswerEvent(states[3]!, { type: 'done', finishReason: 'aborted' }).status).toBe('stopped');
  });
});

describe('splitSentences', () => {
  test('keeps abbreviations and initials inside a sentence, cuts at line breaks and inline bullets, and every offset points at its text', () => {
    const text =
      'Dr. Smith met J. S. Bach in St. Louis in 1990. Was it fun?\nA heading\n\n storage. • Wang Laboratories: In the 1970s, Wang introduced machines.';
    const spans = splitSentences(text);
    expect(spans.map((s) => s.text)).toEqual([
      'Dr. Smith met J. S. Bach in St. Louis in 1990.',
      'Was it fun?',
      'A heading',
      'storage.',
      '• Wang Laboratories: In the 1970s, Wang introduced machines.',
    ]);
    for (const s of spans) expect(text.slice(s.start, s.end)).toBe(s.text);
  });
});
