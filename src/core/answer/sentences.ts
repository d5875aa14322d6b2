/** Sentences with their offsets: what an answer is checked against and what a quote points at. */
export interface Span {
  text: string;
  /** Offsets into the text it came from; `text` is exactly `source.slice(start, end)`. */
  start: number;
  end: number;
}

let segmenter: Intl.Segmenter | undefined;

// Intl.Segmenter ends a sentence after any full stop followed by a capital, so "St. Louis",
// "Dr. Smith" and "J. S. Bach" would be cut in two.
const ABBREVIATION =
  /(?:^|[\s(])(?:[A-Z]|Mr|Mrs|Ms|Dr|Prof|St|Sr|Jr|Mt|Ft|Gen|Col|Capt|Lt|Sgt|Rev|Gov|Sen|Rep|Inc|Ltd|Co|Corp|No|Nos|Vol|Fig|Figs|Eq|Ref|Sec|Ch|vs|cf|approx|ca|al|e\.g|i\.e|U\.S|U\.K|a\.m|p\.m|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.\s*$/;

// Words written with a number after their full stop ("Fig.2", "Sec.3", "pp.12", "Art.5").
const NUMBERED =
  /(?:^|[^\p{L}])(?:fig|figs|sec|secs|eq|eqs|ref|refs|ch|chap|vol|no|nos|pp|art|abs|tab|app|para|cf|approx)\.\d{1,2}$/iu;

// The rest of a run of bracketed citation marks whose first "[" the segmenter left behind: "13][14][15]",
// with a page after it ("23]: 105").
const MARKS_REST = /^[^[\]\n]{1,12}\](?:\[[^[\]\n]{1,12}\])*(?::\s?\d+(?:[–-]\d+)?)?/;

/**
 * Splits text into sentences: Intl.Segmenter's sentences, rejoined after abbreviations and
 * initials, and cut at line breaks (a heading or a list item is a sentence of its own). Empty
 * pieces are dropped; offsets exclude surrounding white space.
 */
export function splitSentences(text: string): Span[] {
  segmenter ??= new Intl.Segmenter('en', { granularity: 'sentence' });
  const pieces: { start: number; end: number }[] = [];
  for (const s of segmenter.segment(text)) {
    let start = s.index;
    const end = s.index + s.segment.length;
    const last = pieces.at(-1);
    // Citation marks after a full stop ("… data infrastructure.[13][14][15] IBM employees …") are
    // cut after their first "[": the marks end the sentence before, they do not open the next.
    const marks = last && text[last.end - 1] === '[' ? MARKS_REST.exec(text.slice(start, end)) : null;
    if (last && marks) {
      last.end = start + marks[0].length;
      start = last.end;
      if (!text.slice(start, end).trim()) {
        last.end = end;
        continue;
      }
    }
    if (
      last &&
      ABBREVIATION.test(text.slice(Math.max(last.start, last.end - 12), last.end)) &&
      !/\n\s*$/.test(text.slice(last.start, last.end))
    )
      last.end = end;
    else pieces.push({ start, end });
  }
  const out: Span[] = [];
  for (const p of pieces) {
    // Line breaks inside a segment (headings, list items, table rows) end a sentence too, and so
    // do bullets that PDF text extraction leaves inside a line ("… storage. • Wang Laboratories: …")
    // and a footnote mark set after a full stop, which the segmenter reads as a decimal
    // ("… of these datasets.2 All of these papers …").
    const cuts = [p.start];
    for (const m of text
      .slice(p.start, p.end)
      .matchAll(/\n|(?<=\s)[•▪◦●](?=\s)|(?<=\p{Ll}{2}[.!?]\d{1,2})\s+(?=\p{Lu})/gu)) {
      const at = p.start + m.index;
      // "Fig.2 Shows", "Sec.3 The", "vol.12 No.3": a number after an abbreviation is no footnote mark.
      if (/^\s/.test(m[0]) && NUMBERED.test(text.slice(Math.max(p.start, at - 16), at))) continue;
      cuts.push(at + (m[0] === '\n' ? 1 : 0));
    }
    cuts.push(p.end);
    for (let i = 0; i + 1 < cuts.length; i++) {
      const piece = text.slice(cuts[i], cuts[i + 1]);
      const body = piece.trim();
      if (!body || !/[\p{L}\p{N}]/u.test(body)) continue;
      const from = cuts[i]! + piece.indexOf(body);
      out.push({ text: body, start: from, end: from + body.length });
    }
  }
  return out;
}
