/**
 * "Who wrote the CiteSee paper?" is answered by the paper's byline: the names under its title.
 * Searched like any question, it found sentences with the word "author" in them (the copyright
 * notice, "Author Contributions", a metadata field list), never the byline, which says "author"
 * nowhere and is names, affiliations and addresses the embedding model reads as noise. A paper's
 * first passage holds it, between the title and the abstract (pdfLayout.ts reads that front matter
 * as text under the title), so it is taken from there, and quoted.
 */
import type { SourceLocation } from '../types';
import { escapeRegExp } from '../regexp';

export const DOCUMENT = String.raw`(?:it|this|that|(?:the|this|that)\s+(?:paper|document|article|report|book|file|pdf|text|study|preprint|work))`;
/** The whole question, once the document's names are out of it: who wrote it, or its authors. */
const AUTHORS_ASKED = new RegExp(
  String.raw`^\s*(?:who\s+(?:wrote|authored|(?:is|are|was|were)\s+the\s+(?:authors?|writers?)(?:\s+(?:of|on))?)|(?:what\s+are\s+|list\s+|name\s+)?(?:the\s+)?(?:names?\s+of\s+the\s+)?authors?(?:\s+(?:of|on))?|by\s+whom\s+(?:is|was)|who\s+(?:are|were)\s+(?:it\s*['’]s|its)\s+authors|who\s+(?:is|was)\s+${DOCUMENT}\s+(?:written|authored)\s+by)\s*(?:${DOCUMENT})?\s*(?:written|authored)?\s*[?.!]*\s*$`,
  'i',
);

/** Cheap first look, before a document is listed: a question with none of these words asks no author. */
export function mayAskAuthors(question: string): boolean {
  return /\b(?:wrote|authored|authors?|writers?|whom)\b/i.test(question);
}

/**
 * Whether the question asks who wrote the document it names by `names` (its file name, title, short
 * title): "Who wrote the CiteSee paper?", "Authors of papermage.pdf?", "Who wrote it?". Not who wrote
 * something it mentions ("Who wrote the letter the report quotes?").
 */
export function asksAuthors(question: string, names: string[]): boolean {
  return AUTHORS_ASKED.test(namesAsIt(question, names));
}

// What a name may be followed by when it names the document itself: "the CiteSee paper".
export const NAME_NOUN = '(?:paper|document|article|report|pdf|study|preprint)';

/**
 * The question with each of a document's names (file name, title, short title; "the … paper" with
 * it) replaced by "it", so that one pattern reads "Who wrote the CiteSee paper?", "… papermage.pdf?"
 * and "Who wrote it?" alike.
 */
export function namesAsIt(question: string, names: string[]): string {
  let q = question;
  for (const n of [...names].sort((a, b) => b.length - a.length))
    if (n.trim())
      q = q.replace(
        new RegExp(
          String.raw`(?:\bthe\s+)?(?<![\p{L}\p{N}])${escapeRegExp(n)}(?![\p{L}\p{N}])(?:\s+${NAME_NOUN}\b)?`,
          'giu',
        ),
        ' it ',
      );
  return q.replace(/\s+/g, ' ');
}

// A person's name as a byline prints it: "Kyle Lo", "Daniel S. Weld", "TAL AUGUST".
const NAME = /\p{Lu}\p{Ll}+(?:\s+\p{Lu}\.)?\s+\p{Lu}\p{Ll}+|\b\p{Lu}{2,}\s+\p{Lu}{2,}\b/u;
const FRONT_MATTER =
  /^\s*(?:abstract|keywords|index terms|ccs concepts|acm reference format|executive summary|summary|contents|table of contents|introduction|preface|foreword)\b/i;
/**
 * A paragraph of prose: a full stop after a word in lower case ("… an American company."), or mostly
 * words in lower case. A byline's stops are initials', abbreviations' and addresses' ("Daniel S. Weld",
 * "Dept. of Comput. Sci., Univ. of X", "allenai.org"), and its words mostly names.
 */
function prose(t: string): boolean {
  if (/(?<![\p{L}])\p{Ll}{3,}[.!?](?:\s|$)/u.test(t)) return true;
  const words = t.match(/\p{L}+/gu) ?? [];
  return words.length >= 6 && words.filter((w) => /^\p{Ll}/u.test(w)).length >= words.length / 2;
}

// Addresses: "danw@allenai.org", "{kylel, lucyw}@allenai.org".
const ADDRESS = /\{[^}]*\}@\S+|\S+@\S+/g;
const addressesOnly = (t: string) => t.includes('@') && !/\p{L}/u.test(t.replace(ADDRESS, ''));

export interface Byline {
  /** Offsets of the byline in the chunk's text. */
  start: number;
  end: number;
  text: string;
}

/**
 * The byline of a document, from its first chunk: the paragraphs after its title and before its
 * first section that name people, through the last that does (an addresses-only paragraph after it
 * is left out). Null for a document without one (no title heading, or prose right under it).
 */
export function bylineOf(chunk: { text: string; location: SourceLocation }): Byline | null {
  const [title, ...deeper] = chunk.location.headings;
  if (!title || deeper.length || chunk.location.start !== 0) return null;
  const paragraphs = [...chunk.text.matchAll(/[^\n]+(?:\n(?!\n)[^\n]+)*/g)].map((m) => ({
    start: m.index,
    text: m[0],
  }));
  const at = paragraphs.findIndex((p) => p.text.trim() === title.trim());
  if (at < 0) return null;
  let first = -1;
  let last = -1;
  for (let i = at + 1; i < paragraphs.length; i++) {
    const t = paragraphs[i]!.text;
    // A sentence of prose ends the front matter ("… is an American multinational company."): a
    // byline's full stops are initials' and addresses' ("Daniel S. Weld", "allenai.org").
    if (prose(t)) break;
    // What follows a byline: the abstract, keywords, a report's summary or contents.
    if (FRONT_MATTER.test(t)) break;
    if (addressesOnly(t)) continue;
    if (!NAME.test(t)) break;
    if (first < 0) first = i;
    last = i;
  }
  if (first < 0) return null;
  const start = paragraphs[first]!.start;
  const end = paragraphs[last]!.start + paragraphs[last]!.text.length;
  return { start, end, text: chunk.text.slice(start, end) };
}
