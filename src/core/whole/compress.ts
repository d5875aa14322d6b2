/**
 * Sentence compression for quoted summaries: what a quote carries that no summary keeps, cut so the
 * summary's word budget holds more of what the document says. Each cut is shown as "…", so the
 * quote stays honest (its pieces are still the document's text, in order: quoteMatches) and its
 * citation still points at the whole sentence.
 */

/** What may be cut from a quoted sentence. */
export type QuoteCut =
  /** "[12]", "[3, 7–9]", "(Smith et al., 2019)", "(Lo and Wang 2020; Kim, 2021a)". */
  | 'citations'
  /** "(Figure 2B)", "(see Table 3)", "(Figure 1—figure supplement 1)", "(data not shown)", "As shown in Figure 1B, ". */
  | 'pointers'
  /** A leading connective that leans on a sentence the summary may not show: "However, ", "In addition, ". */
  | 'openers'
  /** A bracketed acronym after what it stands for: "(MLM)", "(APCs)". */
  | 'acronyms'
  /** Other brackets holding a number: "(R2 = 0.97)", "(19.1%)", "(1956–1959)". */
  | 'numbers'
  /** Other bracketed asides: "(later incorporated into New York)". */
  | 'asides';

/** Bracketed numeric citations: "[12]", "[3, 7–9]". */
export const NUMERIC_CITATION = /\s*\[\d+(?:\s*[,–-]\s*\d+)*\]/g;
/** Author-year citations in brackets: "(Smith et al., 2019)", "(see Lo and Wang 2020; Kim, 2021a)". */
export const AUTHOR_CITATION =
  /\s*\((?=[^()]*\b(?:1[89]|20)\d{2}[a-z]?\b)(?=[^()]*(?:et al\.|\p{Lu}\p{Ll}+,?\s+(?:1[89]|20)\d{2}))[^()]{3,200}\)/gu;

const YEAR = /\b(?:1[89]|20)\d{2}[a-z]?\b/;
const AUTHOR_YEAR = /(?:et al\.|\p{Lu}\p{Ll}+,?\s+(?:1[89]|20)\d{2})/u;
const POINTER =
  /^(?:see\s+(?:also\s+)?|cf\.\s+|e\.g\.,?\s+|as in\s+|compare\s+|and\s+)?[‘'"“]?(?:Fig(?:ure)?s?\b|Tables?\b|Supp(?:lementary|l)?\b|Movies?\b|Videos?\b|Box(?:es)?\b|Eqs?\b|Equations?\b|Appendix|Sections?\b|§|(?:Materials and )?Methods\b|(?:associated )?source data|data not shown|not shown)/i;
const ACRONYM = /^(?=(?:[^\p{Lu}]*\p{Lu}){2}|\d+\p{Lu})[\p{Lu}\d][\p{L}\d/-]{0,10}$/u;
const OPENER =
  /^(?:however|moreover|furthermore|in addition|additionally|thus|therefore|hence|consequently|indeed|importantly|interestingly|notably|surprisingly|remarkably|strikingly|finally|first|firstly|second|secondly|third|thirdly|next|then|meanwhile|nevertheless|nonetheless|similarly|likewise|instead|conversely|in contrast|by contrast|on the other hand|alternatively|accordingly|specifically|in particular|together|taken together|collectively|as expected|as a result|in turn|of note|again|still|also|further|to this end|to do so|for example|for instance)\s*,\s+(?=\S)/i;
/** A leading clause that points at a figure: "As shown in Figure 1B, ". */
const LEADING_POINTER =
  /^(?:… )?as (?:shown|seen|illustrated|depicted|summari[sz]ed|indicated) (?:in|by) (?:fig(?:ure)?s?\.?|tables?) [^,]{1,30},\s+(?=\S)/i;

/** What kind of thing one part of a bracket (split at ";") is. */
function partKind(part: string, square: boolean): QuoteCut | 'keep' {
  const c = part.trim();
  if (!c) return 'asides';
  if (square) return /^\d+(?:\s*[,–-]\s*\d+)*$/.test(c) ? 'citations' : 'keep';
  if (YEAR.test(c) && AUTHOR_YEAR.test(c)) return 'citations';
  if (POINTER.test(c)) return 'pointers';
  if (ACRONYM.test(c)) return 'acronyms';
  if (/\d/.test(c)) return 'numbers';
  return 'asides';
}

/**
 * A quoted sentence with the kinds of material in `cuts` cut, each cut shown as "…". A bracket
 * stands alone (space before, no letter after): "signal(s)" and "the [+]-box" are words, not asides.
 * A bracket is cut whole when every ";"-part of it may go, else only the parts that may.
 */
export function compressQuote(text: string, cuts: readonly QuoteCut[]): string {
  if (!cuts.length) return text;
  const may = new Set(cuts);
  let out = text;
  if (may.has('openers')) out = out.replace(OPENER, '… ');
  if (may.has('pointers')) out = out.replace(LEADING_POINTER, '… ');
  out = out.replace(/(^|\s+)(\(([^()]*)\)|\[([^[\]]*)\])(?![\p{L}\p{N}\-+])/gu, (whole, before, _b, round, square) => {
    const inside: string = round ?? square;
    const parts = inside.split(';');
    const kinds = parts.map((p) => partKind(p, round === undefined));
    if (kinds.every((k) => k !== 'keep' && may.has(k))) return ' …';
    if (!kinds.some((k) => k !== 'keep' && may.has(k))) return whole;
    // The parts kept stay in their order, each cut between them shown where it was.
    const shown = parts
      .map((p, i) => (kinds[i] === 'keep' || !may.has(kinds[i] as QuoteCut) ? p.trim() : '…'))
      .join('; ')
      .replace(/;\s*…/g, ' …')
      .replace(/…;\s*/g, '… ');
    return round === undefined ? `${before}[${shown}]` : `${before}(${shown})`;
  });
  // A cut that ends the sentence takes its full stop with it: "reproducibility …", not "…." after a space.
  return out
    .replace(/…(?:\s*…)+/g, '…')
    .replace(/\s…\s*\.$/, ' …')
    .trim();
}

/** Whether a quote (cuts shown as "…") is the source's text: its pieces, in order, with only cuts between. */
export function quoteMatches(source: string, quote: string): boolean {
  const pieces = quote.split('…').map((p) => p.trim());
  if (!pieces.some(Boolean)) return false;
  const escaped = pieces.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('[\\s\\S]*?')}$`).test(source.trim());
}

/** Words of a quote as its budget counts them: the "…" of a cut is none. */
export function quoteWords(quote: string): number {
  return quote.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}
