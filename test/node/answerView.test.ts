import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { expect, test } from 'vitest';
import { fixture, freshLibrary, realEmbedder } from '../../scripts/lib/library';
import { answer, applyAnswerEvent, libraryRetriever, newAnswerRecord } from '../../src/core';
import { AnswerView } from '../../src/app/conversation/AnswerView';
import type { Turn } from '../../src/app/conversation/conversationStore';

// Issue 23, problem 8: the quote card and its source card disagreed (the quote was one sentence of
// the passage, its card showed two others). A real answer, from the real model, rendered as the
// conversation renders it: for this question the passage's best sentences by word overlap do not
// include the sentence the answer quotes.
test("the quoted sentence is among its source card's sentences", async () => {
  const embedder = await realEmbedder();
  const lib = await freshLibrary({ embedder });
  await lib.addFiles([fixture('pdf/multi_page.pdf'), fixture('html/wiki_duck.html'), fixture('md/wiki-ibm.md')]);
  const question = 'What is a word processor?';
  let record = newAnswerRecord(question);
  for await (const e of answer(question, { retriever: libraryRetriever(lib, embedder) }))
    record = applyAnswerEvent(record, e);
  const turn = { ...record, id: 't1', status: 'done' } as Turn;
  const quote = (turn.extract!.support?.quote ?? turn.extract!.text).replace(/\s*\[\d+\]/g, '').trim();
  const n = turn.extract!.citations[0]!;
  const html = renderToStaticMarkup(createElement(AnswerView, { turn }));
  const cards = html.split('<li class="passage">').slice(1);
  const card = cards[n - 1]!.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');
  expect(card).toContain(quote.replace(/\s+/g, ' ').slice(0, 60));
  lib.close();
}, 120_000);
