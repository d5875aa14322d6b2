/** Text put in a regular expression as it is written ("papermage.pdf", "C++"). */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
