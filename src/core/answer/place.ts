import type { ContextPassage } from '../search/context';

/** "p. 4, Results": where in its document a passage is (prompt and page). Its own module, so the page shows it without the pipeline. */
export function where(p: Pick<ContextPassage, 'location'>): string {
  const parts: string[] = [];
  if (p.location.page) parts.push(`p. ${p.location.page}${p.location.pageEnd ? `–${p.location.pageEnd}` : ''}`);
  const heading = p.location.headings.at(-1);
  if (heading) parts.push(heading);
  return parts.join(', ');
}
