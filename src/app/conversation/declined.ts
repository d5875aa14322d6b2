/**
 * A declined answer's reason under its "Not in your documents" title: the core's reason opens with
 * those same words ("Not in your documents: nothing…"), which read twice on screen and in Markdown.
 */
export function declinedDetail(reason: string): string {
  const rest = reason.replace(/^Not in your documents[.:]\s*/i, '');
  return `${rest.charAt(0).toUpperCase()}${rest.slice(1)}`;
}
