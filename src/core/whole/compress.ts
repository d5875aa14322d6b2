/**
 * Sentence compression for quoted summaries: what a quote carries that no summary keeps, cut so the
 * summary's word budget holds more of what the document says. Each cut is shown as "…", so the
 * quote stays honest (its pieces are still the document's text, in order: quoteMatches) and its
 * citation still points at the whole sentence.
 */
import { escapeRegExp } from '../regexp';

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
  | 'asides'
  /** A trailing non-restrictive relative clause: ", which was at the time under Shia rule." */
  | 'relatives'
  /** A non-restrictive relative clause between commas before the verb: "Johnson, who was then majority leader, was seeking". */
  | 'inserts'
  /** Trailing examples: ", such as …", ", including …", ", e.g. …". */
  | 'examples'
  /** A trailing clause that draws a consequence: ", indicating …", ", suggesting …", ", making …". */
  | 'consequences'
  /** A leading clause that only frames the sentence: "To test this, we", "Based on these results, ", "In addition to X, ". */
  | 'framing'
  /** "In this study, ", "In this paper, ", "Here, " before what the paper does. */
  | 'settings'
  /** An appositive between commas that glosses a name: "Gal4, a transcriptional activator, was expressed". */
  | 'appositives';

/** The cuts that take a clause, not a bracket or a connective: they take words that say something of the document. */
export const CLAUSE_CUTS: readonly QuoteCut[] = [
  'relatives',
  'inserts',
  'examples',
  'consequences',
  'framing',
  'settings',
  'appositives',
];
/** Every kind of cut, as `npm run eval -- … --cuts` names them. */
export const QUOTE_CUT_KINDS: readonly QuoteCut[] = [
  'citations',
  'pointers',
  'openers',
  'acronyms',
  'numbers',
  'asides',
  ...CLAUSE_CUTS,
];

/** Bracketed numeric citations: "[12]", "[3, 7–9]". */
export const NUMERIC_CITATION = /\s*\[\d+(?:\s*[,–-]\s*\d+)*\]/g;
/** Author-year citations in brackets: "(Smith et al., 2019)", "(see Lo and Wang 2020; Kim, 2021a)". */
export const AUTHOR_CITATION =
  /\s*\((?=[^()]*\b(?:1[89]|20)\d{2}[a-z]?\b)(?=[^()]*(?:et al\.|\p{Lu}\p{Ll}+,?\s+(?:1[89]|20)\d{2}))[^()]{3,200}\)/gu;

const MONTH =
  /^(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?|Spring|Summer|Autumn|Fall|Winter)$/;
const PARTICLE = String.raw`(?:(?:van|von|de|der|den|del|della|la|le|da|di|du|dos)\s+)*`;
const SURNAME = String.raw`\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}?[\p{Ll}'’]+)*`;
const NAME = PARTICLE + SURNAME;
const CITE_YEAR = String.raw`(?:1[89]|20)\d{2}[a-z]?`;
const AUTHORS = String.raw`${NAME}(?:\s+et\s+al\.?|\s+(?:and|&)\s+${NAME}|(?:,\s+${NAME})+,?\s+(?:and|&)\s+${NAME})?`;
const ONE_CITATION = String.raw`(${AUTHORS}),?\s+${CITE_YEAR}(?:\s*,\s*${CITE_YEAR})*(?:,\s*pp?\.\s*\d+(?:[–-]\d+)?)?`;
/**
 * A bracket part that is nothing but author-year citations: "Smith et al., 2019", "see Lo and Wang
 * 2020, 2021a". Whole parts only: "but see Smith et al., 2019, who found no effect" says something.
 */
