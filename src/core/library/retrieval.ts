import { evaluate as scoreQuestions, type EvalQuestion, type EvalReport } from '../eval/userEval';
import { selectContext, type ContextOptions, type ContextPassage } from '../search/context';
import { SEARCH_DEFAULTS } from '../search/defaults';
import { rank, type RankedHit, type Ranking, type SearchHit, type SearchOptions } from '../search/ranking';
import { alsoSearched, definesName, nameAsked, termsUsed, type Term } from '../search/terms';
import { scopeDocuments } from './collections';
import type { LibraryParts } from './parts';

/** Dense ranking can run: the model is loaded and the vectors are read. */
export function searchModelReady(parts: LibraryParts): boolean {
  return (parts.embedder.isReady?.() ?? true) && parts.state.vectorsLoaded;
}

/** Resolves when hybrid search runs (model loaded, vectors read); rejects if the model failed to load. */
export async function whenSearchModelReady(parts: LibraryParts): Promise<void> {
  await Promise.all([parts.embedder.whenReady?.(), parts.state.vectorsReady]);
}

/**
 * The definitions (acronym and long form) from the documents in scope that the query uses: both
 * rankings search the query with the forms it lacks ("also searched").
 */
export function queryTerms(parts: LibraryParts, query: string, opts: SearchOptions = {}): Term[] {
  const documents = scopeDocuments(parts, opts.collections, opts.documents);
  const docs = documents ? documents.flatMap((id) => parts.state.docs.get(id) ?? []) : [...parts.state.docs.values()];
  return termsUsed(
    query,
    docs.flatMap((d) => d.terms ?? []),
  );
}

/** Ranked chunk ids without their text: what search and evaluation share. */
export async function ranked(parts: LibraryParts, query: string, opts: SearchOptions = {}): Promise<Ranking> {
  parts.asked();
  const mode = opts.mode ?? SEARCH_DEFAULTS.mode;
  if (mode === 'dense' || (mode === 'hybrid' && opts.waitForModel)) await whenSearchModelReady(parts);
  const documents = scopeDocuments(parts, opts.collections, opts.documents);
  const also = opts.expandTerms ? alsoSearched(query, queryTerms(parts, query, opts)) : [];
  return rank(
    also.length ? `${query} (${also.join('; ')})` : query,
    { ...opts, ...(documents ? { documents } : {}) },
    {
      vectors: parts.state.vectors,
      keywords: parts.state.keywords,
      searchable: documents,
      embedQuery: searchModelReady(parts) ? (q) => parts.embedder.embed([q], 'query') : null,
    },
  );
}

export async function search(parts: LibraryParts, query: string, opts: SearchOptions = {}): Promise<SearchHit[]> {
  const name = nameAsked(query);
  const k = opts.k ?? SEARCH_DEFAULTS.k.hits;
  // A passage that defines the name asked about may rank well below the passages that use it.
  const { hits, mode } = await ranked(parts, query, name ? { ...opts, k: k * DEFINITION_POOL } : opts);
  const keywordOnly = mode === 'keyword' && (opts.mode ?? SEARCH_DEFAULTS.mode) !== 'keyword';
  const records = await parts.store.getChunksByKey(hits.map((h) => [h.docId, h.chunkIndex]));
  parts.searched();
  const found = hits.flatMap((h, i) => {
    const rec = records[i];
    const doc = parts.state.docs.get(h.docId);
    if (!rec || !doc) return [];
    return [
      {
        docId: h.docId,
        docName: doc.name,
        chunkIndex: h.chunkIndex,
        text: rec.text,
        score: h.score,
        location: rec.location,
        ...raw(h),
        ...(keywordOnly ? { keywordOnly } : {}),
      },
    ];
  });
  const ordered = aboutCitations(query) ? found : bodyFirst(found);
  return name ? definingFirst(ordered, name).slice(0, k) : ordered;
}

/** How many times k hits are searched for a passage defining the name asked about. */
const DEFINITION_POOL = 4;
/** Defining passages moved first: the abstract's and the conclusion's, not every mention. */
const DEFINING_KEPT = 2;

/** The first few passages that define the name, then the others, each side in its order. */
function definingFirst(hits: SearchHit[], name: string): SearchHit[] {
  const defining = hits.filter((h) => definesName(h.text, name)).slice(0, DEFINING_KEPT);
  return [...defining, ...hits.filter((h) => !defining.includes(h))];
}

/** A reference list is recognised by its section heading (see ingest/pdfLayout.ts). */
const REFERENCE_LIST = /^(?:\d+\.?\s+)?(?:references|bibliography|works cited|literature cited)$/i;
const CITATION_WORDS =
  /\b(?:cite[sd]?|citations?|references?|bibliograph\w*|et al|published|authors?|wrote|written by)\b/i;

/** Whether a question asks about the works a document cites (then its reference list is body text). */
function aboutCitations(query: string): boolean {
  return CITATION_WORDS.test(query);
}

/**
 * Reference-list passages after the others, each side in its order: they match a question's
 * names and terms by the dozen and would crowd out the text that answers it.
 */
function bodyFirst(hits: SearchHit[]): SearchHit[] {
  const inReferences = (h: SearchHit) => h.location.headings.some((t) => REFERENCE_LIST.test(t));
  return [...hits.filter((h) => !inReferences(h)), ...hits.filter(inReferences)];
}

function raw(h: RankedHit): { dense?: number; keyword?: number } {
  return {
    ...(h.dense !== undefined ? { dense: h.dense } : {}),
    ...(h.keyword !== undefined ? { keyword: h.keyword } : {}),
  };
}

/**
 * Retrieves and assembles the passages an answer model should read for a question, within a
 * token budget (see search/context.ts). Passages found by keywords alone (the model still
 * loading) say so.
 */
export async function context(
  parts: LibraryParts,
  query: string,
  opts: SearchOptions & ContextOptions,
): Promise<ContextPassage[]> {
  const hits = await search(parts, query, { ...opts, k: opts.k ?? SEARCH_DEFAULTS.k.context });
  // Passages are measured in the model's tokens; its tokenizer loads well before the model.
  await parts.embedder.whenTokenizerReady?.();
  const passages = await selectContext(
    hits,
    {
      text: (id) => parts.store.getText(id),
      chunk: async (id, index) => (index < 0 ? undefined : (await parts.store.getChunksByKey([[id, index]]))[0]),
      countTokens: (t) => parts.embedder.countTokens(t),
    },
    opts,
  );
  return hits[0]?.keywordOnly ? passages.map((p) => ({ ...p, keywordOnly: true })) : passages;
}

/** Scores the library on the user's own questions (hit@k, MRR, and what was found instead), with the full ranking. */
export function evaluate(
  parts: LibraryParts,
  questions: EvalQuestion[],
  k: number = SEARCH_DEFAULTS.k.hits,
  opts: SearchOptions = {},
): Promise<EvalReport> {
  return scoreQuestions(
    questions,
    async (q, n) =>
      (await search(parts, q, { waitForModel: true, ...opts, k: n })).map((h) => ({
        docName: h.docName,
        text: h.text,
        score: h.score,
      })),
    k,
  );
}
