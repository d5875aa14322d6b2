/**
 * One call for any question: `askQuestion` decides its kind (kinds.ts), answers a lookup with the
 * answer pipeline as it is, and a summary, a list, a count or a comparison by reading every passage
 * in scope. Its events are the pipeline's `AnswerEvent`s plus `WholeEvent`s (types.ts), in order:
 * `kind`, then for a whole answer `progress`/`items` while it reads, `passages` (exactly what it
 * cites), its own event (`summary` | `list` | `compare`), with a model `token`s and `checked`, and
 * always `done` last.
 */
import { answer, type AnswerOptions } from '../answer/pipeline';
import { aimOf, asksAim, mayAskAim, type AimQuote } from '../answer/aim';
import { asksAuthors, bylineOf, mayAskAuthors, namesAsIt } from '../answer/byline';
import { collectionsInWords } from '../answer/scopeWords';
import { checkAnswer } from '../answer/check';
import type { AnswerEvent } from '../answer/types';
import type { ChatMessage, Generator } from '../generate/generator';
import type { TableAnswer } from '../table/answer';
import { compareDocuments } from './compare';
import { classifyQuestion, lookupQuery, shortTitle, stem, target, type Classification } from './kinds';
import { Citations, citedList, distinctItems, type FoundItem } from './items';
import { countItems, listCondition, scanPassages, type ListItem } from './scan';
import {
  countPassages,
  readingOnce,
  passagesInScope,
  resolveScope,
  type ResolvedScope,
  type WholeDocument,
  type WholeSource,
} from './source';
import { askedKind, sectionAsked } from './sectionAsked';
import { summarisePassages, SUMMARY_WORDS, type SummaryLength } from './summarise';
import type { CompareRow, SummaryDocument, WholeEvent } from './types';

export interface AskOptions extends AnswerOptions {
  source: WholeSource;
  /** The document of the last answer ("summarise it") and the scope picker. */
  lastDocument?: string;
  current?: { documents?: string[]; collection?: string };
  /** Summary length (default medium), or words (overrides it). */
  length?: SummaryLength;
  words?: number;
  /** Skip classification: answer as this kind (the person took the offered other reading). */
  as?: Classification;
}

export type AskEvent = AnswerEvent | WholeEvent;

/**
 * Classifies the question against this library's names; a lookup of one named document shaped as a
 * question about a kind of section ("What are the limitations of X?") also reads that document's
 * heading paths (one `getChunks`) to see whether it has one.
 */
export async function classifyIn(
  source: WholeSource,
  question: string,
  opts: Pick<AskOptions, 'lastDocument' | 'current' | 'history'> = {},
): Promise<Classification> {
  const docs = await source.listDocuments();
  const collections = (await source.listCollections?.()) ?? [];
  const c = classifyQuestion(question, {
    documents: docs.map((d) => d.name),
    collections: collections.map((c) => c.name),
    titles: Object.fromEntries(docs.flatMap((d) => (d.title ? [[d.name, d.title]] : []))),
    ...(opts.lastDocument ? { lastDocument: opts.lastDocument } : {}),
    ...(opts.current ? { current: opts.current } : {}),
  });
  // "What are the limitations of the CiteSee paper?": what a section of the named paper says.
  const mayAim = mayAskAim(question);
  // Every name of every document is looked for: only for a question that may be about one.
  const about = c.kind === 'lookup' || mayAim ? aboutWhich(question, c, docs, collections) : undefined;
  const doc =
    c.kind === 'lookup' && about?.docs.length === 1 && (about.inScope || about.named) ? about.docs[0] : undefined;
  const section = doc ? await askedOf(question, doc, source) : undefined;
  if (doc && section)
    return { kind: 'summary', scope: { ...c.scope, level: 'section', documents: [doc.name], section } };
  // "What is the main idea of LongEval?" asks what the paper LongEval names says it does, not for a
  // summary of the library; of a document that says it nowhere, the question keeps its kind.
  const aim =
    about && mayAim
      ? await aimAsked(question, about, source, !!opts.lastDocument || !!opts.history?.length)
      : undefined;
  return aim ? { kind: 'lookup', scope: { level: 'document', documents: [aim.doc.name] }, aim: { list: aim.list } } : c;
}