const CITATION_PART = new RegExp(
  String.raw`^(?:(?:see|cf\.|e\.g\.,?|reviewed in|as in)\s+(?:also\s+)?)?${ONE_CITATION}(?:\s*,\s*${ONE_CITATION})*$`,
  'u',
);
const LABEL = String.raw`(?:[A-Z]{0,2}\d+[A-Za-z]?(?:[.–-]\d+[A-Za-z]?)*|[A-Z](?:\.\d+)*|[IVX]+)`;
const LABELS = String.raw`${LABEL}(?:\s*(?:,|and|&|–|-|to)\s*${LABEL})*`;
const POINTED = String.raw`(?:Fig(?:ure)?s?\.?|Tables?|Movies?|Videos?|Box(?:es)?|Eqs?\.?|Equations?|Appendi(?:x|ces)|Sections?|Chapters?|§)`;
/**
 * A bracket part that only points elsewhere: "Figure 1B", "see Table 3", "Figure 1—figure supplement
 * 2", "Supplementary Fig. S4", "data not shown". Whole parts only: "(Section 4 does not apply to
 * leases)" is a finding, not a pointer.
 */
const POINTER_PART = new RegExp(
  String.raw`^(?:(?:see|cf\.|e\.g\.,?|as in|compare|and)\s+(?:also\s+)?)?(?:(?:(?:Supp(?:lementary|l)?\.?|Extended Data)\s+)?${POINTED}\s*${LABELS}(?:\s*[—–-]\s*(?:figure|source data|video)\s+supplement\s+\d+[A-Za-z]?)*(?:\s*(?:,|;|and)\s*(?:${POINTED}\s*)?${LABELS})*|(?:data\s+)?not\s+shown|(?:see\s+)?(?:Materials and\s+)?Methods)$`,
  'iu',
);
const ACRONYM = /^(?=(?:[^\p{Lu}]*\p{Lu}){2}|\d+\p{Lu})[\p{Lu}\d][\p{L}\d/-]{0,10}$/u;
const OPENER =
  /^(?:however|moreover|furthermore|in addition|additionally|thus|therefore|hence|consequently|indeed|importantly|interestingly|notably|surprisingly|remarkably|strikingly|finally|first|firstly|second|secondly|third|thirdly|next|then|meanwhile|nevertheless|nonetheless|similarly|likewise|instead|conversely|in contrast|by contrast|on the other hand|alternatively|accordingly|specifically|in particular|together|taken together|collectively|as expected|as a result|in turn|of note|again|still|also|further|to this end|to do so|for example|for instance)\s*,\s+(?=\S)/i;
/** A leading clause that only points at a figure: "As shown in Figure 1B, " (the label, then the comma). */
const LEADING_POINTER = new RegExp(
  String.raw`^(?:… )?as (?:shown|seen|illustrated|depicted|summari[sz]ed|indicated) (?:in|by) (?:Fig(?:ure)?s?\.?|Tables?)\s*${LABELS},\s+(?=\S)`,
  'iu',
);
/** Words before a bracket of numbers that make it a range or a value, not a citation: "normalised to [0, 1]". */
const BEFORE_INTERVAL = /(?:\b(?:to|from|in|within|between|of|at|on|over|range|interval|scale|values?)|[=∈])\s*$/i;

/** A trailing clause that each kind may cut, from its comma to the sentence's end. */
const TRAILING: Partial<Record<QuoteCut, RegExp>> = {
  relatives: /,\s+(?:which|who|whom|whose)\s/gi,
  examples: /,\s+(?:such as|including|e\.g\.,?|for example|for instance|among them)\s/gi,
  consequences:
    /,\s+(?:indicating|suggesting|showing|demonstrating|confirming|implying|making|resulting in|leading to|thereby)\s/gi,
};
/** A few names and the words that join them: "Herbert Read and Paul Goodman". */
function isNames(part: string): boolean {
  const words = part.trim().split(/\s+/).filter(Boolean);
  return (
    words.length > 0 &&
    words.length <= 6 &&
    words.every((w) => /^(?:\p{Lu}|\d|and$|or$|the$|of$|de$|van$|von$)/u.test(w))
  );
}
/**
 * Whether a trailing clause runs to the sentence's end. A comma in it (outside brackets) may start
 * what the sentence goes on to assert ("…, which he met at work, from 1994 to 2002"; "…, including
 * the same members, is the highest court"), so only the examples' list of names may hold commas
 * ("such as Camus, Read and Goodman").
 */
