import type { SearchHit, SearchMode, SourceLocation, TableAnswer, TableQuery } from '../core';
import { dropLibrary, libraryModel, openLibraryFile } from './libraryFile';
import { loadEmbedder } from './models';

export interface AskArgs {
  file: string;
  question: string;
  k: number;
  mode: SearchMode;
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
  /** The table, and the source rows used (first 100 of `rowCount`). */
  citations: { docName: string; table: string; page?: number; headerRow: number; rows: number[]; rowCount: number }[];
}

export type AskResult = (TableFields | { kind: 'passages'; tableDeclined?: string }) & {
  question: string;
  library: string;
  model: string;
  documents: number;
  /** Best first. */
  passages: { docName: string; text: string; location: SourceLocation; score: number; chunkIndex: number }[];
};

function tableFields(a: TableAnswer | null): TableFields | { kind: 'passages'; tableDeclined?: string } {
  if (!a) return { kind: 'passages' };
  if (a.status === 'declined') return { kind: 'passages', tableDeclined: a.reason };
  const c = a.citation;
  return {
    kind: 'table',
    value: a.value,
    display: a.display,
    computation: a.computation,
    query: a.query,
    ...(a.reading ? { reading: a.reading } : {}),
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
  const embedder = await loadEmbedder(model);
  try {
    const { library, name, documents } = await openLibraryFile(args.file, embedder);
    try {
      const table = tableFields(await library.tableAnswer(args.question));
      const hits: SearchHit[] = await library.search(args.question, { k: args.k, mode: args.mode });
      return {
        ...table,
        question: args.question,
        library: args.file,
        model: embedder.model.id,
        documents,
        passages: hits.map((h) => ({
          docName: h.docName,
          text: h.text,
          location: h.location,
          score: h.score,
          chunkIndex: h.chunkIndex,
        })),
      };
    } finally {
      await dropLibrary(library, name);
    }
  } finally {
    await embedder.dispose();
  }
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
  const note = result.tableDeclined ? `${result.tableDeclined}\n\n` : '';
  if (!result.passages.length) return `Nothing in ${result.library} matches “${result.question}”.\n`;
  return result.passages
    .map((p, i) => {
      const where = describeLocation(p.location);
      const text = p.text.replace(/\s+/g, ' ').trim();
      return `${i + 1}. ${p.docName}${where ? ` — ${where}` : ''}  (score ${p.score.toFixed(3)})\n   ${text}\n`;
    })
    .join('\n')
    .replace(/^/, note);
}
