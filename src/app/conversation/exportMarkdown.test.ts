import { expect, test } from 'vitest';
import {
  answer,
  applyAnswerEvent,
  applyAskEvent,
  askQuestion,
  collectionsInWords,
  libraryRetriever,
  newAnswerRecord,
  newWholeRecord,
  type WholeRecord,
} from '../../core';
import { fixture, freshLibrary } from '../../../scripts/lib/library';
import { stubEmbedder } from '../../../test/helpers/stubEmbedder';
import type { Conversation, Turn } from './conversationStore';
import { declinedInScope, declinedTitle } from './declined';
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

// A question declined inside a collection did not look at the rest of the library: its title says
// where it looked, on screen and in the export.
test('declined in collections: the title names them; declined in the library: "Not in your documents"', async () => {
  const embedder = stubEmbedder();
  const lib = await freshLibrary({ embedder });
  await lib.addFiles([fixture('pdf/multi_page.pdf')]);
  const retriever = libraryRetriever(lib, embedder);
  const question = 'How do I bake sourdough bread at home?';
  const inBirds = async (scopeName?: string) => {
    let record = newAnswerRecord(question);
    for await (const e of answer(question, { retriever, ...(scopeName ? { scopeName } : {}) }))
      record = applyAnswerEvent(record, e);
    return record.declined!.reason;
  };
  const everywhere = await inBirds();
  expect(declinedTitle(everywhere)).toBe('Not in your documents');
  expect(declinedInScope(everywhere)).toBe(false);
  const one = await inBirds(collectionsInWords(['Birds']));
  expect(declinedTitle(one)).toBe('Not in “Birds”');
  expect(declinedInScope(one)).toBe(true);
  expect(declinedTitle(await inBirds(collectionsInWords(['Birds', 'Ponds'])))).toBe('Not in “Birds” and “Ponds”');
  expect(declinedTitle(await inBirds(collectionsInWords(['a', 'b', 'c', 'd'])))).toBe(
    'Not in the 4 collections chosen',
  );
  expect(declinedTitle(await inBirds(collectionsInWords(['What matches this question'])))).toBe(
    'Not in “What matches this question”',
  );
  const c: Conversation = { id: 'c', createdAt: 0, updatedAt: 0, turns: [] };
  const md = conversationMarkdown({
    ...c,
    turns: [{ ...newAnswerRecord(question), id: 't', declined: { reason: one }, status: 'done' } as Turn],
  });
  expect(md).toMatch(/\*\*Not in “Birds”\.\*\* Nothing in the collection “Birds” matches this question closely/);
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
