// Apart from source.ts: the page's sample questions use it, and source.ts's imports are not for the page.
/**
 * A heading without its section number ("3 Results", "2.1. Data" → "Results", "Data"); a heading
 * that starts with a number of its own ("1910s–1950s", "2023 budget": not one or two digits) keeps it.
 */
export const withoutNumber = (heading: string) => heading.replace(/^\d{1,2}(?:\.\d+)*\.?\s+/, '').trim();