function endsClause(tail: string, kind: QuoteCut): boolean {
  const parts = tail.replace(/\([^()]*\)|\[[^[\]]*\]/g, '').split(/[,;]/);
  if (/;/.test(tail)) return false;
  return parts.length === 1 || (kind === 'examples' && parts.slice(1).every(isNames));
}
/**
 * A leading clause that frames the sentence: one of purpose or basis before "we" ("To test this,
 * we", "Based on these positions, we"), or an agreement or addition before anything ("Consistent
 * with previous reports, ", "In addition to WASP, "). "Based on the sequence, a protein is
 * conferred its function" says how, so only before "we".
 */
const FRAMING =
  /^(?:… )?(?:(?:(?:to|in order to)\s+\p{Ll}+|based on|building on|combined with|guided by)\s[^,;()]{1,100}?,\s+(?=we\s)|(?:consistent with|in line with|in keeping with|in addition to)\s[^,;()]{1,100}?,\s+(?=\S))/iu;
/**
 * "In this study, " or "Here, " before what the authors did: the sentence says the same without it.
 * Only before "we": "In this study, 40% of patients relapsed" is true of the study only.
 */
const SETTING =
  /^(?:… )?(?:in (?:this|the present|the current|our) (?:study|paper|work|report|article|review)|here)\s*,\s+(?=we\s)/i;
/** A verb that continues a sentence after a clause between commas: what makes the clause an insert. */
const CONTINUES = String.raw`(?=\s+(?:was|were|is|are|has|had|have|became|becomes|remained|remains|would|will|can|could|may|might|must|should|did|does|do|also|later|then|soon|still)\b)`;
/**
 * An appositive that glosses a name: "Gal4, a transcriptional activator, was expressed". A name
 * (a capitalised word) before it and a verb after it: "In Germany, a law, passed in 2000, …" is
 * no gloss.
 */
const APPOSITIVE = new RegExp(
  String.raw`(?<=(?:^|\s)\p{Lu}[\p{L}\p{N}'’-]*)(,\s+(?:a|an)\s[^,;()"“”]{2,60}?),${CONTINUES}`,
  'gu',
);
/**
 * A relative clause between commas, its closing comma followed by a verb that continues the sentence
 * ("Johnson, who was then majority leader, was seeking"): only a few verbs, so a comma inside the
 * clause ("the Iroquois, who displaced the Wyandot, the Huron …") does not end it.
 */
const INSERT = new RegExp(
  String.raw`(?<=[\p{L}\p{N})’'])(,\s+(?:which|who|whom|whose)\s[^,;()"“”]{3,140}?),${CONTINUES}`,
  'gu',
);

