import type { Library, SearchHit, SearchMode, SourceLocation } from '../core';
import { dropLibrary, libraryModel, openLibraryFile } from './libraryFile';
import { loadEmbedder } from './models';

export interface AskArgs {
  file: string;
  question: string;
  k: number;
  mode: SearchMode;
}

export interface AskResult {
  question: string;
  library: string;
  model: string;
  documents: number;
  /** Best first. */
  passages: { docName: string; text: string; location: SourceLocation; score: number; chunkIndex: number }[];
}

/** `folio ask`: the library file opened as the app restores it, searched as the app searches. */
export async function askCommand(args: AskArgs): Promise<AskResult> {
  const model = await libraryModel(args.file);
  const embedder = await loadEmbedder(model);
  try {
    const { library, name, documents } = await openLibraryFile(args.file, embedder);
    try {
      return {
        question: args.question,
        library: args.file,
        model: embedder.model.id,
        documents,
        passages: await askLibrary(library, args),
      };
    } finally {
      await dropLibrary(library, name);
    }
  } finally {
    await embedder.dispose();
  }
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
  if (!result.passages.length) return `Nothing in ${result.library} matches “${result.question}”.\n`;
  return result.passages
    .map((p, i) => {
      const where = describeLocation(p.location);
      const text = p.text.replace(/\s+/g, ' ').trim();
      return `${i + 1}. ${p.docName}${where ? ` — ${where}` : ''}  (score ${p.score.toFixed(3)})\n   ${text}\n`;
    })
    .join('\n');
}
