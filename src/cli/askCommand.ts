import {
  type CollectionInfo,
  type Library,
  answerCitations,
  answerText,
  applyAskEvent,
  askQuestion,
  collectionsInWords,
  createLocalServerGenerator,
  type Embedder,
  type LocalServerGenerator,
  libraryRetriever,
  newWholeRecord,
  type QuestionKind,
  type SearchHit,
  type SearchMode,
  type SourceLocation,
  type TableAnswer,
  type TableQuery,
  type WholeRecord,
} from '../core';
import { dropLibrary, libraryModel, openLibraryFile } from './libraryFile';
import { loadEmbedder } from './models';

export interface AskArgs {
  file: string;
  question: string;
  k: number;
  mode: SearchMode;
  /** Only search documents in these collections (names or ids); none given: the whole library. */
  collections?: string[];
  /** Answer with this model server on this computer (its written text, each sentence checked). */
  server?: ModelServer;
}

/** A model server speaking the OpenAI-compatible API (Ollama, LM Studio, llama-server…) and one of its models. */
export interface ModelServer {
  url: string;
  model: string;
}

/** A question computed over a table (issue 24): what `--json` adds. */
export interface TableFields {
  kind: 'table';
  /** The number (or text) computed, and as shown. */
  value: number | string;
  display: string;
  /** The computation in words a person can check. */
  computation: string;
  /** The structured query that was run. */
  query: TableQuery;
  /** How the question was read, when it could be read another way. */
  reading?: string;
  /** The answer as the app shows it: the value and its working. */
  answer: string;
  /** The table, and the source rows used (first 100 of `rowCount`). */
  citations: { docName: string; table: string; page?: number; headerRow: number; rows: number[]; rowCount: number }[];
}

/** Any other question (issue 21): a lookup, summary, list, count or comparison, or declined. */
export interface TextFields {
  /** "declined" when the documents do not cover a lookup. */
  kind: QuestionKind | 'declined';
  /** The answer's text as the app shows it (Markdown). */
  answer: string;
  citations: { docName: string; location: string; quote: string }[];
  /** Lists and counts: every item found, what was counted and what was read. */
  items?: { text: string; docName: string; location: string }[];
  count?: number;
  scanned?: { passages: number; of: number };
  /** The other reading offered when the kind was a close call ("Summarise the whole document instead?"). */
  alternative?: string;
  /** A table question the rules could not compute, and why (then it is answered from passages). */
  tableDeclined?: string;
  /** Written by a model server: its text (also in `answer`), each sentence checked against the passages. */
  written?: {
    server: string;
    model: string;
    text: string;
    sentences: { text: string; supported: boolean; citation?: { docName: string; location: string; quote: string } }[];
    supported: number;
    total: number;
  };
}

export type AskResult = (TableFields | TextFields) & {
  question: string;
  library: string;
  model: string;
  documents: number;
  /** Best first: the search's passages (what `folio ask` has always printed). */
  passages: { docName: string; text: string; location: SourceLocation; score: number; chunkIndex: number }[];
};

function tableFields(a: TableAnswer & { status: 'computed' }): TableFields {
  const c = a.citation;
  return {
    kind: 'table',
    value: a.value,
    display: a.display,
    computation: a.computation,
    query: a.query,
    ...(a.reading ? { reading: a.reading } : {}),
    answer: `${a.display} — ${a.computation}`,
    citations: [
      {
        docName: c.docName,
        table: c.table,
        ...(c.page ? { page: c.page } : {}),
        headerRow: c.headerRow,
        rows: a.rows,
        rowCount: a.rowCount,
      },
    ],
  };
}

/** `folio ask`: the library file opened as the app restores it, searched as the app searches. */
export async function askCommand(args: AskArgs): Promise<AskResult> {
  const model = await libraryModel(args.file);
  // The server is asked first: one that is not running is said before the search model loads.
  const generator = args.server ? await connectServer(args.server) : undefined;
  const embedder = await loadEmbedder(model);
  try {
    const { library, name, documents } = await openLibraryFile(args.file, embedder);
    try {
      return await answerQuestion(library, embedder, { ...args, documents, ...(generator ? { generator } : {}) });
    } finally {
      await dropLibrary(library, name);
    }
  } finally {
    await embedder.dispose();
    await generator?.dispose();
  }
}

/** A model server's generator; a server that is not there, or lacks the model, is a sentence naming its address. */
export function connectServer(server: ModelServer): Promise<LocalServerGenerator> {
  return createLocalServerGenerator({ baseUrl: server.url, model: server.model });
}

/**
 * One question over an open library, as `folio ask --json` prints it: the one route for `folio ask`
 * and `folio mcp`'s ask tool (a table computed, else `askQuestion`: lookup, summary, list, count, comparison).
 */