/**
 * The table answer of a question read as a list or count ("How many bird strikes happened at
 * night?", "Which year had the most…") when a table computes it exactly: then it is answered as a
 * lookup, which shows this computation (`computedTable`), not by reading passages. By the rules
 * alone (no model is asked here); undefined otherwise.
 */
export async function computedByTable(
  question: string,
  c: Classification,
  opts: Pick<AskOptions, 'retriever' | 'source' | 'search' | 'tables'>,
): Promise<TableAnswer | undefined> {
  if (!opts.tables || (c.kind !== 'list' && c.kind !== 'count') || !opts.retriever.tableAnswer) return undefined;
  const { retriever } = await scoped(opts, c);
  const collections = opts.search?.collections;
  const table = await retriever.tableAnswer?.(question, collections ? { collections } : {});
  return table?.status === 'computed' ? table : undefined;
}

export async function* askQuestion(question: string, opts: AskOptions): AsyncGenerator<AskEvent, void, undefined> {
  // The kind, the byline, the names and the narrowed search each want the library's documents.
  const source = readingOnce(opts.source);
  opts = { ...opts, source };
  let c = opts.as ?? (await classifyIn(source, question, opts));
  const computed = opts.as ? undefined : await computedByTable(question, c, opts);
  if (computed) {
    c = { ...c, kind: 'lookup' };
    opts = { ...opts, computedTable: computed };
  }
  // The other reading taken ("Count every mention instead?"): a list or count needs its condition.
  if ((c.kind === 'list' || c.kind === 'count') && !c.target)
    c = {
      ...c,
      target: target(
        question,
        (await opts.source.listDocuments()).map((d) => d.name),
      ),
    };
  yield {
    type: 'kind',
    kind: c.kind,
    scope: c.scope,
    ...(c.target ? { target: c.target } : {}),
    ...(c.alternative ? { alternative: c.alternative } : {}),
  };
  if (c.kind === 'lookup') {
    // Decided when it was classified (here, or in the app before it asked, which read the same paper).
    if (c.aim) {
      const doc = (await source.listDocuments()).find((d) => d.name === c.scope.documents[0]);
      const aim = doc && aimOf(await source.getChunks(doc.id), c.aim.list);
      if (doc && aim) return yield* quoted(question, doc, aim);
    }
    const byline = mayAskAuthors(question) ? await bylineAnswer(question, c, source) : null;
    if (byline) return yield* byline;
    const named = c.scope.documents.length
      ? (await source.listDocuments()).filter((d) => c.scope.documents.includes(d.name))
      : [];
    const titles = Object.fromEntries(named.flatMap((d) => (d.title ? [[d.name, d.title]] : [])));
    const query = named.length ? lookupQuery(question, c.scope.documents, titles) : question;
    return yield* answer(question, {
      ...opts,
      ...(await scoped(opts, c)),
      ...(query !== question ? { searchAs: query } : {}),
    });
  }
  try {
    const scope = await resolveScope(opts.source, c.scope);
    if (scope.section && !(await countPassages(opts.source, scope))) {
      const reason = `No section called “${scope.section}” in ${scope.documents.length === 1 ? scope.documents[0]!.name : 'your library'}.`;
      yield { type: 'declined', reason, closest: [] };
      return yield { type: 'done', finishReason: 'stop' };
    }
    if (c.kind === 'summary') yield* summaryAnswer(scope, c, opts);
    else if (c.kind === 'compare') yield* compareAnswer(scope, c, opts);
    else yield* listAnswer(scope, c, opts);
    yield { type: 'done', finishReason: 'stop' };
  } catch (err) {
    if (opts.signal?.aborted) return yield { type: 'done', finishReason: 'aborted' };
    throw err;
  }
}

