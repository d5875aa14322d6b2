/**
 * `applyAnswerEvent` folds the pipeline's events into the `AnswerRecord` a conversation turn keeps
 * (types.ts), one at a time, without mutating: the app, the eval and the Node tests all read the
 * answer through it.
 */
import type { AnswerEvent, AnswerRecord } from './types';

/** The record before any event: searching for `question` as typed. */
export function newAnswerRecord(question: string): AnswerRecord {
  return { question, passages: [], answer: '', status: 'retrieving' };
}

/** The record after one more event. Pure: returns a new object, leaves `state` as it was. */
export function applyAnswerEvent<R extends AnswerRecord>(state: R, event: AnswerEvent): R {
  switch (event.type) {
    case 'query': {
      // A record is reused for nothing else, but a fresh 'query' must not keep a stale rewrite.
      const { searchedFor: _s, searchedWhy: _w, alsoSearched: _a, ...rest } = state;
      const also = event.alsoSearched?.length ? { alsoSearched: event.alsoSearched } : {};
      return (
        event.rewritten
          ? { ...rest, searchedFor: event.query, ...(event.why ? { searchedWhy: event.why } : {}), ...also }
          : { ...rest, ...also }
      ) as R;
    }
    case 'passages':
      return {
        ...state,
        passages: event.passages,
        ...(event.keywordOnly ? { keywordOnly: true } : {}),
        status: state.status === 'retrieving' ? 'answering' : state.status,
      };
    case 'coverage':
      return { ...state, coverage: { covered: event.covered, score: event.score } };
    case 'extract':
      return { ...state, extract: event.sentence, extractProvisional: !!event.provisional };
    case 'token':
      return { ...state, answer: state.answer + event.text, status: 'answering' };
    case 'checked':
      return { ...state, checked: { sentences: event.sentences, supported: event.supported, total: event.total } };
    case 'declined':
      return { ...state, declined: { reason: event.reason }, passages: event.closest };
    case 'table':
      return { ...state, table: event.answer };
    case 'done':
      return {
        ...state,
        finishReason: event.finishReason,
        status: event.finishReason === 'aborted' ? 'stopped' : 'done',
      };
  }
}
