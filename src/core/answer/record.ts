/**
 * One answer as a plain, serialisable record: what a conversation turn stores and the UI renders.
 * `applyAnswerEvent` folds the pipeline's events into it, one at a time, without mutating.
 */
import type { ContextPassage } from '../search/context';
import type { AnswerEvent, CheckedSentence } from './types';

export type AnswerStatus =
  /** Deciding what to search and searching. */
  | 'searching'
  /** Passages are in; the extract and (with a model) the written answer are on their way. */
  | 'answering'
  | 'done'
  /** "Not in your documents": `declined` says why; `passages` are the closest, probably not it. */
  | 'declined'
  | 'stopped';

export interface AnswerRecord {
  question: string;
  /** What was searched: the question itself, or a standalone version of a follow-up. */
  query: string;
  /** `query` differs from `question` (the UI shows what was searched). */
  rewritten: boolean;
  /** Numbered from 1 in this order: citations and supports point into it. */
  passages: ContextPassage[];
  /** The passages came from keyword search alone (the search model was still loading). */
  keywordOnly: boolean;
  /** Whether the library covers the question, 0..1, decided from retrieval evidence. */
  coverage: { covered: boolean; score: number } | null;
  /** The sentence of the passages that answers, with its citation: the answer without a model. */
  extract: CheckedSentence | null;
  /** `extract` was chosen on words only; a better-informed choice is on its way. */
  extractProvisional: boolean;
  /** The written answer as streamed (Markdown with [n] citations); '' without a model. */
  answer: string;
  /** The written answer, sentence by sentence, each with its support (after the model finished). */
  sentences: CheckedSentence[] | null;
  /** How many of `sentences` are backed by a quote, of how many. */
  supported: number;
  total: number;
  /** Why no answer was written ("not in your documents"). */
  declined: string | null;
  status: AnswerStatus;
  finishReason: 'stop' | 'length' | 'aborted' | null;
}

/** The record before any event: searching for `question` as typed. */
export function newAnswerRecord(question: string): AnswerRecord {
  return {
    question,
    query: question,
    rewritten: false,
    passages: [],
    keywordOnly: false,
    coverage: null,
    extract: null,
    extractProvisional: false,
    answer: '',
    sentences: null,
    supported: 0,
    total: 0,
    declined: null,
    status: 'searching',
    finishReason: null,
  };
}

/** The record after one more event. Pure: returns a new object, leaves `state` as it was. */
export function applyAnswerEvent(state: AnswerRecord, event: AnswerEvent): AnswerRecord {
  switch (event.type) {
    case 'query':
      return { ...state, query: event.query, rewritten: event.rewritten };
    case 'passages':
      return { ...state, passages: event.passages, keywordOnly: !!event.keywordOnly, status: 'answering' };
    case 'coverage':
      return { ...state, coverage: { covered: event.covered, score: event.score } };
    case 'extract':
      return { ...state, extract: event.sentence, extractProvisional: !!event.provisional };
    case 'token':
      return { ...state, answer: state.answer + event.text };
    case 'checked':
      return { ...state, sentences: event.sentences, supported: event.supported, total: event.total };
    case 'declined':
      return { ...state, declined: event.reason, passages: event.closest, status: 'declined' };
    case 'done':
      return {
        ...state,
        finishReason: event.finishReason,
        status: event.finishReason === 'aborted' ? 'stopped' : state.status === 'declined' ? 'declined' : 'done',
      };
  }
}