/** The section a lookup of one named document asks for (sectionAsked.ts), or undefined. */
async function askedOf(question: string, doc: WholeDocument, source: WholeSource): Promise<string | undefined> {
  // Without the document's names, by any of them: "What are the limitations of Paper Plain?" →
  // "What are the limitations?".
  const asked = namesAsIt(question, namesOf(doc))
    .replace(/,?\s*\b(?:of|in|from|according\s+to)\s+it\b/gi, '')
    .replace(/\s+([?.!,])/g, '$1')
    .trim();
  // Its headings are read only for a question shaped as one ("What are the limitations?").
  if (asked === question || !askedKind(asked)) return undefined;
  return sectionAsked(
    asked,
    (await source.getChunks(doc.id)).map((c) => c.location.headings),
  );
}

interface About {
  docs: WholeDocument[];
  /** The one document in scope (named, "it", the scope picker's). */
  inScope: boolean;
  /** Called by a name in the question. */
  named: boolean;
}

/**
 * The documents a question about one document may be about: the one in scope (named, "it", the
 * scope picker's), else those it calls by any name (the short name alone too: "Who are the authors
 * of Multi-LexSum?"), else the library's only one.
 */
function aboutWhich(
  question: string,
  c: Classification,
  docs: WholeDocument[],
  collections: { id: string; name: string }[] = [],
): About {
  const inScope = c.scope.documents.length === 1 ? docs.filter((d) => d.name === c.scope.documents[0]) : [];
  if (inScope.length) return { docs: inScope, inScope: true, named: false };
  const unnamed = namesAsIt(question, []);
  // Inside a collection (named, or the scope picker's), its documents only.
  const wanted = c.scope.level === 'collection' ? c.scope.collection?.toLowerCase() : undefined;
  const inCollection = wanted
    ? new Set(collections.filter((x) => x.name.toLowerCase() === wanted).map((x) => x.id))
    : null;
  const named = docs.filter(
    (d) =>
      (!inCollection || d.collections?.some((id) => inCollection.has(id))) &&
      namesAsIt(question, namesOf(d)) !== unnamed,
  );
  if (named.length) return { docs: named, inScope: false, named: true };
  const only = !c.scope.documents.length && c.scope.level === 'library' && docs.length === 1;
  return { docs: only ? docs : [], inScope: false, named: false };
}

/** A document's names as a question may call it: file name, base name, title, short title. */
function namesOf(doc: WholeDocument): string[] {
  const short = doc.title && shortTitle(doc.title);
  // A file name's stem is a name only when no everyday word is: "papermage", not "a" of a.txt.
  const bare = stem(doc.name);
  return [doc.name, doc.name.split('/').pop()!, bare.length >= 4 ? bare : '', doc.title ?? '', short || ''];
}

/**
 * What the document a question asks the aim of says it does ("What is the main contribution of the
 * PaperMage paper?", "What does it propose?"): the document is the one in scope, or the one the
 * question names, or the library's only one; the quote is from its abstract or introduction
 * (aim.ts). Undefined when the question asks no such thing or the document says it nowhere there.
 */
async function aimAsked(
  question: string,
  about: About,
  source: WholeSource,
  followUp: boolean,
): Promise<{ doc: WholeDocument; list: boolean } | undefined> {
  const unnamed = namesAsIt(question, []);
  // After an answer, "What does it do?" may mean what the answer was about ("magelib"), not the paper;
  // "What does the paper propose?", or one that names it, does not.
  const pronoun = (doc: WholeDocument) =>
    namesAsIt(question, namesOf(doc)) === unnamed &&
    !/\b(?:this|the)\s+(?:paper|document|article|report|study|preprint|work)\b/i.test(question);
  const asked = about.docs.flatMap((doc) => {
    if (followUp && pronoun(doc)) return [];
    const a = asksAim(question, namesOf(doc), !about.named && about.docs.length === 1);
    return a ? [{ doc, list: a.list }] : [];
  });
  if (asked.length !== 1) return undefined;
  const { doc, list } = asked[0]!;
  return aimOf(await source.getChunks(doc.id), list) ? { doc, list } : undefined;
}

