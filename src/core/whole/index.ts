// Questions about the whole (issue 21): kinds, summaries, lists and counts, comparisons, source guides.
export { classifyQuestion, namedDocuments } from './kinds';
export type { Classification, ClassifyContext, QuestionKind, QuestionScope, ScopeLevel } from './kinds';
