import { beforeAll, describe, expect, test } from 'vitest';
import {
  applyAskEvent,
  askQuestion,
  classifyQuestion,
  DocumentBuilder,
  libraryRetriever,
  newWholeRecord,
  questionFrom,
  quoteMatches,
  type AskEvent,
  type AskOptions,
  type Library,
  type WholeEvent,
  type WholeRecord,
} from '../../src/core';
import type { ChatMessage, GenerateOptions, GenerateResult, Generator } from '../../src/core/generate/generator';
import { lookupQuery } from '../../src/core/whole/kinds';
import { incidentLog } from '../../scripts/lib/listEval';
import { fixture, freshLibrary } from '../../scripts/lib/library';
import { half, judge, KINDS_LIBRARY, loadKinds } from '../helpers/kindsSet';
import { FIXTURE_FILES } from '../../scripts/lib/paths';
import { stubEmbedder } from '../helpers/stubEmbedder';

/**
 * Questions about the whole (issue 21), through `askQuestion` on a real library (fake-indexeddb,
 * the real chunker and keyword index; the hashing stand-in embeds, so only words decide where the
 * model would add meaning: these tests check what is read, chosen, cited and counted).
 */
async function ask(library: Library, question: string, opts: Partial<AskOptions> = {}) {
  const events: AskEvent[] = [];
  let record: WholeRecord = newWholeRecord(question);
  for await (const e of askQuestion(question, {
    source: library,
    retriever: libraryRetriever(library, library),
    ...opts,
  })) {
    events.push(e);
    record = applyAskEvent(record, e);
  }
  return { events, record };
}

function only<T extends WholeEvent['type']>(events: AskEvent[], type: T): Extract<WholeEvent, { type: T }> {
  const found = events.filter((e) => e.type === type);
  expect(found, `one ${type} event`).toHaveLength(1);
  return found[0] as Extract<WholeEvent, { type: T }>;
}