/** Whether brackets and quotation marks are all closed in a text (a cut must not end inside one). */
function balanced(text: string): boolean {
  const count = (re: RegExp) => (text.match(re) ?? []).length;
  return (
    count(/\(/g) === count(/\)/g) &&
    count(/\[/g) === count(/\]/g) &&
    count(/“/g) === count(/”/g) &&
    count(/"/g) % 2 === 0
  );
}

/** The sentence cut at the first trailing clause of a kind in `may` that can go, or as it was. */
function cutTrailing(text: string, may: ReadonlySet<QuoteCut>): string {
  let at = -1;
  for (const [kind, re] of Object.entries(TRAILING) as [QuoteCut, RegExp][]) {
    if (!may.has(kind)) continue;
    for (const m of text.matchAll(re)) {
      const head = text.slice(0, m.index);
      const tail = text.slice(m.index + 1);
      if (
        !balanced(head) ||
        !endsClause(tail.replace(/^\s*\S+/, ''), kind) ||
        quoteWords(head) < 6 ||
        quoteWords(tail) < 3
      )
        continue;
      if (at < 0 || m.index < at) at = m.index;
      break;
    }
  }
  return at < 0 ? text : `${text.slice(0, at)} …`;
}

/** Author-year citations where each author part is a name, not a month or season ("March 2014"). */
function isCitation(part: string): boolean {
  const m = CITATION_PART.exec(part);
  if (!m) return false;
  const names = [...part.matchAll(new RegExp(ONE_CITATION, 'gu'))].map((c) => c[1]!.split(/\s+/)[0]!);
  return names.length > 0 && !names.some((n) => MONTH.test(n));
}

/** What kind of thing one part of a bracket (split at ";") is. */
function partKind(part: string, square: boolean, before: string): QuoteCut | 'keep' {
  const c = part.trim();
  if (!c) return 'asides';
  if (square)
    return /^\d+(?:\s*[,–-]\s*\d+)*$/.test(c) && !/\b0\b/.test(c) && !BEFORE_INTERVAL.test(before)
      ? 'citations'
      : 'keep';
  if (isCitation(c)) return 'citations';
  if (POINTER_PART.test(c)) return 'pointers';
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
  if (may.has('settings')) out = out.replace(SETTING, '… ');
  if (may.has('framing')) out = out.replace(FRAMING, '… ');
  out = out.replace(
    /(^|\s+)(\(([^()]*)\)|\[([^[\]]*)\])(?![\p{L}\p{N}\-+])/gu,
    (whole, before: string, _b, round: string | undefined, square: string | undefined, at: number, all: string) => {
      const inside: string = round ?? square!;
      const parts = inside.split(';');
      const kinds = parts.map((p) => partKind(p, round === undefined, all.slice(0, at)));
      if (kinds.every((k) => k !== 'keep' && may.has(k))) return ' …';
      if (!kinds.some((k) => k !== 'keep' && may.has(k))) return whole;
      // The parts kept stay in their order, each cut between them shown where it was.
      const shown = parts
        .map((p, i) => (kinds[i] === 'keep' || !may.has(kinds[i] as QuoteCut) ? p.trim() : '…'))
        .join('; ')
        .replace(/;\s*…/g, ' …')
        .replace(/…;\s*/g, '… ');
      return round === undefined ? `${before}[${shown}]` : `${before}(${shown})`;
    },
  );
  if (may.has('inserts'))
    out = out.replace(INSERT, (whole, _clause, at: number, all: string) => (balanced(all.slice(0, at)) ? ' …' : whole));
  if (may.has('appositives'))
    out = out.replace(APPOSITIVE, (whole, _gloss, at: number, all: string) =>
      balanced(all.slice(0, at)) ? ' …' : whole,
    );
  out = cutTrailing(out, may);
  // A cut that ends the sentence takes its full stop with it: "reproducibility …", not "…." after a space.
  return out
    .replace(/…(?:\s*…)+/g, '…')
    .replace(/\s…\s*\.$/, ' …')
    .trim();
}

/**
 * Whether a quote (cuts shown as "…") is the source's text: its pieces, in order, with only cuts
 * between, each cut at a word's edge ("… significant" is not "insignificant", "4…%" not "40%").
 * It checks the text, not the meaning: what may be cut is compressQuote's to decide.
 */
export function quoteMatches(source: string, quote: string): boolean {
  const pieces = quote.split('…').map((p) => p.trim());
  if (!pieces.some(Boolean)) return false;
  const word = /[\p{L}\p{N}]/u;
  const pattern = pieces
    .map((p, i) => {
      const escaped = escapeRegExp(p);
      const open = i > 0 && word.test(p[0] ?? '') ? '(?<![\\p{L}\\p{N}])' : '';
      const close = i < pieces.length - 1 && word.test(p.at(-1) ?? '') ? '(?![\\p{L}\\p{N}])' : '';
      return open + escaped + close;
    })
    .join('[\\s\\S]*?');
  return new RegExp(`^${pattern}$`, 'u').test(source.trim());
}

/** Words of a quote as its budget counts them: the "…" of a cut is none. */
export function quoteWords(quote: string): number {
  return quote.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}
