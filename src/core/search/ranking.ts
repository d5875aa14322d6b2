import type { SourceLocation } from '../types';
import { SEARCH_DEFAULTS } from './defaults';
import { reciprocalRankFusion, scoreFusion } from './fusion';
import type { Bm25Params, KeywordIndex } from './keywordIndex';
import type { VectorHit, VectorIndex } from './vectorIndex';

export type SearchMode = 'dense' | 'keyword' | 'hybrid';

export interface FusionOptions {
  method: 'rrf' | 'zscore' | 'minmax';
  /** Weight of the dense list; the keyword list gets 1 − weight. */
  denseWeight: number;
  /** How many candidates each list contributes before fusion. */
  depth: number;
}

// Measured on SciFact (README, "Retrieval quality"): z-score fusion beat min-max and reciprocal
// rank fusion at every weight tried; equal weights were best or within 0.004 of it on both halves
// of the queries, so nothing here is fitted to one test set.
export const DEFAULT_FUSION: FusionOptions = { method: 'zscore', denseWeight: 0.5, depth: 100 };

export interface SearchOptions {
  k?: number;
  /** Only search these documents. */
  documents?: string[];
  /**
   * Only search documents in any of these collections (undefined: the whole library; [] finds
   * nothing). Applied inside both rankings, before the top k is taken.
   */
  collections?: string[];
  /** 'hybrid' (the default, SEARCH_DEFAULTS) fuses vector and keyword rankings. */
  mode?: SearchMode;
  fusion?: Partial<FusionOptions>;
  /** Overrides the library's BM25 parameters for this query (used when tuning them). */
  bm25?: Bm25Params;
  /**
   * While the search model is still loading, a hybrid search answers from keywords alone (marked
   * `keywordOnly`) unless this is set; then it waits for the model. Dense search always waits.
   */
  waitForModel?: boolean;
  /**
   * Also search the long forms of acronyms the query uses that the library defines (and the other
   * way round; search/terms.ts). The answer pipeline asks for it; plain search does not: on SciFact
   * it cost nDCG@10 0.741 → 0.720 (claims full of acronyms that other abstracts define otherwise).
   */
  expandTerms?: boolean;
}

export interface SearchHit {
  docId: string;
  docName: string;
  chunkIndex: number;
  text: string;
  score: number;
  location: SourceLocation;
  /** Ranked by keywords alone because the search model was not ready yet (hybrid was asked for). */
  keywordOnly?: boolean;
  /** This chunk's raw cosine with the query, when it was among the dense list's candidates. */
  dense?: number;
  /** This chunk's raw BM25 score, when it was among the keyword list's candidates. */
  keyword?: number;
}

/** A ranked chunk with the raw score of each list it was found in. */
export type RankedHit = VectorHit & { dense?: number | undefined; keyword?: number | undefined };

/** Ranked chunks and the mode that ranked them (keyword when hybrid could not run yet). */
export interface Ranking {
  hits: RankedHit[];
  mode: SearchMode;
}

export interface RankSources {
  vectors: VectorIndex;
  keywords: KeywordIndex;
  /** Documents search may use (undefined: all). */
  searchable: string[] | undefined;
  /** Embeds the query, or null while dense ranking cannot run (model or vectors still loading). */
  embedQuery: ((query: string) => Promise<Float32Array>) | null;
}

/**
 * Vector and keyword rankings of the same chunks, fused: each list's scores z-normalised and
 * averaged (README, "Retrieval quality"). A hybrid search that cannot embed yet is answered by the
 * keyword list alone, and says so.
 */
export async function rank(query: string, opts: SearchOptions, from: RankSources): Promise<Ranking> {
  const k = opts.k ?? SEARCH_DEFAULTS.k.hits;
  const asked = opts.mode ?? SEARCH_DEFAULTS.mode;
  if (!query.trim()) return { hits: [], mode: asked };
  // Only documents in the current model's vector space take part, in either ranking.
  const documents = opts.documents ?? from.searchable;
  const keyword = (depth: number) => from.keywords.search(query, depth, documents, opts.bm25);
  if (asked === 'keyword' || (asked === 'hybrid' && !from.embedQuery))
    return { hits: keyword(k).map((h) => ({ ...h, keyword: h.score })), mode: 'keyword' };
  if (!from.embedQuery) throw new Error('dense search needs the search model, which is not loaded');
  if (from.vectors.size === 0 && asked === 'dense') return { hits: [], mode: asked };
  // No vectors at all yet (a large table is stored before its vectors, library/fill.ts): the
  // keyword list is fused with an empty one; passages without a vector rank as the dense list's last.
  const q = from.vectors.size ? await from.embedQuery(query) : undefined;
  if (asked === 'dense')
    return { hits: from.vectors.search(q!, k, documents).map((h) => ({ ...h, dense: h.score })), mode: 'dense' };
  const fusion = { ...DEFAULT_FUSION, ...opts.fusion };
  const depth = Math.max(k, fusion.depth);
  const lists = [q ? from.vectors.search(q, depth, documents) : [], keyword(depth)];
  const weights = [fusion.denseWeight, 1 - fusion.denseWeight];
  const fused =
    fusion.method === 'rrf' ? reciprocalRankFusion(lists, 60, weights) : scoreFusion(lists, weights, fusion.method);
  // Each list's own score rides along: fused scores are relative to this query's lists, raw ones
  // can be compared across queries (the answer pipeline's coverage decision uses them).
  const [dense, keywords] = lists.map((list) => new Map(list.map((h) => [`${h.docId}\u0000${h.chunkIndex}`, h.score])));
  const hits = fused.slice(0, k).map((h) => {
    const id = `${h.docId}\u0000${h.chunkIndex}`;
    return { ...h, dense: dense!.get(id), keyword: keywords!.get(id) };
  });
  return { hits, mode: 'hybrid' };
}
