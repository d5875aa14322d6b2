// The answer pipeline, in a chunk of its own: it is not needed to show the page, so it stays out
// of the initial JavaScript and is fetched when the page is idle (or at the first question).
export { applyAskEvent, askQuestion, classifyIn, computedByTable, readingOnce } from '../../core';
