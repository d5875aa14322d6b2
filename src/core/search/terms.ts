/**
 * A document's own definitions of its terms: acronyms and what they stand for, as the text writes
 * them ("Massive Multitask Language Understanding (MMLU)", "CLL [Chronic Lymphocytic Leukemia]").
 * Mined when a document is indexed; a question that uses either form is searched with the other as
 * well, and counts as covered by the library that defines it.
 *
 * The long form is found as Schwartz & Hearst (2003) do: the shortest run of words before (or
 * inside) the brackets that holds the acronym's letters in order, its first letter opening a word.
 */
import { escapeRegExp } from '../regexp';

/** [short form, long form] pairs, e.g. ['MMLU', 'Massive Multitask Language Understanding']. */
export type Term = [string, string];

/** An acronym: 2–10 characters, a capital first, at least two capitals, no spaces ("SCUs", "S2ORC"). */
const SHORT = /^(?=(?:[^A-Z]*[A-Z]){2})[A-Z][A-Za-z0-9-]{1,9}$/;
/** Either "long form (SF)" or "SF (long form)", with round or square brackets. */
const BRACKETED = /[([]([^()[\]]{1,120})[)\]]/g;
const MAX_TERMS = 500;

/** Small words that are not initials of a long form ("Board of Veterans' Appeals"). */
const MINOR = new Set(['of', 'and', 'the', 'for', 'in', 'on', 'to', 'a', 'an', 'with', 'by', 'at', '&']);

/** The definitions a document's text makes, each acronym once. */
export function mineTerms(text: string): Term[] {
  // The first definition of an acronym wins, unless a later one's initials spell it and its own do not.
  const found = new Map<string, { term: Term; exact: boolean }>();
  for (const m of text.matchAll(BRACKETED)) {
    if (found.size >= MAX_TERMS) break;
    const inside = m[1]!.trim();
    const before = text.slice(Math.max(0, m.index! - 200), m.index!);
    let short = inside.split(/[,;]\s*|\s+/)[0]!;
    let long: ReturnType<typeof longForm> = null;
    if (SHORT.test(short) && (inside === short || /^[,;]/.test(inside.slice(short.length).trim()))) {
      long = longForm(short, before.split(/\s+/).filter(Boolean));
    } else {
      // "SF (long form)": the acronym ends the text before the brackets.
      short = /(\S+)\s*$/.exec(before)?.[1] ?? '';
      if (SHORT.test(short)) {
        long = longForm(short, inside.split(/\s+/));
        if (long && long.text.split(/\s+/).length !== inside.split(/\s+/).length) long = null;
      }
    }
    if (!long) continue;
    const known = found.get(short);
    if (!known || (long.exact && !known.exact)) found.set(short, { term: [short, long.text], exact: long.exact });
  }
  return [...found.values()].map((f) => f.term);
}

/**
 * The long form of `short` at the end of `words`: the words whose initials spell it, if they do;
 * else the shortest tail whose characters hold its letters and digits in order (the first opening a
 * word), when at least half of its words' initials are among them or it is one word.
 */
function longForm(short: string, words: string[]): { text: string; exact: boolean } | null {
  // A plural's 's' ("SCUs") is not one of the initials.
  const chars = short
    .replace(/(?<=[A-Z0-9])s$/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
  if (chars.length < 2) return null;
  const max = Math.min(words.length, chars.length + 5, chars.length * 2);
  const tail = (n: number) =>
    words
      .slice(words.length - n)
      .join(' ')
      .replace(/^[^\p{L}\p{N}]+/u, '')
      .replace(/[,;:]+$/, '');
  const initials = (text: string) =>
    text
      .toLowerCase()
      .split(/[\s-]+/)
      .filter((w) => w && !MINOR.has(w))
      .map((w) => w[0])
      .join('');
  for (let n = 1; n <= max; n++) {
    const text = tail(n);
    if (/[()[\].;:!?]/.test(text)) break;
    if (initials(text) === chars) return { text, exact: true };
  }
  for (let n = 1; n <= max; n++) {
    const text = tail(n);
    if (/[()[\].;:!?]/.test(text)) return null;
    if (!/^\p{L}/u.test(text) || !text.toLowerCase().startsWith(chars[0]!)) continue;
    if (!holdsInOrder(text.toLowerCase(), chars)) continue;
    // How many of its words' initials are letters of the short form, in order.
    let matched = 0;
    let at = 0;
    for (const c of initials(text)) {
      const found = chars.indexOf(c, at);
      if (found < 0) continue;
      matched++;
      at = found + 1;
    }
    return n === 1 || matched * 2 >= chars.length ? { text, exact: false } : null;
  }
  return null;
}

function holdsInOrder(text: string, chars: string): boolean {
  let i = 0;
  for (const c of text) if (c === chars[i]) i++;
  return i === chars.length;
}

/**
 * The definitions a query uses: each defined acronym it has as a word (in capitals, as defined)
 * and each long form it spells out. At most `limit`, the first definition of an acronym winning.
 */
export function termsUsed(query: string, terms: Iterable<Term>, limit = 3): Term[] {
  const out: Term[] = [];
  const lower = query.toLowerCase();
  const words = new Set(query.split(/[^\p{L}\p{N}-]+/u));
  for (const term of terms) {
    if (out.length >= limit) break;
    const [short, long] = term;
    if (out.some(([s]) => s === short)) continue;
    if (words.has(short) || lower.includes(long.toLowerCase())) out.push(term);
  }
  return out;
}

/** The forms of the definitions a query uses that it does not have itself: what it is also searched for. */
export function alsoSearched(query: string, used: Term[]): string[] {
  const lower = query.toLowerCase();
  const words = new Set(query.split(/[^\p{L}\p{N}-]+/u));
  return used.flatMap(([short, long]) =>
    words.has(short) ? (lower.includes(long.toLowerCase()) ? [] : [long]) : [short],
  );
}

/** The name a "What is X?" question asks about (at most four words), or null. */
export function nameAsked(query: string): string | null {
  const m = /^\s*what\s+(?:is|are|was|were)\s+(?:an?\s+|the\s+)?([^?]+?)\s*\?\s*$/i.exec(query);
  const name = m?.[1]?.trim();
  return name && name.split(/\s+/).length <= 4 ? name : null;
}

/**
 * Whether a text defines the name: "CiteSee, a paper reading tool", "papermage, an open-source
 * Python toolkit", "European Union law is a system of …" (an acronym's brackets may come between).
 */
export function definesName(text: string, name: string): boolean {
  const words = name.split(/\s+/).map(escapeRegExp);
  const pattern = new RegExp(
    `(?<![\\p{L}\\p{N}])${words.join('\\s+')}(?:\\s*\\([^)]{1,40}\\))?(?:\\s*,\\s*|\\s+(?:is|are|was|were)\\s+)(?:an?|the|one)\\s`,
    'iu',
  );
  return pattern.test(text);
}
