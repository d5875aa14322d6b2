// Questions about the whole (issue 21): kinds, summaries, lists and counts, comparisons, source guides.
export { classifyQuestion, namedDocuments } from './kinds';
export type { Classification, ClassifyContext, QuestionKind, QuestionScope, ScopeLevel } from './kinds';
export {
  summarisePassages,
  sentenceFeatures,
  documentSentences,
  summaryText,
  prose,
  QUOTE_CUTS,
  SUMMARY_WORDS,
  SUMMARY_WEIGHTS,
} from './summarise';
export type {
  DocSentence,
  SentenceFeatures,
  ExtractiveSummary,
  SummaryLength,
  SummaryOptions,
  SummarySection,
  SummaryWeights,
  WholePassage,
} from './summarise';
export { compressQuote, QUOTE_CUT_KINDS, quoteMatches, quoteWords } from './compress';
export type { QuoteCut } from './compress';
export { citedList, distinctItems, groupItems } from './items';
export type { FoundItem } from './items';
export {
  countItems,
  listCondition,
  negated,
  scanPassages,
  SCAN_THRESHOLDS,
} from './scan';
export type { ListCondition, ListItem, ScanBatch, ScanOptions, ScanPassage } from './scan';
export { compareDocuments } from './compare';
export type { CompareCell, Comparison } from './compare';
export { resolveScope, inSection, passagesInScope, countPassages, readingOnce } from './source';
export { withoutNumber } from './headings';
export type { ResolvedScope, WholeDocument, WholeSource } from './source';
export { askQuestion, classifyIn, computedByTable } from './route';
export type { AskEvent, AskOptions } from './route';
export { applyAskEvent, answerCitations, answerText, newWholeRecord } from './record';
export type { CitedText, CompareRow, ListGroup, SummaryDocument, WholeEvent, WholeRecord } from './types';
export { computeSourceGuide, questionFrom } from './guide';
export type { SourceGuide } from './guide';
