import { expect, test } from 'vitest';
import {
  answer,
  applyAnswerEvent,
  applyAskEvent,
  askQuestion,
  libraryRetriever,
  newAnswerRecord,
  newWholeRecord,
  type WholeRecord,
} from '../../core';
import { fixture, freshLibrary } from '../../../scripts/lib/library';
import { stubEmbedder } from '../../../test/helpers/stubEmbedder';
import type { Conversation, Turn } from './conversationStore';
import { conversationMarkdown, turnMarkdown } from './exportMarkdown';

/** A turn as the app records it: the real answer pipeline's events folded into one record. */
async function turn(question: string, retriever: ReturnType<typeof libraryRetriever>): Promise<Turn> {
  let record = newAnswerRecord(question);
  for await (const e of answer(question, { retriever })) record = applyAnswerEvent(record, e);
  return { ...record, status: 'done' } as Turn;
}

// Issue 23, problem 10: the export listed one source twice ([4] and [5]) and read
// "**Not in your documents.** Not in your documents: …".
test('Markdown export: one number per source a reader sees, and the decline said once', async () => {
  const embedder = stubEmbedder();
  const lib = await freshLibrary({ embedder });
  await lib.addFiles([fixture('pdf/multi_page.pdf')]);
  const retriever = libraryRetriever(lib, embedder);
  const first = await turn('Who patented the typewriter?', retriever);
  expect(first.passages.length).toBeGreaterThan(0);
  // The same passage again in a later turn, but longer at its end, as context joins neighbours.
  const p = first.passages[0]!;
  const longer = { ...p, location: { ...p.location, end: p.location.end + 40 } };
  const second: Turn = { ...first, question: 'And who patented it first?', passages: [longer] };
  const declined = await turn('How do I bake sourdough bread at home?', retriever);
  expect(declined.declined).toBeDefined();

  const c: Conversation = {
    id: 'c',
    title: 'Typewriters',
    createdAt: 0,
    updatedAt: 0,
    turns: [first, second, declined],
  };
  const md = conversationMarkdown(c);
  const lines = md.split('## Sources')[1]!.trim().split('\n');
  const shown = lines.map((l) => l.replace(/^\d+\. /, ''));
  expect(new Set(shown).size).toBe(shown.length);
  expect(md).toMatch(/\*\*Not in your documents\.\*\* Nothing in your library matches/);
  expect(md).not.toMatch(/Not in your documents\.\*\* Not in your documents/);
  lib.close();
});

// Issue 21: a summary's export is the core's text of it, each quote numbered once with its place.
test('Markdown export of a summary: headings, every sentence cited, the sources its quotes', async () => {
  const embedder = stubEmbedder();
  const lib = await freshLibrary({ embedder });
  await lib.addFiles([fixture('pdf/multi_page.pdf')]);
  const opts = { source: lib, retriever: libraryRetriever(lib, embedder) };
  let record: WholeRecord = newWholeRecord('Summarise multi_page.pdf');
  for await (const e of askQuestion(record.question, opts)) record = applyAskEvent(record, e);
  const t = { ...record, id: 's' } as Turn;
  expect(t.kind).toBe('summary');
  const md = turnMarkdown(t);
  const [body, sources] = md.split(/\n\n(?=1\. )/);
  expect(body).toMatch(/^Summary of multi_page\.pdf/);
  const cited = [...body!.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
  expect(cited.length).toBe(t.passages.length);
  // Each source line quotes exactly the sentence its number stands for.
  const lines = sources!.trim().split('\n');
  expect(lines.length).toBe(t.passages.length);
  const sentences = t.summary!.documents.flatMap((d) => d.sections.flatMap((x) => x.sentences));
  expect(sentences.length).toBe(t.passages.length);
  for (const x of sentences) expect(lines[x.citation - 1]).toContain(`“${x.text}”`);
  lib.close();
});
