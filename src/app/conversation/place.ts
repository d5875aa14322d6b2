// Where a passage is in its document ("p. 2–3, Results"): the words the answer model's prompt uses too.
export { where } from '../../core';
