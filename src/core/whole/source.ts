/**
 * What questions about the whole read: every passage of the documents in scope. `WholeSource` is
 * what they need of a library (the core `Library` has all of it; the browser's `RemoteLibrary`
 * too), and `resolveScope` turns a classified question's scope (names) into documents and, for a
 * section, the passages under its heading.
 */
import type { SearchHit, SearchOptions } from '../search/ranking';
import type { SourceLocation } from '../types';
import type { QuestionScope } from './kinds';
import type { ScanPassage } from './scan';
import { escapeRegExp } from '../regexp';

export interface WholeDocument {
  id: string;
  name: string;
  title?: string;
  chunkCount: number;
  collections?: string[];
}

export interface WholeSource {
  listDocuments(): Promise<WholeDocument[]>;
  getChunks(id: string): Promise<{ index: number; text: string; location: SourceLocation }[]>;
  listCollections?(): Promise<{ id: string; name: string }[]>;
  /** Normalised embeddings; without them lists decide on words and comparisons on keywords. */
  embed?(texts: string[], kind: 'query' | 'passage'): Promise<Float32Array>;
  search(query: string, opts?: SearchOptions): Promise<SearchHit[]>;
}

/**
 * The source with its document and collection lists read once, and the document read last kept: one
 * answer asks for the lists several times, and reads a paper to decide what is asked ("What does it
 * propose?") and again to quote it; in the app each is a call to the library worker. One document
 * only, so a summary of the library holds no more than before. Methods delegate, not spread: a
 * library's are on its prototype.
 */
export function readingOnce(source: WholeSource): WholeSource {
  let listed: Promise<WholeDocument[]> | undefined;
  let collections: Promise<{ id: string; name: string }[]> | undefined;
  let last: { id: string; chunks: ReturnType<WholeSource['getChunks']> } | undefined;
  return {
    listDocuments: () => (listed ??= source.listDocuments()),
    getChunks: (id) => {
      if (last?.id !== id) last = { id, chunks: source.getChunks(id) };
      return last.chunks;
    },
    search: (query, opts) => source.search(query, opts),
    ...(source.listCollections ? { listCollections: () => (collections ??= source.listCollections!()) } : {}),
    ...(source.embed ? { embed: (texts, kind) => source.embed!(texts, kind) } : {}),
  };
}

export interface ResolvedScope {
  documents: WholeDocument[];
  /** A section asked for ("chapter 3"): only passages under a heading that matches it are read. */
  section?: string;
  /** "all of audit-2023.pdf", "the 3 documents of Contracts", "your library (12 documents)". */
  label: string;
}

/** The documents a scope names; an unknown name is an error that says which. */
export async function resolveScope(source: WholeSource, scope: QuestionScope): Promise<ResolvedScope> {
  const docs = await source.listDocuments();
  const section = scope.level === 'section' ? scope.section : undefined;
  if (scope.documents.length) {
    const chosen = scope.documents.map((n) => {
      const d = docs.find((x) => x.name === n);
      if (!d) throw new Error(`No document named ${n} in this library`);
      return d;
    });
    const label =
      chosen.length === 1 ? `${section ? `${section} of ` : ''}${chosen[0]!.name}` : `${chosen.length} documents`;
    return { documents: chosen, ...(section ? { section } : {}), label };
  }
  if (scope.level === 'collection' && scope.collection) {
    const all = (await source.listCollections?.()) ?? [];
    const c = all.find((x) => x.name.toLowerCase() === scope.collection!.toLowerCase());
    if (!c) throw new Error(`No collection named ${scope.collection} in this library`);
    const inside = docs.filter((d) => d.collections?.includes(c.id));
    return { documents: inside, label: `${inside.length} documents of ${c.name}` };
  }
  return {
    documents: docs,
    ...(section ? { section } : {}),
    label: docs.length === 1 ? docs[0]!.name : `your library (${docs.length} documents)`,
  };
}

/**
 * Whether a heading path holds the section asked for: "chapter 3" matches "Chapter 3: Results" and
 * "3 Results"; "section 2.1" matches "2.1 Data"; a kind of section ("results") a heading that
 * starts or ends with its word; a section called by its own words ("the Modern Era section") a
 * heading holding them.
 */
export function inSection(headings: string[], section: string): boolean {
  const numbered = section.match(/^(?:chapter|section|part|appendix|annex|schedule)\s+(\S+)$/i);
  return headings.some((h) => {
    const head = h.toLowerCase().trim();
    if (numbered) {
      const n = numbered[1]!.toLowerCase();
      return (
        head.startsWith(section.toLowerCase()) ||
        new RegExp(`^${n.replace(/\./g, '\\.')}(?:[.:)\\s]|$)`).test(head) ||
        new RegExp(`^(?:chapter|section|part|appendix)\\s+${n.replace(/\./g, '\\.')}\\b`).test(head)
      );
    }
    if (!isSectionKind(section))
      return new RegExp(`\\b${escapeRegExp(section.toLowerCase().replace(/s$/, ''))}`).test(head);
    return namedSection(section).test(head.replace(/^(?:\d+(?:\.\d+)*|[a-z](?:\.\d+)*|[ivxlc]+)[.:)]?\s+/, ''));
  });
}

/**
 * The kinds of section a paper or report is read by. Other words a heading may hold ask for a fact
 * ("What is the corpus size?" is not "E Training corpus sizes for other language models"; "What is
 * the model?" not "2.2 Models for scientific document processing", which is related work).
 */
const SECTION_KIND =
  /^(?:limitations?|future work|future directions|related work|background|introduction|conclusions?|discussion|results|findings|abstract|methods?|methodology|evaluation|experiments|implications|recommendations)$/;

/** Whether a word names a kind of section ("limitations", "related work"). */
export function isSectionKind(word: string): boolean {
  return SECTION_KIND.test(word.trim().toLowerCase());
}

/**
 * A heading of a kind of section starts or ends with its word ("7 Limitations and future work", "5.1
 * Study 1 Limitations"); one that says it in passing ("4 How the results were gathered", "5 Resulting
 * corpora") is another section. Methods and methodology are one.
 */
function namedSection(section: string): RegExp {
  let word = escapeRegExp(section.toLowerCase().trim().replace(/s$/, ''));
  let tail = 's?';
  if (/^method(?:ology)?$/.test(word)) [word, tail] = ['method', '(?:s|ology)?'];
  return new RegExp(`^(?:${word}${tail}\\b.*|.*\\b${word}${tail})$`);
}

/** Every passage of each document in scope, one document at a time (so the first items come early). */
export async function* passagesInScope(
  source: WholeSource,
  scope: ResolvedScope,
  signal?: AbortSignal,
): AsyncGenerator<ScanPassage[], void, undefined> {
  for (const d of scope.documents) {
    signal?.throwIfAborted();
    const chunks = await source.getChunks(d.id);
    const passages = chunks
      .filter((c) => !scope.section || inSection(c.location.headings, scope.section))
      .map((c) => ({ docId: d.id, docName: d.name, chunkIndex: c.index, text: c.text, location: c.location }));
    if (passages.length) yield passages;
  }
}

/** Passages in scope (what "Read all N passages" counts): all chunks, or those of the section. */
export async function countPassages(source: WholeSource, scope: ResolvedScope): Promise<number> {
  if (!scope.section) return scope.documents.reduce((n, d) => n + d.chunkCount, 0);
  let n = 0;
  for await (const batch of passagesInScope(source, scope)) n += batch.length;
  return n;
}