describe('question kinds', () => {
  test('the report half of the labelled questions is classified at least 95% right', () => {
    const set = loadKinds();
    expect(set.length).toBeGreaterThanOrEqual(150);
    const report = half(set, 'report');
    const wrong = report.filter((l) => !judge(l).ok);
    const accuracy = 1 - wrong.length / report.length;
    console.log(`kinds: report half ${report.length - wrong.length}/${report.length} = ${accuracy.toFixed(3)}`);
    expect(accuracy, wrong.map((w) => w.q).join('\n')).toBeGreaterThanOrEqual(0.95);
  });

  test('summaries as what papers are about are no summary asked; a paper called by its short name is what a summary reads', () => {
    const ctx = {
      documents: ['2206.10883v3.pdf', '2302.07302v1.pdf'],
      titles: {
        '2206.10883v3.pdf': 'Multi-LexSum: Real-World Summaries of Civil Rights Lawsuits at Multiple Granularities',
        '2302.07302v1.pdf':
          'CiteSee: Augmenting Citations in Scientific Papers with Persistent and Personalized Historical Context',
      },
    };
    // Each summarised the whole library.
    for (const q of [
      'How many summaries are in Multi-LexSum?',
      'What is the average length of the summaries in Multi-LexSum?',
      'Who wrote the summaries of the cases?',
      'What did participants think of the plain language summaries?',
      'Are the generated summaries faithful?',
      'Give me the summary statistics of the dataset',
      'I want to know the summary lengths in Multi-LexSum',
      'Can you tell me about the summary granularities?',
    ])
      expect(classifyQuestion(q, ctx).kind, q).not.toBe('summary');
    for (const q of [
      'Give me a summary of the CiteSee paper',
      'summary please',
      'I would like a short summary in bullets',
      'What is the summary?',
      'Short summary?',
      'How about a summary of the CiteSee paper?',
      'How about a short summary?',
    ])
      expect(classifyQuestion(q, ctx).kind, q).toBe('summary');
    // The library was summarised: "the CiteSee lab study" names no document the way "the CiteSee paper" does.
    for (const q of ['What is the main finding of the CiteSee lab study?', 'What are the key findings of CiteSee?'])
      expect(classifyQuestion(q, ctx), q).toMatchObject({
        kind: 'summary',
        scope: { level: 'document', documents: ['2302.07302v1.pdf'] },
      });
    // What is said about it, across the library, stays the library's.
    expect(classifyQuestion('Summarise what the papers say about CiteSee', ctx).scope.level).toBe('library');
    expect(classifyQuestion('What are the key findings of papers citing CiteSee?', ctx).scope.documents).toEqual([]);
  });

  test('a pronoun is the last answer’s document; a weak cue stays a lookup and offers the other reading', () => {
    const ctx = { ...KINDS_LIBRARY, lastDocument: 'bert.pdf' };
    expect(classifyQuestion('Summarise it', ctx)).toMatchObject({
      kind: 'summary',
      scope: { level: 'document', documents: ['bert.pdf'] },
    });
    expect(classifyQuestion('Summarise it', { ...KINDS_LIBRARY })).toMatchObject({
      kind: 'summary',
      scope: { level: 'library' },
    });
    expect(classifyQuestion('How many people work at IBM?', ctx)).toMatchObject({
      kind: 'lookup',
      alternative: { kind: 'count' },
    });
    // What is in it: searched as "What does contain?" inside it, these were declined.
    for (const q of ['What does multi_page.pdf contain?', 'What is in wiki-ibm.md?', 'What does the audit cover?'])
      expect(classifyQuestion(q, ctx), q).toMatchObject({ kind: 'summary', scope: { level: 'document' } });
    for (const q of [
      'What does the Treaty of Versailles contain?',
      'What is in a duck’s diet?',
      // A part of it: the figure, the table, not the whole document.
      'What is in Figure 3 of multi_page.pdf?',
      'What does Table 2 in wiki-ibm.md contain?',
    ])
      expect(classifyQuestion(q, ctx).kind, q).toBe('lookup');
    expect(classifyQuestion('What is the Treaty of Versailles about?', ctx)).toMatchObject({
      kind: 'lookup',
      alternative: { kind: 'summary', prompt: 'Summarise the whole document instead?' },
    });
    expect(classifyQuestion('Compare proposal-acme.docx and proposal-globex.docx on price', ctx)).toMatchObject({
      kind: 'compare',
      scope: { documents: ['proposal-acme.docx', 'proposal-globex.docx'] },
      target: 'price',
    });
    // A short word of a name, in capitals before a word for a document, names it.
    const fixtures = { documents: ['pdf/amt_handbook_sample.pdf', 'md/wiki-ibm.md', 'html/wiki_duck.html'] };
    expect(classifyQuestion('Summarise the AMT handbook', fixtures)).toMatchObject({
      kind: 'summary',
      scope: { documents: ['pdf/amt_handbook_sample.pdf'] },
    });
    expect(classifyQuestion('Compare the duck article and the IBM article', fixtures)).toMatchObject({
      kind: 'compare',
      scope: { documents: ['html/wiki_duck.html', 'md/wiki-ibm.md'] },
    });
    expect(classifyQuestion('What is the revenue of IBM?', fixtures).scope.documents).toEqual([]);
    expect(classifyQuestion('Summarise the AMT Handbook', fixtures).scope.documents).toEqual([
      'pdf/amt_handbook_sample.pdf',
    ]);
    // After "of", a word of a name before another word is that word's modifier, not the name.
    const word = { documents: ['docx/word_sample.docx', 'pdf/multi_page.pdf', 'proposal-acme.docx'] };
    expect(classifyQuestion('What is the history of word processors?', word).scope.documents).toEqual([]);
    expect(classifyQuestion('What is the price of acme?', word).scope.documents).toEqual(['proposal-acme.docx']);
    for (const rest of ['in 2024', '2024', 'this year', 'per unit', '(v2)', 'under clause 4', 'that we signed'])
      expect(classifyQuestion(`What is the price of acme ${rest}?`, word).scope.documents, rest).toEqual([
        'proposal-acme.docx',
      ]);
    expect(classifyQuestion("What is the price of acme's offer?", word).scope.documents).toEqual([
      'proposal-acme.docx',
    ]);
    // In a comparison, what the documents are compared on names none of them; what they are called is no aspect.
    const two = { documents: [...word.documents, 'proposal-globex.docx'] };
    expect(classifyQuestion('Compare the word counts of acme and globex', two)).toMatchObject({
      kind: 'compare',
      scope: { documents: ['proposal-acme.docx', 'proposal-globex.docx'] },
      target: 'word counts',
    });
    expect(classifyQuestion('Compare the main limitations of acme and globex', two).target).toBe('limitations');
    const picked = { ...two, current: { documents: ['proposal-acme.docx', 'proposal-globex.docx'] } };
    for (const q of ['Compare the two proposals in detail', 'Compare the documents in my selection'])
      expect(classifyQuestion(q, picked), q).toEqual({
        kind: 'compare',
        scope: { level: 'document', documents: ['proposal-acme.docx', 'proposal-globex.docx'] },
      });
    // A plural names a kind of file, not one ("the NLP papers" are not nlp-benchmark.pdf).
    const nlp = { documents: ['nlp-benchmark.pdf', 'it-security.pdf'] };
    expect(classifyQuestion('What datasets do the NLP papers use?', nlp).scope.documents).toEqual([]);
    expect(classifyQuestion('Summarise the NLP paper', nlp).scope.documents).toEqual(['nlp-benchmark.pdf']);
    expect(classifyQuestion('List every word processor mentioned in the documents', ctx)).toMatchObject({
      kind: 'list',
      scope: { level: 'library', documents: [] },
    });
  });

  test('a paper is named by its title’s short name where a document stands, not by the name alone', () => {
    // Titles as the PDF reader finds them in ../shared/data/papers.
    const ctx = {
      documents: ['2020.acl-main.447.pdf', '2302.07302v1.pdf', '2203.00130v1.pdf', 'papermage.pdf'],
      titles: {
        '2020.acl-main.447.pdf': 'S2ORC: The Semantic Scholar Open Research Corpus',
        '2302.07302v1.pdf':
          'CiteSee: Augmenting Citations in Scientific Papers with Persistent and Personalized Historical Context',
        '2203.00130v1.pdf':
          'Paper Plain: Making Medical Research Papers Approachable to Healthcare Consumers with Natural Language Processing',
      },
    };
    expect(classifyQuestion('Summarise the CiteSee paper', ctx)).toMatchObject({
      kind: 'summary',
      scope: { level: 'document', documents: ['2302.07302v1.pdf'] },
    });
    expect(classifyQuestion('Compare the Paper Plain paper and the CiteSee paper', ctx)).toMatchObject({
      kind: 'compare',
      scope: { documents: ['2203.00130v1.pdf', '2302.07302v1.pdf'] },
    });
    // What a comparison sets side by side are documents: the short names alone name them there.
    expect(classifyQuestion('Compare Paper Plain and CiteSee', ctx)).toMatchObject({
      kind: 'compare',
      scope: { documents: ['2203.00130v1.pdf', '2302.07302v1.pdf'] },
    });
    const differ = classifyQuestion('How does CiteSee differ from the Paper Plain paper?', ctx);
    expect(differ.kind).toBe('compare');
    expect(differ.scope.documents.toSorted()).toEqual(['2203.00130v1.pdf', '2302.07302v1.pdf']);
    expect(classifyQuestion('Compare S2ORC with other corpora', ctx).kind).not.toBe('compare');
    // Two named already, or a short name in what they are compared on: no third column.
    expect(classifyQuestion('Compare 2302.07302v1.pdf and papermage.pdf on CiteSee', ctx).scope.documents).toEqual([
      '2302.07302v1.pdf',
      'papermage.pdf',
    ]);
    expect(classifyQuestion('Compare the limitations of Paper Plain and CiteSee', ctx)).toMatchObject({
      kind: 'compare',
      scope: { documents: ['2203.00130v1.pdf', '2302.07302v1.pdf'] },
      target: 'limitations',
    });
    expect(classifyQuestion('Compare Paper Plain and PaperMage on S2ORC', ctx)).toMatchObject({
      kind: 'compare',
      scope: { documents: ['2203.00130v1.pdf', 'papermage.pdf'] },
      target: 'S2ORC',
    });
    expect(classifyQuestion('List every dataset used in the S2ORC paper', ctx)).toMatchObject({
      kind: 'list',
      scope: { level: 'document', documents: ['2020.acl-main.447.pdf'] },
      target: 'dataset used',
    });
    // The short name alone is what the question is about: the corpus, not the paper.
    expect(classifyQuestion('How many papers does S2ORC contain?', ctx)).toMatchObject({
      kind: 'lookup',
      scope: { level: 'library', documents: [] },
    });
    expect(classifyQuestion('How many peer-reviewed full-text English papers does S2ORC contain?', ctx).kind).toBe(
      'lookup',
    );
    expect(classifyQuestion('How many layers does that model use?', ctx).kind).toBe('lookup');
    // The document as the doer counts in it, whatever it is called.
    for (const called of ['paper', 'study', 'preprint'])
      expect(classifyQuestion(`How many datasets does the S2ORC ${called} use?`, ctx)).toMatchObject({
        kind: 'count',
        scope: { documents: ['2020.acl-main.447.pdf'] },
      });
    expect(classifyQuestion('What does CiteSee show next to a citation?', ctx)).toMatchObject({
      scope: { documents: [] },
    });
    // A list reads every passage in scope: the paper that does what it asks is where to look, and
    // its name is no word an item must hold.
    expect(classifyQuestion('What datasets does CiteSee use?', ctx)).toMatchObject({
      kind: 'list',
      scope: { level: 'document', documents: ['2302.07302v1.pdf'] },
    });
    expect(classifyQuestion('What datasets does CiteSee use?', ctx).target).toBe('What datasets use');
    // "from S2ORC" is where the papers come from, not where to read.
    expect(classifyQuestion('List every paper derived from S2ORC', ctx).scope.documents).toEqual([]);
    expect(classifyQuestion('List every user study in Paper Plain', ctx)).toMatchObject({
      kind: 'list',
      scope: { documents: ['2203.00130v1.pdf'] },
      target: 'user study',
    });
    // A figure the paper states, not a count of the word: "were in the CiteSee study" counted 53
    // mentions of participants.
    expect(classifyQuestion('How many participants were in the CiteSee study?', ctx)).toMatchObject({
      kind: 'lookup',
      scope: { documents: ['2302.07302v1.pdf'] },
    });
    // "In" a paper called by its short name alone: a figure it states, which a count of the
    // sentences saying "papers are" (1) is not.
    for (const q of ['How many papers are in S2ORC?', 'How many references are in S2ORC?'])
      expect(classifyQuestion(q, ctx), q).toMatchObject({
        kind: 'lookup',
        scope: { documents: ['2020.acl-main.447.pdf'] },
        alternative: { kind: 'count' },
      });
    expect(classifyQuestion('How many papers were surveyed in Paper Plain?', ctx).kind).toBe('lookup');
    expect(classifyQuestion('How many times is BERT mentioned in S2ORC?', ctx)).toMatchObject({
      kind: 'count',
      scope: { documents: ['2020.acl-main.447.pdf'] },
    });
    // The name as what the items say, or as what is found: the whole library is read.
    expect(classifyQuestion('Which papers mention CiteSee?', ctx).scope.documents).toEqual([]);
    expect(classifyQuestion('How many times does CiteSee appear?', ctx).scope.documents).toEqual([]);
  });
});