/** An answer that is one quote of one chunk, found by reading the document rather than searching. */
async function* quoted(
  question: string,
  doc: WholeDocument,
  quote: AimQuote,
): AsyncGenerator<AskEvent, void, undefined> {
  const { chunk } = quote;
  const passage = {
    docId: doc.id,
    docName: doc.name,
    chunkIndexes: [chunk.index],
    text: chunk.text,
    location: chunk.location,
    score: 1,
  };
  yield { type: 'query', query: question, rewritten: false };
  yield { type: 'passages', passages: [passage] };
  yield { type: 'coverage', covered: true, score: 1 };
  yield {
    type: 'extract',
    sentence: {
      text: quote.text,
      citations: [1],
      support: { passage: 1, start: quote.start, end: quote.end, quote: quote.text, score: 1 },
    },
  };
  yield { type: 'done', finishReason: 'stop' };
}

/**
 * "Who wrote the CiteSee paper?" of one document (named, "it", the scope picker's, or the library's
 * only one) that has a byline: the byline, quoted from its first passage. Null otherwise: the
 * question is searched as any other ("Who wrote the letter the report quotes?").
 */
async function bylineAnswer(
  question: string,
  c: Classification,
  source: WholeSource,
): Promise<AsyncGenerator<AskEvent, void, undefined> | null> {
  const collections = (await source.listCollections?.()) ?? [];
  const asked = aboutWhich(question, c, await source.listDocuments(), collections).docs.filter((d) =>
    asksAuthors(question, namesOf(d)),
  );
  const doc = asked.length === 1 ? asked[0] : undefined;
  if (!doc) return null;
  const first = (await source.getChunks(doc.id)).find((x) => x.index === 0);
  const found = first && bylineOf(first);
  return first && found ? quoted(question, doc, { ...found, chunk: first }) : null;
}

/**
 * A lookup that names a document ("the notice period in contract-001.pdf") or a collection searches
 * only there; the pipeline itself is unchanged, its retriever is narrowed (and a decline says where).
 */
async function scoped(
  opts: Pick<AskOptions, 'retriever' | 'source'>,
  c: Classification,
): Promise<Pick<AnswerOptions, 'retriever' | 'scopeName'>> {
  const { retriever } = opts;
  if (!c.scope.documents.length && !(c.scope.level === 'collection' && c.scope.collection)) return { retriever };
  const scope = await resolveScope(opts.source, c.scope).catch(() => null);
  if (!scope) return { retriever };
  const narrow = { documents: scope.documents.map((d) => d.id) };
  const names = scope.documents.map((d) => `“${d.name}”`);
  return {
    retriever: {
      search: (q, o) => retriever.search(q, { ...o, ...narrow }),
      context: (q, o) => retriever.context(q, { ...o, ...narrow }),
      embed: (texts, kind) => retriever.embed(texts, kind),
      ...(retriever.terms ? { terms: (q, o) => retriever.terms!(q, { ...o, ...narrow }) } : {}),
      // "How many … in birdstrikes.csv?" names a document: its tables, not none, are computed over.
      ...(retriever.tableAnswer
        ? { tableAnswer: (q, s, propose) => retriever.tableAnswer!(q, { ...s, ...narrow }, propose) }
        : {}),
    },
    scopeName: c.scope.documents.length
      ? names.length === 1
        ? names[0]!
        : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
      : collectionsInWords([c.scope.collection!]),
  };
}

async function* summaryAnswer(
  scope: ResolvedScope,
  c: Classification,
  opts: AskOptions,
): AsyncGenerator<AskEvent, void, undefined> {
  const budget = opts.words ?? SUMMARY_WORDS[opts.length ?? 'medium'];
  const of = await countPassages(opts.source, scope);
  // A collection or the library: each document summarised in its share of the words.
  const each = scope.documents.length > 1 ? Math.max(40, Math.round(budget / scope.documents.length)) : budget;
  const citations = new Citations();
  const documents: SummaryDocument[] = [];
  let read = 0;
  for await (const batch of passagesInScope(opts.source, scope, opts.signal)) {
    const doc = scope.documents.find((d) => d.id === batch[0]!.docId);
    const summary = await summarisePassages(batch, {
      words: each,
      ...(doc?.title ? { title: doc.title } : {}),
      ...(c.target ? { topic: c.target } : {}),
    });
    read += batch.length;
    if (scope.documents.length > 1) yield { type: 'progress', read, of };
    // A document with no prose to quote (lists and tables only) is read but has no place in the summary.
    if (!summary.sections.length) continue;
    documents.push({
      docId: batch[0]!.docId,
      docName: batch[0]!.docName,
      sections: summary.sections.map((s) => ({
        headings: s.headings,
        sentences: s.sentences.map((x) => citations.cite(batch[x.passage]!, x.text, x.location)),
      })),
    });
  }
  yield { type: 'passages', passages: citations.passages };
  yield {
    type: 'summary',
    scope: scope.label,
    words: budget,
    documents,
    read: { passages: read, of },
    inScope: scope.documents.length,
  };
  if (opts.generator && citations.passages.length) yield* writeSummary(opts.generator, documents, citations, opts);
}

