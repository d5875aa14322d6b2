/**
 * The answer pipeline's contract (issue 12). `answer()` in this folder yields these events; the app
 * folds them into a turn with `applyAnswerEvent` and only renders the result, so Node tests, the
 * eval and the command line see exactly what a person sees.
 */
import type { ContextPassage } from '../search/context';
import type { TableAnswer } from '../table/answer';

/** Where a sentence of an answer is backed: a span of one of the passages given. */
export interface Support {
  /** 1-based number of the passage (the [n] a person sees). */
  passage: number;
  /** Character offsets into that passage's `text` (add `location.start` for document offsets). */
  start: number;
  end: number;
  /** The supporting sentence itself, shown on a citation chip's hover/focus. */
  quote: string;
  /** How strongly it supports the sentence, 0..1. */
  score: number;
}

/** One sentence of an answer (written or extracted) with its citations, checked against the passages. */
export interface CheckedSentence {
  text: string;
  /** Citation numbers that point at real passages, in order (numbers pointing nowhere are dropped). */
  citations: number[];
  /** The best support found, or null: the sentence is shown as not backed by the documents. */
  support: Support | null;
  /** The support was found only in a passage the sentence does not cite. */
  miscited?: boolean;
  /** Citation numbers the model wrote that point at no passage (removed from `citations`). */
  droppedCitations?: number[];
}

export type AnswerEvent =
  /**
   * The query actually searched; `rewritten` when it differs from what was typed; `alsoSearched`:
   * the long forms of acronyms it uses (or acronyms of long forms) that the library defines.
   */
  | { type: 'query'; query: string; rewritten: boolean; why?: string; alsoSearched?: string[] }
  /** The passages retrieved; `keywordOnly` while the search model is still loading. */
  | { type: 'passages'; passages: ContextPassage[]; keywordOnly?: boolean }
  /** Whether the library covers the question, decided from retrieval evidence (not by a model). */
  | { type: 'coverage'; covered: boolean; score: number; cosine?: number | null; termShare?: number }
  /**
   * The extractive answer: the passage sentence that answers, with its citation. A `provisional`
   * one (chosen on words, at once) may come first; the one after it replaces it.
   */
  | { type: 'extract'; sentence: CheckedSentence; provisional?: boolean }
  /** A piece of a written answer, as the model streams it. */
  | { type: 'token'; text: string }
  /** The written answer split into sentences, each checked against the passages. */
  | { type: 'checked'; sentences: CheckedSentence[]; supported: number; total: number }
  /** "Not in your documents": no model writes an answer; the closest passages are still shown. */
  | { type: 'declined'; reason: string; closest: ContextPassage[] }
  /**
   * A question computed over a table (issue 24): 'computed' ends the answer (value, computation,
   * query, rows, citation); 'declined' says why it was not computed, and the passages follow.
   */
  | { type: 'table'; answer: TableAnswer }
  | { type: 'done'; finishReason: 'stop' | 'length' | 'aborted' };

/**
 * What a conversation turn keeps of an answer: `applyAnswerEvent(record, event)` folds the events
 * into it. Plain data, so it is stored, backed up and exported as it is.
 */
export interface AnswerRecord {
  question: string;
  /** The query searched, when it differs from what was typed. */
  searchedFor?: string;
  /** Why the search differs from what was typed (e.g. "follow-up: the question alone found little"). */
  searchedWhy?: string;
  /** Also searched: long forms (or acronyms) the library defines for the question's terms. */
  alsoSearched?: string[];
  passages: ContextPassage[];
  /** The passages came from keyword search alone (the search model was still loading). */
  keywordOnly?: boolean;
  coverage?: { covered: boolean; score: number };
  /** The extractive answer (shown first, with its citation), also when a model writes one. */
  extract?: CheckedSentence;
  /** `extract` was chosen on words only; a better-informed choice is on its way. */
  extractProvisional?: boolean;
  /** The written answer (Markdown) as streamed; empty without a model. */
  answer: string;
  checked?: { sentences: CheckedSentence[]; supported: number; total: number };
  /** Set when the documents do not cover the question; `passages` are then the closest ones. */
  declined?: { reason: string };
  /** The answer computed over a table, or why a table question was not computed (issue 24). */
  table?: TableAnswer;
  status: 'retrieving' | 'answering' | 'done' | 'stopped' | 'error';
  /** Why the written answer ended: 'length' when it ran out of room for tokens. */
  finishReason?: 'stop' | 'length' | 'aborted';
  error?: string;
}