describe('summaries without a model', () => {
  let library: Library;
  let text: string;
  beforeAll(async () => {
    library = await freshLibrary({ embedder: stubEmbedder() });
    await library.addFiles([fixture(FIXTURE_FILES.pdf)]);
    const doc = (await library.listDocuments())[0]!;
    text = (await library.getDocumentText(doc.id))!;
  });

  test('a library summary leaves out a document with no prose to quote, but counts it as read', async () => {
    const lib = await freshLibrary({ embedder: stubEmbedder() });
    await lib.addFiles([fixture(FIXTURE_FILES.docxList), fixture(FIXTURE_FILES.markdown)]);
    const { events } = await ask(lib, 'Summarise my documents');
    const summary = only(events, 'summary');
    expect(summary.documents.map((d) => d.docName)).toEqual(['wiki-ibm.md']);
    const docs = await lib.listDocuments();
    expect(summary.read.passages).toBe(docs.reduce((n, d) => n + d.chunkCount, 0));
    lib.close();
  });

  test('sentences of the document itself, in its order, under their own headings, from across its sections, each cited', async () => {
    const { events, record } = await ask(library, 'Summarise multi_page.pdf');
    expect(only(events, 'kind')).toMatchObject({ kind: 'summary', scope: { documents: ['multi_page.pdf'] } });
    const summary = only(events, 'summary');
    expect(summary.read).toEqual({ passages: summary.read.of, of: (await library.listDocuments())[0]!.chunkCount });
    const sentences = summary.documents[0]!.sections.flatMap((s) => s.sentences.map((x) => ({ ...x, section: s })));
    expect(sentences.length).toBeGreaterThanOrEqual(4);
    let last = -1;
    for (const s of sentences) {
      const p = record.passages[s.citation - 1]!;
      // A quote is the document's text at the place it cites (its cuts shown as "…"), in the passage
      // it names, and sits under that place's heading.
      expect(quoteMatches(text.slice(p.location.start, p.location.end), s.text), s.text).toBe(true);
      expect(p.docId).toBe((await library.listDocuments())[0]!.id);
      const chunk = (await library.getChunks(p.docId)).find((c) => c.index === p.chunkIndexes[0])!.text;
      for (const piece of s.text.split('…')) expect(chunk).toContain(piece.trim());
      expect(p.location.start).toBeGreaterThan(last);
      last = p.location.start;
      expect(s.section.headings).toEqual(p.location.headings);
      const heading = s.section.headings.at(-1)!;
      const headingAt = text.lastIndexOf(heading, p.location.start);
      expect(headingAt, `${heading} comes before “${s.text}”`).toBeGreaterThanOrEqual(0);
    }
    // Coverage: the summary draws on several of the document's sections, not the first page only.
    expect(new Set(sentences.map((s) => s.section.headings.join('›'))).size).toBeGreaterThanOrEqual(4);
    expect(new Set(record.passages.map((p) => p.location.page)).size).toBeGreaterThanOrEqual(2);
  });

  test('short, medium and long are the lengths asked for', async () => {
    const words = async (length: 'short' | 'medium' | 'long') => {
      const { events } = await ask(library, 'Summarise multi_page.pdf', { length });
      return only(events, 'summary')
        .documents.flatMap((d) => d.sections.flatMap((s) => s.sentences))
        .reduce((n, s) => n + s.text.split(/\s+/).length, 0);
    };
    const [short, medium, long] = [await words('short'), await words('medium'), await words('long')];
    expect(short).toBeLessThan(medium);
    expect(medium).toBeLessThan(long);
    expect(short).toBeLessThanOrEqual(80 * 1.15);
  });

  test('a section asked for by name is summarised from that section only; an unknown one is said so', async () => {
    const { events } = await ask(library, 'Summarise the Modern Era section of multi_page.pdf');
    const summary = only(events, 'summary');
    for (const s of summary.documents[0]!.sections) expect(s.headings.join(' ')).toMatch(/Modern Era/);
    const none = await ask(library, 'Summarise chapter 9 of multi_page.pdf');
    expect(none.record.declined?.reason).toBe('No section called “chapter 9” in multi_page.pdf.');
  });

  test('a lookup in a named document that finds nothing says it searched that document (issue 23, problem 16)', async () => {
    const { events, record } = await ask(library, 'How long should I boil an egg for a runny yolk in multi_page.pdf?');
    expect(only(events, 'kind')).toMatchObject({ kind: 'lookup', scope: { documents: ['multi_page.pdf'] } });
    expect(record.declined?.reason).toContain('nothing in “multi_page.pdf” matches');
  });

  test('with a model: one prompt per section, then one that joins them; every written sentence checked', async () => {
    const engine = new SectionEngine();
    const { events, record } = await ask(library, 'Summarise multi_page.pdf', { generator: engine });
    const summary = only(events, 'summary');
    const sections = summary.documents[0]!.sections;
    expect(engine.calls).toHaveLength(sections.length + 1);
    // No prompt holds the whole document: each map prompt holds its own section's quotes only.
    sections.forEach((s, i) => {
      const prompt = engine.calls[i]!.at(-1)!.content;
      for (const x of s.sentences) expect(prompt).toContain(x.text);
      for (const other of sections.filter((o) => o !== s))
        for (const x of other.sentences) expect(prompt).not.toContain(x.text);
    });
    expect(record.checked!.total).toBe(sections.length + 1);
    // Each section's first quote, copied, is supported; the invented closing sentence is not.
    expect(record.checked!.supported).toBe(sections.length);
    expect(record.checked!.sentences.at(-1)!.support).toBeNull();
  });
});

