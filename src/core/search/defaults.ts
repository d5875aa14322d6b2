/**
 * Every default of a search, in one place: the library, the answer pipeline, the app's settings,
 * the command line and the evaluations read them from here. How many chunks (k) depends on what
 * they are for.
 */
export const SEARCH_DEFAULTS = {
  /** Vector and keyword rankings fused (README, "Retrieval quality"). */
  mode: 'hybrid',
  k: {
    /** Hits to read as a list: `Library.search`, `folio ask`, the user's evaluation (hit@5). */
    hits: 5,
    /** Chunks an answer's passages are assembled from; the app's "Passages" setting starts here. */
    answer: 6,
    /** Chunks `Library.context` merges into passages when not told (neighbours merge, so more). */
    context: 8,
  },
} as const;