/**
 * With a model: each section's sentences rewritten on their own (map), then the section texts
 * joined into one answer (combine); no prompt holds more than a section's quotes or the short
 * section texts. Every written sentence is checked against the quoted sentences.
 */
async function* writeSummary(
  generator: Generator,
  documents: SummaryDocument[],
  citations: Citations,
  opts: AskOptions,
): AsyncGenerator<AskEvent, void, undefined> {
  const parts: string[] = [];
  for (const d of documents)
    for (const s of d.sections) {
      opts.signal?.throwIfAborted();
      const quotes = s.sentences.map((x) => `[${x.citation}] ${x.text}`).join('\n');
      const heading = s.headings.at(-1) ?? d.docName;
      const r = await generator.generate(
        [
          {
            role: 'system',
            content:
              'Rewrite the numbered sentences as one or two plain sentences. Use only what they say. End each sentence with the numbers of the sentences it uses, like [2].',
          },
          { role: 'user', content: `Section: ${heading}\n${quotes}` },
        ],
        { maxNewTokens: 120, ...(opts.signal ? { signal: opts.signal } : {}) },
      );
      if (r.text.trim()) parts.push(r.text.trim());
    }
  const messages: ChatMessage[] = [
    {
      role: 'system',
      content:
        'Join these section summaries into one short summary of the document. Keep every [n] citation exactly as given and add nothing that they do not say.',
    },
    { role: 'user', content: parts.join('\n') },
  ];
  let text = '';
  const r = await generator.generate(messages, {
    maxNewTokens: 320,
    onToken: (t) => void (text += t),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  text = r.text || text;
  yield { type: 'token', text };
  const checked = await checkAnswer(
    text,
    citations.passages,
    opts.source.embed ? (t) => opts.source.embed!(t, 'passage') : undefined,
  );
  yield { type: 'checked', ...checked };
}

async function* listAnswer(
  scope: ResolvedScope,
  c: Classification,
  opts: AskOptions,
): AsyncGenerator<AskEvent, void, undefined> {
  const condition = listCondition(c.target ?? '');
  const of = await countPassages(opts.source, scope);
  const found: ListItem[] = [];
  let read = 0;
  const source = opts.source;
  for await (const batch of scanPassages(passagesInScope(source, scope, opts.signal), condition, of, {
    ...(source.embed ? { embed: (t: string[]) => source.embed!(t, 'passage') } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  })) {
    read = batch.read;
    found.push(...batch.items);
    yield { type: 'progress', read, of };
    if (batch.items.length)
      yield {
        type: 'items',
        items: batch.items.map(foundItem),
      };
  }
  const kept = opts.generator
    ? // Overlapping passages find a sentence twice: the model is asked once, and the counts it is
      // told of (checked, said no to) are of distinct items.
      yield* confirmItems(opts.generator, c.target ?? '', distinctItems(found), read, of, opts.signal)
    : found;
  const count = countItems(kept, condition);
  const items = distinctItems(kept);
  const distinct = items.length;
  // "Which documents mention ducks?" asks for documents: each is shown once, with its first mention
  // (all 50 sentences that name a duck answered a question nobody asked).
  const shown = condition.countsDocuments ? firstPerDocument(items) : kept;
  const { groups, passages } = citedList(shown);
  yield { type: 'passages', passages };
  yield {
    type: 'list',
    kind: c.kind === 'count' ? 'count' : 'list',
    groups,
    count,
    counts: condition.countsDocuments ? 'documents' : 'items',
    scanned: { passages: read, of },
    statement:
      condition.countsDocuments && count > 0
        ? `Read all ${of} passages of ${scope.label}: ${count} document${count === 1 ? '' : 's'} found (${distinct} mention${distinct === 1 ? '' : 's'} in all), ${count === 1 ? 'shown' : 'each shown'} with its first.`
        : `Read all ${of} passages of ${scope.label}: ${distinct} found.`,
  };
}

function firstPerDocument(items: ListItem[]): ListItem[] {
  const first = new Map<string, ListItem>();
  for (const i of items) {
    const had = first.get(i.docId);
    if (!had || i.location.start < had.location.start) first.set(i.docId, i);
  }
  return [...first.values()];
}

const foundItem = ({ text, docId, docName, chunkIndex, location }: ListItem): FoundItem => ({
  text,
  docId,
  docName,
  chunkIndex,
  location,
});

/**
 * A line of the model's reply that says no to item n, in the shapes small models write it: "3. no",
 * "3) No", "3: no", "**3.** No", "- 3 – no", "Sentence 3: no".
 */
const NO_LINE = /^[\s*#>-]*(?:sentence\s*)?(\d+)[\s.):*–-]*no\b/gim;

/** Candidates a model is asked about at once: a small model keeps a short numbered list straight. */
const CONFIRM_BATCH = 8;

/**
 * With a model: each found sentence is put to it as a yes/no question ("does it say …?"), a few at
 * a time; a "no" drops the item. An answer it did not give (a number missing) keeps the item: the
 * words and the negation check already chose it.
 */
async function* confirmItems(
  generator: Generator,
  condition: string,
  items: ListItem[],
  read: number,
  of: number,
  signal?: AbortSignal,
): AsyncGenerator<AskEvent, ListItem[], undefined> {
  const kept: ListItem[] = [];
  for (let i = 0; i < items.length; i += CONFIRM_BATCH) {
    signal?.throwIfAborted();
    yield { type: 'progress', read, of, checked: i, checking: items.length };
    const batch = items.slice(i, i + CONFIRM_BATCH);
    const r = await generator.generate(
      [
        {
          role: 'system',
          content:
            'For each numbered sentence, answer on its own line with its number and yes or no: does the sentence itself say this?',
        },
        { role: 'user', content: `${condition}\n${batch.map((it, j) => `${j + 1}. ${it.text}`).join('\n')}` },
      ],
      { maxNewTokens: 8 * batch.length, ...(signal ? { signal } : {}) },
    );
    const no = new Set([...r.text.matchAll(NO_LINE)].map((m) => Number(m[1]) - 1));
    batch.forEach((it, j) => no.has(j) || kept.push(it));
    const dropped = batch.filter((_, j) => no.has(j));
    if (dropped.length) yield { type: 'dropped', items: dropped.map(foundItem) };
  }
  return kept;
}

async function* compareAnswer(
  scope: ResolvedScope,
  c: Classification,
  opts: AskOptions,
): AsyncGenerator<AskEvent, void, undefined> {
  const table = await compareDocuments(opts.source, scope.documents, c.target, opts.signal);
  const citations = new Citations();
  const rows: CompareRow[] = table.rows.map((r) => ({
    aspect: r.aspect,
    cells: r.cells.map((cell) =>
      cell.quote
        ? {
            docName: cell.docName,
            ...citations.cite({ ...cell, chunkIndex: cell.quote.chunkIndex }, cell.quote.text, cell.quote.location),
          }
        : { docName: cell.docName, missing: cell.missing! },
    ),
  }));
  yield { type: 'passages', passages: citations.passages };
  // Papers are told apart by their short names ("Paper Plain"), not by "2203.00130v1.pdf".
  // Only names that tell the columns apart ("Case Study: Acme" and "Case Study: Globex" do not).
  const labels = scope.documents.map((d) => (d.title && shortTitle(d.title)) || d.name);
  const distinct = new Set(labels.map((l) => l.toLowerCase())).size === labels.length;
  yield {
    type: 'compare',
    documents: table.documents,
    ...(distinct && labels.some((l, i) => l !== table.documents[i]) ? { labels } : {}),
    rows,
  };
}