/** A model the test controls: it copies the first quote of each section, then joins and adds a made-up line. */
class SectionEngine implements Generator {
  readonly id = 'sections';
  readonly contextWindow = 2048;
  calls: ChatMessage[][] = [];
  async countTokens(t: string) {
    return t.split(/\s+/).length;
  }
  async generate(messages: ChatMessage[], _opts: GenerateOptions = {}): Promise<GenerateResult> {
    this.calls.push(messages);
    const prompt = messages.at(-1)!.content;
    if (prompt.startsWith('Section:')) {
      const m = prompt.match(/^\[(\d+)\] (.*)$/m)!;
      return { text: `${m[2]} [${m[1]}]`, finishReason: 'stop' };
    }
    return { text: `${prompt}\nThe author won a Pulitzer Prize for this history in 1999. [1]`, finishReason: 'stop' };
  }
  interrupt() {}
  async dispose() {}
}

const log0 = (docs: { id: string; name: string }[]) => docs.find((d) => d.name === 'incident-log.md')!;

describe('lists and counts from every passage', () => {
  let library: Library;
  let planted: ReturnType<typeof incidentLog>['planted'];
  beforeAll(async () => {
    library = await freshLibrary({ embedder: stubEmbedder() });
    const log = incidentLog('tune', 240);
    planted = log.planted;
    const contract = (body: string) => {
      const b = new DocumentBuilder('text');
      b.block(body);
      return b.build();
    };
    await library.addParsed([
      { name: 'incident-log.md', parsed: log.doc },
      {
        name: 'contract-a.txt',
        parsed: contract('This agreement renews automatically each year (auto-renewal) unless cancelled.'),
      },
      { name: 'contract-b.txt', parsed: contract('Clause 9 sets out an auto-renewal for further twelve-month terms.') },
      { name: 'contract-c.txt', parsed: contract('There is no auto-renewal: the agreement ends on 31 December.') },
    ]);
  });

  test('every planted forklift incident is listed, each cited once, and no hard negative', async () => {
    const { events, record } = await ask(library, 'List every incident that involved a forklift in incident-log.md');
    const list = only(events, 'list');
    const items = list.groups.flatMap((g) => g.sections.flatMap((s) => s.items));
    const wanted = planted[0]!.positives;
    for (const p of wanted)
      expect(
        items.some((i) => i.text === p),
        p,
      ).toBe(true);
    expect(items).toHaveLength(wanted.length);
    const logText = (await library.getDocumentText(log0(await library.listDocuments()).id))!;
    for (const i of items) {
      const p = record.passages[i.citation - 1]!;
      expect(p.text).toBe(i.text);
      // The citation opens the right document at the right place, as a lookup's passage does.
      expect(p.docId).toBe(log0(await library.listDocuments()).id);
      expect(logText.slice(p.location.start, p.location.end)).toBe(i.text);
      const chunk = (await library.getChunks(p.docId)).find((c) => c.index === p.chunkIndexes[0])!;
      expect(chunk.text).toContain(i.text);
    }
    const log = (await library.listDocuments()).find((d) => d.name === 'incident-log.md')!;
    expect(list.scanned).toEqual({ passages: log.chunkCount, of: log.chunkCount });
    expect(list.statement).toBe(`Read all ${log.chunkCount} passages of incident-log.md: ${wanted.length} found.`);
    // Grouped by document and then by section (the log's months), in document order.
    expect(list.groups.map((g) => g.docName)).toEqual(['incident-log.md']);
    expect(list.groups[0]!.sections.length).toBeGreaterThan(3);
    expect(events.some((e) => e.type === 'progress')).toBe(true);
  });

  test('a count is the number of distinct items, shown with its list; counting documents counts documents', async () => {
    const brakes = await ask(library, 'How many brake failures are in incident-log.md?');
    const list = only(brakes.events, 'list');
    expect(list).toMatchObject({ kind: 'count', count: planted[1]!.positives.length, counts: 'items' });
    expect(
      list.groups
        .flatMap((g) => g.sections.flatMap((s) => s.items))
        .map((i) => i.text)
        .sort(),
    ).toEqual([...planted[1]!.positives].sort());
    const contracts = await ask(library, 'How many contracts mention an auto-renewal?');
    const c = only(contracts.events, 'list');
    expect(c).toMatchObject({ kind: 'count', count: 2, counts: 'documents' });
    expect(c.groups.map((g) => g.docName)).toEqual(['contract-a.txt', 'contract-b.txt']);
    // Documents are what was asked for: each once, with its first mention.
    expect(c.groups.map((g) => g.sections.flatMap((x) => x.items).length)).toEqual([1, 1]);
    expect(c.statement).toMatch(/: 2 documents found \(\d+ mentions? in all\), each shown with its first\.$/);
    const which = only((await ask(library, 'Which documents mention a forklift?')).events, 'list');
    expect(which).toMatchObject({ kind: 'list', count: 1, counts: 'documents' });
    const items = which.groups.flatMap((g) => g.sections.flatMap((x) => x.items));
    expect(items).toHaveLength(1);
    const mentions = Number(/\((\d+) mentions in all\)/.exec(which.statement)?.[1]);
    expect(mentions).toBeGreaterThan(5);
  });

  test('the other reading, taken: a lookup offered as a count is counted', async () => {
    const first = await ask(library, 'How many ladders are mentioned in incident-log.md?');
    const kind = only(first.events, 'kind');
    const offered = kind.kind === 'lookup' ? kind.alternative : { kind: kind.kind };
    expect(offered?.kind).toBe('count');
    const { events } = await ask(library, 'How many ladders are mentioned in incident-log.md?', {
      as: { kind: 'count', scope: kind.scope },
    });
    const list = only(events, 'list');
    expect(list.count).toBeGreaterThan(0);
    for (const g of list.groups) for (const s of g.sections) for (const i of s.items) expect(i.text).toMatch(/ladder/i);
  });

  test('with a model, each found item is put to it as a yes/no question, a few at a time; a no drops it', async () => {
    const engine = new YesNoEngine((sentence) => !/pallet/.test(sentence));
    const { events } = await ask(library, 'List every incident that involved a forklift in incident-log.md', {
      generator: engine,
    });
    const items = only(events, 'list').groups.flatMap((g) => g.sections.flatMap((s) => s.items.map((i) => i.text)));
    const wanted = planted[0]!.positives.filter((p) => !/pallet/.test(p));
    expect(items.sort()).toEqual([...wanted].sort());
    expect(engine.asked).toBe(planted[0]!.positives.length);
    expect(engine.calls).toBe(Math.ceil(planted[0]!.positives.length / 8));
    // While it checks, the page is told how far (a Stop then says the items are unconfirmed).
    const checking = events.flatMap((e) => (e.type === 'progress' && e.checking !== undefined ? [e] : []));
    expect(checking.map((e) => [e.checked, e.checking])).toEqual(
      Array.from({ length: engine.calls }, (_, i) => [8 * i, planted[0]!.positives.length]),
    );
    expect(checking.every((e) => e.read === e.of)).toBe(true);
    // Each no is sent as it is given, so a Stop part-way does not show what the model turned down.
    const dropped = events.flatMap((e) => (e.type === 'dropped' ? e.items.map((i) => i.text) : []));
    expect(dropped.sort()).toEqual(planted[0]!.positives.filter((p) => /pallet/.test(p)).sort());
  });

  test('a no is read in the shapes small models write it', async () => {
    const wanted = planted[0]!.positives.filter((p) => !/pallet/.test(p)).sort();
    for (const line of [
      (n: string, yes: boolean) => `**${n}.** ${yes ? 'Yes' : 'No'}`,
      (n: string, yes: boolean) => `Sentence ${n}: ${yes ? 'yes' : 'no'}`,
      (n: string, yes: boolean) => `- ${n} – ${yes ? 'yes' : 'no'}`,
      (n: string, yes: boolean) => `${n}) ${yes ? 'YES' : 'NO'}, it does${yes ? '' : ' not'}`,
    ]) {
      const engine = new YesNoEngine((sentence) => !/pallet/.test(sentence), line);
      const { events } = await ask(library, 'List every incident that involved a forklift in incident-log.md', {
        generator: engine,
      });
      const items = only(events, 'list').groups.flatMap((g) => g.sections.flatMap((s) => s.items.map((i) => i.text)));
      expect(items.sort(), line('1', false)).toEqual(wanted);
    }
  });

  test('Stop ends a long scan: the answer ends aborted', async () => {
    const controller = new AbortController();
    const events: AskEvent[] = [];
    for await (const e of askQuestion('List every mention of a ladder', {
      source: library,
      retriever: libraryRetriever(library, library),
      signal: controller.signal,
    })) {
      events.push(e);
      if (e.type === 'kind') controller.abort();
    }
    expect(events.at(-1)).toEqual({ type: 'done', finishReason: 'aborted' });
    expect(events.some((e) => e.type === 'list')).toBe(false);
  });
});

