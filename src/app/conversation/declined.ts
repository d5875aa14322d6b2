/**
 * A declined answer's reason under its "Not in your documents" title: the core's reason opens with
 * those same words ("Not in your documents: nothing…"), which read twice on screen and in Markdown.
 */
export function declinedDetail(reason: string): string {
  const rest = reason.replace(/^Not in your documents[.:]\s*/i, '');
  return `${rest.charAt(0).toUpperCase()}${rest.slice(1)}`;
}

/**
 * The declined answer's title: where it looked. Asked in collections, "Not in “Birds”" — the
 * rest of the library was not searched, so "Not in your documents" would say more than is known.
 */
export function declinedTitle(reason: string): string {
  // Greedy up to the reason's fixed words: a collection's own name may hold " matches this question".
  const where = /^Not in your documents: nothing in (.+) matches this question closely/i.exec(reason)?.[1];
  if (!where || where === 'your library') return 'Not in your documents';
  return `Not in ${where.replace(/^the collections? (?=“)/, '')}`;
}

/** Whether the answer was declined inside chosen collections, so asking in all documents may find it. */
export const declinedInScope = (reason: string) => declinedTitle(reason) !== 'Not in your documents';
