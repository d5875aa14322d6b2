import type { ContextPassage } from '../../core';

/** Where a passage is in its document: "p. 2–3, Results". */
export function where(p: Pick<ContextPassage, 'location'>): string {
  const parts: string[] = [];
  if (p.location.page) parts.push(`p. ${p.location.page}${p.location.pageEnd ? `–${p.location.pageEnd}` : ''}`);
  const heading = p.location.headings.at(-1);
  if (heading) parts.push(heading);
  return parts.join(', ');
}