describe('comparisons', () => {
  /** A Markdown document: its title, then its sections (a heading, or none, and paragraphs). */
  const paper = (title: string, sections: [string | undefined, string[]][]) => {
    const b = new DocumentBuilder('markdown');
    b.heading(title, 1);
    for (const [heading, paragraphs] of sections) {
      if (heading) b.heading(heading, 2);
      for (const p of paragraphs) b.block(p);
    }
    return b.build();
  };
  const doc = (title: string, paragraphs: string[]) => paper(title, [[undefined, paragraphs]]);

  test('one cited cell per document per aspect; a document without it says so', async () => {
    const library = await freshLibrary({ embedder: stubEmbedder() });
    await library.addParsed([
      {
        name: 'proposal-acme.md',
        parsed: doc('Acme proposal', [
          'Delivery of the new warehouse system takes twelve weeks.',
          'The total price is 48,000 euros including installation and training.',
        ]),
      },
      {
        name: 'proposal-globex.md',
        parsed: doc('Globex proposal', [
          'Globex offers a cloud system with a dedicated support team.',
          'Delivery takes eight weeks after signature.',
        ]),
      },
    ]);
    const { events, record } = await ask(library, 'Compare proposal-acme.md and proposal-globex.md on price');
    const table = only(events, 'compare');
    expect(table.documents).toEqual(['proposal-acme.md', 'proposal-globex.md']);
    expect(table.rows).toHaveLength(1);
    const [acme, globex] = table.rows[0]!.cells;
    expect(acme).toMatchObject({
      docName: 'proposal-acme.md',
      text: 'The total price is 48,000 euros including installation and training.',
    });
    const cited = record.passages[(acme as { citation: number }).citation - 1]!;
    expect(cited.docName).toBe('proposal-acme.md');
    expect(cited.docId).toBe((await library.listDocuments()).find((d) => d.name === 'proposal-acme.md')!.id);
    expect(globex).toEqual({ docName: 'proposal-globex.md', missing: 'Not found in proposal-globex.md' });

    // A lookup that names a document searches that document only.
    const lookup = await ask(library, 'What does proposal-globex.md say about the price?');
    expect(lookup.record.kind).toBe('lookup');
    expect(new Set(lookup.record.passages.map((p) => p.docName))).toEqual(new Set(['proposal-globex.md']));

    const delivery = only(
      (await ask(library, 'Compare proposal-acme.md and proposal-globex.md on delivery')).events,
      'compare',
    );
    expect(delivery.rows[0]!.cells.map((c) => ('text' in c ? c.text : c.missing))).toEqual([
      'Delivery of the new warehouse system takes twelve weeks.',
      'Delivery takes eight weeks after signature.',
    ]);
  });
  test('without an aspect: an overview, then the sections both share, each cell what its section says; no reference list', async () => {
    const library = await freshLibrary({ embedder: stubEmbedder() });
    // Passages of about a section each, as a real paper's sections are longer than one passage.
    library.setChunking({ maxTokens: 24, minTokens: 4, overlapTokens: 0 });
    await library.addParsed([
      {
        name: 'tagger.md',
        parsed: paper('A fast tagger', [
          ['Abstract', ['We present a part-of-speech tagger that labels ten thousand words per second on one core.']],
          ['1 Introduction', ['Tagging words with their parts of speech is a first step of many language pipelines.']],
          ['2 Method', ['The tagger reads each sentence once from left to right with a small recurrent network.']],
          [
            'References',
            ['Smith, J. and Jones, K. Tagging text with hidden models of speech. Journal of Texts, 2001.'],
          ],
        ]),
      },
      {
        name: 'parser.md',
        parsed: paper('An exact parser', [
          ['Abstract', ['We describe a dependency parser that finds the best tree of every sentence exactly.']],
          ['Introduction', ['Parsers give the grammatical structure that translation and question answering rely on.']],
          ['Method', ['The parser scores every arc with a linear model and decodes with a spanning tree algorithm.']],
          ['References', ['Brown, A. Parsing with spanning trees of graphs of words. Journal of Texts, 2005.']],
        ]),
      },
    ]);
    const table = only((await ask(library, 'Compare tagger.md and parser.md')).events, 'compare');
    expect(table.rows.map((r) => r.aspect)).toEqual(['Overview', 'Introduction', 'Method']);
    const text = (c: (typeof table.rows)[number]['cells'][number]) => ('text' in c ? c.text : c.missing);
    // Neither introduction says "introduction": each cell is its section's own sentence.
    expect(table.rows[1]!.cells.map(text)).toEqual([
      'Tagging words with their parts of speech is a first step of many language pipelines.',
      'Parsers give the grammatical structure that translation and question answering rely on.',
    ]);
    expect(table.rows[2]!.cells.map(text)).toEqual([
      'The tagger reads each sentence once from left to right with a small recurrent network.',
      'The parser scores every arc with a linear model and decodes with a spanning tree algorithm.',
    ]);
    // A kind of section asked for ("the methods of …"): each cell that section's own sentence,
    // though neither says "method"; before, both were "Not found".
    const methods = only((await ask(library, 'Compare the methods of tagger.md and parser.md')).events, 'compare');
    expect(methods.rows.map((r) => r.aspect)).toEqual(['methods']);
    expect(methods.rows[0]!.cells.map(text)).toEqual([
      'The tagger reads each sentence once from left to right with a small recurrent network.',
      'The parser scores every arc with a linear model and decodes with a spanning tree algorithm.',
    ]);
  });
});

