// The answer pipeline's public surface (re-exported by core/index.ts).
export { answer, declinedReason, libraryRetriever } from './pipeline';
export { collectionsInWords } from './scopeWords';
export { where } from './place';
export type { AnswerOptions, Retriever, PreviousTurn } from './pipeline';
export { applyAnswerEvent, newAnswerRecord } from './record';
export { checkAnswer, answerSentences, SUPPORTED } from './check';
export type { CheckResult } from './check';
export { coverage, termShare, COVERAGE } from './coverage';
export type { Coverage } from './coverage';
export { standaloneQuery, referenceCue, onTopic, FOLLOW_UP_GAIN } from './followUp';
export type { StandaloneQuery, ReferenceCue, FollowUpGenerator } from './followUp';
// The extract's sentence scoring, for scripts/tune-answer.ts (which fits its weights).
export * as sentenceScoring from './extract';
export { splitSentences } from './sentences';
export type { Span } from './sentences';
export type { AnswerEvent, AnswerRecord, CheckedSentence, Support } from './types';
