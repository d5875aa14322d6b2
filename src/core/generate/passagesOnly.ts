import { analyze } from '../search/analyzer';

export interface HighlightedPassage {
  /** The passage split into sentences, each marked if it is among the most relevant. */
  sentences: { text: string; highlight: boolean }[];
}

let segmenter: Intl.Segmenter | undefined;

/**
 * The answer when no language model is loaded: the passages themselves, with the sentences that
 * share the most (stemmed) words with the question highlighted. Instant and always available.
 */
export function highlightPassage(question: string, passage: string, maxHighlights = 2): HighlightedPassage {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'sentence' });
  const terms = new Set(analyze(question));
  const sentences = [...segmenter.segment(passage)].map((s) => s.segment);
  const scores = sentences.map((s) => {
    const words = analyze(s);
    const hits = new Set(words.filter((w) => terms.has(w))).size;
    return words.length ? hits + hits / Math.sqrt(words.length) : 0;
  });
  const best = scores
    .map((score, i) => [score, i] as const)
    .filter(([score]) => score > 0)
    .sort((a, b) => b[0] - a[0])
    .slice(0, maxHighlights)
    .map(([, i]) => i);
  return { sentences: sentences.map((text, i) => ({ text, highlight: best.includes(i) })) };
}
