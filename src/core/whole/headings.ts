// Apart from source.ts: the page's sample questions use it, and source.ts's imports are not for the page.
/**
 * A heading without its section number ("3 Results", "2.1. Data" → "Results", "Data"); a heading
 * that starts with a number of its own ("1910s–1950s", "2023 budget": not one or two digits) keeps it.
 */
export const withoutNumber = (heading: string) => heading.replace(/^\d{1,2}(?:\.\d+)*\.?\s+/, '').trim();

/**
 * A heading set in capitals as a label: "DESIGNING AI SUPPORTS" → "Designing AI supports", the words
 * the document writes in capitals in its running text (`keep`, from `acronyms`) and words with a
 * digit ("GPT-4", "3D") kept so; any other heading as it is.
 */
export function asLabel(heading: string, keep: ReadonlySet<string> = new Set()): string {
  if (/\p{Ll}/u.test(heading)) return heading;
  return heading
    .toLowerCase()
    .replace(/[\p{L}\p{N}]+/gu, (w, at: number) =>
      keep.has(w.toUpperCase()) || /\p{N}/u.test(w)
        ? w.toUpperCase()
        : at === 0
          ? w.charAt(0).toUpperCase() + w.slice(1)
          : w,
    );
}

/**
 * Words a text writes in capitals among lower-case words ("natural language processing (NLP) is",
 * "GPUs.", "BERT-base", "COVID-19 cases"): its acronyms. A heading in capitals run into its section's
 * text ("… WRITING To optimally") is not counted: its words stand among capitals.
 */
export function acronyms(texts: string[]): Set<string> {
  const found = new Set<string>();
  for (const t of texts)
    for (const m of t.matchAll(/(?<=\p{Ll}\p{P}?\s[(["“]?)\p{Lu}{2,}(?=s?(?:[\p{P}\p{N}]*\s*\p{Ll}|[)\]”]))/gu))
      found.add(m[0]);
  return found;
}

// Sections every paper or report has, which say nothing of what this one is about: its apparatus
// (matched as a prefix: "Appendix A", "References and notes") and its front matter.
export const APPARATUS =
  /^(?:references|bibliography|works cited|acknowledge?ments?|appendi(?:x|ces)|supplementary material|see also|external links|notes|footnotes|further reading|contents|table of contents|index)\b/i;
export const FRONT_MATTER = /^(?:abstract|keywords?|index terms|ccs concepts|acm reference format)\s*$/i;