describe('a lookup that names its document', () => {
  test('is searched for without the name where the name says where to look', () => {
    const titles = {
      '2203.00130v1.pdf':
        'Paper Plain: Making Medical Research Papers Approachable to Healthcare Consumers with Natural Language Processing',
    };
    const q = (s: string) => lookupQuery(s, ['2203.00130v1.pdf'], titles);
    // "Paper Plain paper" had pulled the quote out of the Limitations section.
    expect(q('What are the limitations of the Paper Plain paper?')).toBe('What are the limitations?');
    expect(q('How were participants recruited in the Paper Plain paper?')).toBe('How were participants recruited?');
    expect(q('What does the Paper Plain paper say about gists?')).toBe('gists?');
    // "In the … study" is where the participants were: searched as "How many participants were?", declined.
    expect(q('How many participants were in the Paper Plain study?')).toBe('How many participants were in the study?');
    // What the question is about stays, and so does a question left with no word of its own.
    expect(q('Who wrote the Paper Plain paper?')).toBe('Who wrote the Paper Plain paper?');
    expect(q('What is in the Paper Plain paper?')).toBe('What is in the Paper Plain paper?');
  });

  test('is searched in it without the name: the name’s words cover nothing', async () => {
    const library = await freshLibrary();
    await library.addFiles([fixture(FIXTURE_FILES.html), fixture(FIXTURE_FILES.markdown)]);
    // "wiki_duck.html" and "say" had matched "Don't feed the ducks bread, say conservationists".
    const duck = await ask(library, 'What does wiki_duck.html say about Big Blue?');
    expect(duck.record.kind).toBe('lookup');
    expect(duck.record.declined?.reason).toMatch(/^Not in your documents: nothing in “wiki_duck\.html” matches/);
    const feeding = await ask(library, 'What does wiki_duck.html say about feeding?');
    expect(feeding.record.extract?.text).toMatch(/\bfeed/);
    expect(feeding.record.extract?.text).not.toMatch(/bread, say conservationists/);
    const ibm = await ask(library, 'What does wiki-ibm.md say about Big Blue?');
    expect(ibm.record.extract?.text).toMatch(/Big Blue/);
    // A name that is what the question is about stays in it: this is answered, not declined.
    const what = await ask(library, 'What is wiki-ibm.md?');
    expect(what.record.declined).toBeUndefined();
    expect(what.record.extract?.text).toMatch(/IBM/);
    // An article that says its aim nowhere ("we introduce …") keeps the question's kind: a summary.
    expect((await ask(library, 'What is the main idea of wiki-ibm.md?')).record.kind).toBe('summary');
    // The model is asked the question as asked, not the words searched.
    const engine = new SectionEngine();
    await ask(library, 'What does wiki_duck.html say about feeding?', { generator: engine });
    const asked = engine.calls.map((m) => m.at(-1)!.content);
    expect(asked.some((c) => c.includes('What does wiki_duck.html say about feeding?'))).toBe(true);
  });
});

