/**
 * "Not in your documents": whether the library covers a question, decided from retrieval evidence
 * alone (never by a model, which would answer anyway). Two calibrated signals:
 * - the raw cosine of the best passage with the question (scores fused across lists are relative
 *   to the query and say nothing about coverage; the raw cosine does);
 * - the share of the question's words (stemmed, stop words dropped) that the best passages contain:
 *   keyword evidence that does not depend on the library's size or vocabulary.
 * They agree on what is covered and disagree on paraphrases and on word salad, so each makes up
 * for the other's blind spot. Fitted on SQuAD articles 0–3 against half of the SciFact claims and
 * half of the everyday questions (`npx tsx scripts/tune-answer.ts`); the other halves are held out.
 */
import { passageText } from '../chunk/chunker';
import { analyze } from '../search/analyzer';
import type { ContextPassage } from '../search/context';
import { escapeRegExp } from '../regexp';

export interface Coverage {
  covered: boolean;
  /** 0..1, higher is more likely covered; 0.5 is the line. */
  score: number;
  /** The evidence, for the record and for tests. */
  cosine: number | null;
  termShare: number;
  /** Covered because the question uses a term the library defines and the passages have it. */
  definedTerm?: boolean;
}

/**
 * Calibration for all-MiniLM-L6-v2, the default search model: the dense cosine scale belongs to
 * one model. With another model only the word evidence is used (see `coverage`).
 */
// termShare weight and line from the tuning halves: the line leaves 2% of answerable tuning
// questions below it; the slope only shapes the 0..1 score (its order, hence AUROC, is the same).
export const COVERAGE = { cosine: 1, termShare: 0.3, line: 0.45, slope: 10, keywordOnlyLine: 0.25 };
export const COVERAGE_MODEL = 'Xenova/all-MiniLM-L6-v2';

/**
 * Share of the question's distinct terms found in the best-matching of the first passages, with the
 * section headings they stand under, as the keyword index reads them: "What are the limitations?"
 * asked of the CiteSee paper found "5.1 Study 1 Limitations" first, on its heading, and was declined
 * because the passage's own text never says the word. Not a paper's title above its sections: every
 * passage of the paper has it, and a question sharing its words ("… healthcare consumers … medical
 * research papers?" of Paper Plain) would be covered by any of them. A path of one heading is kept: it
 * may be a section ("Payment terms" of a contract whose sections are its top headings).
 */
export function termShare(question: string, passages: ContextPassage[], look = 3): number {
  const terms = [...new Set(analyze(question))];
  if (!terms.length) return 0;
  let best = 0;
  for (const p of passages.slice(0, look)) {
    const path = p.location.headings;
    const words = new Set(analyze(passageText(p.text, path.length > 1 ? path.slice(1) : path)));
    best = Math.max(best, terms.filter((t) => words.has(t)).length / terms.length);
  }
  return best;
}

/**
 * `cosineCalibrated`: whether the raw cosines come from the model the line was fitted for. Without
 * cosines (the search model still loading, or another model) only a question with less than a
 * quarter of its words in the passages is declined: on the tuning data that declines 0.3% of
 * answerable questions but only about half of the off-topic ones, so it is a floor, not a filter.
 */
export function coverage(
  question: string,
  passages: ContextPassage[],
  cosineCalibrated = true,
  defined: [string, string][] = [],
): Coverage {
  if (!passages.length) return { covered: false, score: 0, cosine: null, termShare: 0 };
  const decided = decide(question, passages, cosineCalibrated);
  // A term the library defines, asked about and found in the passages shown, is covered: "What
  // does DPR stand for?" shares one word with "Dense Passage Retriever (DPR)" and is still answered.
  if (!decided.covered && definedIn(defined, passages.slice(0, 3)))
    return { ...decided, covered: true, score: 0.5, definedTerm: true };
  return decided;
}

function definedIn(defined: [string, string][], passages: ContextPassage[]): boolean {
  return defined.some(([short, long]) =>
    passages.some(
      (p) =>
        new RegExp(`\\b${escapeRegExp(short)}\\b`).test(p.text) || p.text.toLowerCase().includes(long.toLowerCase()),
    ),
  );
}

function decide(question: string, passages: ContextPassage[], cosineCalibrated: boolean): Coverage {
  const share = termShare(question, passages);
  const cosines = passages.map((p) => p.dense).filter((d): d is number => d !== undefined);
  const cosine = cosines.length ? Math.max(...cosines) : null;
  if (cosine === null || !cosineCalibrated) {
    const covered = share >= COVERAGE.keywordOnlyLine;
    return { covered, score: covered ? 0.5 + share / 2 : share, cosine, termShare: share };
  }
  const evidence = COVERAGE.cosine * cosine + COVERAGE.termShare * share;
  const score = 1 / (1 + Math.exp(-COVERAGE.slope * (evidence - COVERAGE.line)));
  return { covered: score >= 0.5, score, cosine, termShare: share };
}
