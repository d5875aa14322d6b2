// Its own module: the page names the chosen collections at start-up, and importing this from the
// answer pipeline put the whole pipeline in the page's first download (13 KB gzip).

/** Chosen collections in words: the collection “Work”, the collections “Work” and “Papers”. */
export function collectionsInWords(names: string[]): string {
  const quoted = names.map((n) => `“${n}”`);
  if (quoted.length === 1) return `the collection ${quoted[0]}`;
  if (quoted.length <= 3) return `the collections ${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
  return `the ${quoted.length} collections chosen`;
}