describe('source guides', () => {
  test('a paper’s topics are its own sections, not its title, abstract, introduction or references', async () => {
    const library = await freshLibrary({ embedder: stubEmbedder() });
    const b = new DocumentBuilder('markdown');
    b.heading('Beyond Summarization: AI Support for Expository Writing', 1);
    const sections: [string, string][] = [
      ['ABSTRACT', 'We argue that AI support for expository writing is a research problem of its own.'],
      ['1 INTRODUCTION', 'Writers of reports read many sources before they write a line of their own.'],
      ['2 CHARACTERIZING EXPOSITORY WRITING', 'Expository writing explains a topic from sources with evidence.'],
      ['3 DESIGNING AI SUPPORTS', 'Tools that help writers should find evidence and keep track of sources.'],
      ['4 Evaluating writing tools', 'Each tool was tried by twelve writers on two tasks of their own.'],
      ['REFERENCES', 'Smith. Writing with models. arXiv preprint. Jones. Reading with models. arXiv preprint.'],
    ];
    for (const [heading, text] of sections) {
      b.heading(heading, 2);
      b.block(text);
    }
    // Passages of about a section each, as a real paper's sections are longer than one passage.
    library.setChunking({ maxTokens: 24, minTokens: 4, overlapTokens: 0 });
    await library.addParsed([{ name: 'expository.pdf', parsed: b.build() }]);
    const guide = (await library.sourceGuide((await library.listDocuments())[0]!.id))!;
    // Capitals as a label, the body's own acronym kept: "AI" (written so in running text).
    expect(guide.topics).toEqual([
      'Characterizing expository writing',
      'Designing AI supports',
      'Evaluating writing tools',
    ]);
    // A capitalised first word that is no name is not a sentence's subject.
    expect(questionFrom('While SCIBERT is a model of scientific text, it was trained on few papers.')).toBeNull();
    expect(questionFrom('Each Layer is a sequence of content units.')).toBeNull();
    expect(questionFrom('SCIBERT is a model of scientific text.')).toBe('What is SCIBERT?');
  });

  test('a short quoted summary, the topics from its headings, 3–5 questions it answers; stored, and recomputed when the document changes', async () => {
    let reads = 0;
    const library = await freshLibrary({ embedder: stubEmbedder() });
    await library.addFiles([fixture(FIXTURE_FILES.markdown)]);
    const doc = (await library.listDocuments())[0]!;
    const text = (await library.getDocumentText(doc.id))!;
    const guide = (await library.sourceGuide(doc.id))!;
    expect(guide.summary.length).toBeGreaterThanOrEqual(2);
    for (const s of guide.summary)
      expect(quoteMatches(text.slice(s.location.start, s.location.end), s.text)).toBe(true);
    expect(guide.summary.reduce((n, s) => n + s.text.split(/\s+/).length, 0)).toBeLessThanOrEqual(70);
    expect(guide.topics.length).toBeGreaterThanOrEqual(3);
    for (const t of guide.topics) expect(text).toContain(t);
    // A three-word name is one topic, as the document writes it; no phrase spans punctuation ("Company (CTR)").
    expect(guide.topics).toContain('International Business Machines');
    expect(guide.topics.filter((t) => /^(?:International Business|Business Machines|Company CTR)$/i.test(t))).toEqual(
      [],
    );
    expect(guide.questions.length).toBeGreaterThanOrEqual(3);
    expect(guide.questions.length).toBeLessThanOrEqual(5);
    expect(guide.questions).toContain('When was IBM founded?');
    // The answer to a suggested question is in the document: the lookup finds it there.
    const founded = await ask(library, 'When was IBM founded?');
    expect(founded.record.extract?.text).toMatch(/1911/);

    // Stored: asking again reads no passage.
    const getChunks = library.getChunks.bind(library);
    library.getChunks = async (id: string) => {
      reads++;
      return getChunks(id);
    };
    expect(await library.sourceGuide(doc.id)).toEqual(guide);
    expect(reads).toBe(0);
    // Re-indexed (here: with smaller passages), the document's guide is computed again in the
    // background pass, and the old one goes.
    library.setChunking({ maxTokens: 120 });
    await library.reindex(doc.id);
    const now = (await library.listDocuments())[0]!;
    expect(await library.prepareGuides()).toBe(1);
    expect(reads).toBeGreaterThan(0);
    const again = (await library.sourceGuide(now.id))!;
    expect(again.basis.chunkCount).toBe(now.chunkCount);
    expect(again.basis.chunkCount).not.toBe(guide.basis.chunkCount);
    expect(await library.sourceGuide(doc.id)).toBeUndefined();
    expect(await library.prepareGuides()).toBe(0);
  });
});

/** A model that answers the yes/no check as `says` decides, and counts what it was asked. */
class YesNoEngine implements Generator {
  readonly id = 'yes-no';
  readonly contextWindow = 2048;
  calls = 0;
  asked = 0;
  constructor(
    private readonly says: (sentence: string) => boolean,
    /** How a line of the reply is written: small models vary ("3 no", "**3.** No", "Sentence 3: no"). */
    private readonly line = (n: string, yes: boolean) => `${n} ${yes ? 'yes' : 'no'}`,
  ) {}
  async countTokens(t: string) {
    return t.split(/\s+/).length;
  }
  async generate(messages: ChatMessage[]): Promise<GenerateResult> {
    this.calls++;
    const lines = [...messages.at(-1)!.content.matchAll(/^(\d+)\. (.*)$/gm)];
    this.asked += lines.length;
    return { text: lines.map((m) => this.line(m[1]!, this.says(m[2]!))).join('\n'), finishReason: 'stop' };
  }
  interrupt() {}
  async dispose() {}
}
