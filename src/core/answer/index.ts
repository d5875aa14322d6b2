// The answer pipeline's public surface (re-exported by core/index.ts).
export { answer, libraryRetriever, where, DECLINED_REASON } from './pipeline';
export type { AnswerOptions, Retriever, PreviousTurn } from './pipeline';
export { applyAnswerEvent, newAnswerRecord } from './record';
export type { AnswerRecord, AnswerStatus } from './record';
export { checkAnswer, answerSentences, SUPPORTED } from './check';
export type { CheckResult } from './check';
export { coverage, termShare, COVERAGE } from './coverage';
export type { Coverage } from './coverage';
export { standaloneQuery, referenceCue, onTopic, FOLLOW_UP_GAIN } from './followUp';
export type { StandaloneQuery, ReferenceCue } from './followUp';
export { splitSentences } from './sentences';
export type { Span } from './sentences';
export type { AnswerEvent, CheckedSentence, Support } from './types';