export async function answerQuestion(
  library: Library,
  embedder: Embedder,
  args: Omit<AskArgs, 'server'> & { documents: number; generator?: LocalServerGenerator },
): Promise<AskResult> {
  const all = args.collections?.length ? await library.listCollections() : [];
  const scope = args.collections?.length ? { collections: collectionIds(all, args.collections, args.file) } : {};
  // A declined answer says which collections it looked in, by their names in the library.
  const scopeName = scope.collections
    ? collectionsInWords(scope.collections.map((id) => all.find((c) => c.id === id)!.name))
    : undefined;
  const common = {
    question: args.question,
    library: args.file,
    model: embedder.model.id,
    documents: args.documents,
    passages: await askLibrary(library, { question: args.question, k: args.k, mode: args.mode, ...scope }),
  };
  // A question a table answers exactly is computed, not read from passages.
  const table = await library.tableAnswer(args.question, scope);
  if (table?.status === 'computed') return { ...tableFields(table), ...common };
  let record: WholeRecord = newWholeRecord(args.question);
  for await (const event of askQuestion(args.question, {
    source: library,
    retriever: libraryRetriever(library, embedder),
    search: { mode: args.mode, ...scope },
    searchModel: embedder.model.id,
    ...(scopeName ? { scopeName } : {}),
    ...(args.generator ? { generator: args.generator } : {}),
  }))
    record = applyAskEvent(record, event);
  const list = record.list;
  const gen = args.generator;
  return {
    ...common,
    kind: record.declined && (record.kind ?? 'lookup') === 'lookup' ? 'declined' : (record.kind ?? 'lookup'),
    answer: answerText(record),
    citations: answerCitations(record),
    ...(list
      ? {
          items: list.groups.flatMap((g) =>
            g.sections.flatMap((s) =>
              s.items.map((i) => ({
                text: i.text,
                docName: g.docName,
                location: describeLocation(record.passages[i.citation - 1]!.location),
              })),
            ),
          ),
          count: list.count,
          scanned: list.scanned,
        }
      : {}),
    ...(record.alternative ? { alternative: record.alternative.prompt } : {}),
    ...(table?.status === 'declined' ? { tableDeclined: table.reason } : {}),
    ...(gen && record.checked
      ? {
          written: {
            server: gen.baseUrl,
            model: gen.model,
            text: record.answer.trim(),
            sentences: record.checked.sentences.map((s) => {
              const p = s.support ? record.passages[s.support.passage - 1] : undefined;
              return {
                text: s.text,
                supported: !!s.support,
                ...(s.support && p
                  ? { citation: { docName: p.docName, location: describeLocation(p.location), quote: s.support.quote } }
                  : {}),
              };
            }),
            supported: record.checked.supported,
            total: record.checked.total,
          },
        }
      : {}),
  };
}

/**
 * The ids of the collections a person named, by id or by name (names are unique whatever their
 * case, as the app keeps them); a name the library does not have is an error that lists those it has.
 */
export function collectionIds(
  collections: Pick<CollectionInfo, 'id' | 'name'>[],
  wanted: string[],
  file: string,
): string[] {
  const key = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();
  return wanted.map((w) => {
    const found = collections.find((c) => c.id === w) ?? collections.find((c) => key(c.name) === key(w));
    if (found) return found.id;
    const has = collections.length
      ? `its collections: ${collections.map((c) => c.name).join(', ')}`
      : 'it has no collections';
    throw new Error(`${file} has no collection “${w}” (${has})`);
  });
}

/** The passages that answer a question: one pipeline for `folio ask` and `folio mcp`'s ask tool. */
export async function askLibrary(
  library: Library,
  args: { question: string; k: number; mode: SearchMode; collections?: string[] },
): Promise<AskResult['passages']> {
  const hits: SearchHit[] = await library.search(args.question, {
    k: args.k,
    mode: args.mode,
    ...(args.collections ? { collections: args.collections } : {}),
  });
  return hits.map((h) => ({
    docName: h.docName,
    text: h.text,
    location: h.location,
    score: h.score,
    chunkIndex: h.chunkIndex,
  }));
}

/** Where a passage is, as a person would cite it: page(s), then the headings above it. */
export function describeLocation(location: SourceLocation): string {
  const parts: string[] = [];
  if (location.page)
    parts.push(
      location.pageEnd && location.pageEnd !== location.page
        ? `pp. ${location.page}–${location.pageEnd}`
        : `p. ${location.page}`,
    );
  if (location.headings.length) parts.push(location.headings.join(' › '));
  return parts.join(', ');
}

export function formatAnswer(result: AskResult): string {
  if (result.kind === 'table') {
    const c = result.citations[0]!;
    return `${result.display}\n  ${result.computation}${result.reading ? `\n  (${result.reading})` : ''}\n  from ${c.table}, ${c.rowCount} row${c.rowCount === 1 ? '' : 's'} used\n`;
  }
  // A summary, list, count or comparison is its answer; the nearest passages add nothing to it.
  if (result.kind !== 'lookup' && result.kind !== 'declined') return `${result.answer}\n`;
  const note = result.tableDeclined ? `${result.tableDeclined}\n\n` : '';
  if (!result.passages.length) return `${note}Nothing in ${result.library} matches “${result.question}”.\n`;
  return (
    note +
    result.passages
      .map((p, i) => {
        const where = describeLocation(p.location);
        const text = p.text.replace(/\s+/g, ' ').trim();
        return `${i + 1}. ${p.docName}${where ? ` — ${where}` : ''}  (score ${p.score.toFixed(3)})\n   ${text}\n`;
      })
      .join('\n')
  );
}
