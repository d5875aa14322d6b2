/**
 * A PDF page's text lines → the document's structure. Decided by geometry and by what repeats
 * across pages, never by a list of known strings:
 * - page furniture is dropped: lines at the top or bottom of a page that recur on other pages with
 *   only their digits changed (running headers and footers, "Page 3 of 9") and lone page numbers
 *   there; rotated text (the arXiv stamp) and columns of bare line numbers in the margins never
 *   become lines (`marginNumbers`, pdf.ts);
 * - the title is the first page's largest text; the lines between it and the abstract or first
 *   section (authors, affiliations) are text, not headings;
 * - headings are lines set larger than the body text, or whole lines in another font than the body
 *   that open with a section number ("3", "3.1", "A.2"); the number's depth is the heading's
 *   level, so a passage's heading path is its section path;
 * - footnotes (small text low on a page that opens with a mark) and a caption set between the two
 *   halves of a sentence wait until that paragraph ends, then follow it as paragraphs of their
 *   own, so a sentence running on into the next column or page stays whole.
 */
import type { DocumentBuilder } from './builder';

export interface Line {
  text: string;
  size: number;
  /** Baseline, in PDF units from the page's bottom. */
  y: number;
  /** Left and right edges of the line. */
  x: number;
  right: number;
  page: number;
  /** The font most of its characters are set in (pdf.js's font id). */
  font: string;
  /** The page's height, for telling a page's top and bottom from its middle. */
  pageHeight: number;
}

/** Lines this close to a page's top or bottom (share of its height) may be running headers/footers. */
const EDGE = 0.12;
/** How many lines at each end of a page are looked at as running headers or footers. */
const EDGE_LINES = 3;
/** A lone page number: "7", "- 7 -", "7 / 12", "xiv". */
const PAGE_NUMBER =
  /^(?:[-–\s]*\d{1,4}(?:\s*(?:\/|of)\s*\d{1,4})?[-–\s]*|(?=[ivxlc]+$)c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3}))$/i;
const NUMBERED = /^((?:\d{1,2}|[A-Z])(?:\.\d{1,2})*)\.?\s+([\p{L}[“"'].*)$/u;

/** The page's text in reading order without its furniture (see the module comment). */
export function dropFurniture(pages: Line[][]): Line[][] {
  // Same words (digits aside) at the same height: body text does not repeat like that.
  const key = (l: Line) =>
    `${Math.round(l.y / 4)}|${l.text.toLowerCase().replace(/\d+/g, '#').replace(/\s+/g, ' ').trim()}`;
  const edges = pages.map((lines) => edgeLines(lines));
  const seen = new Map<string, Set<number>>();
  for (const [i, edge] of edges.entries())
    for (const l of edge) {
      const k = key(l);
      if (!seen.has(k)) seen.set(k, new Set());
      seen.get(k)!.add(i);
    }
  return pages.map((lines, i) => {
    const edge = edges[i]!;
    return lines.filter((l) => {
      if (!edge.has(l)) return true;
      if (PAGE_NUMBER.test(l.text.trim())) return false;
      return (seen.get(key(l))?.size ?? 0) < 2;
    });
  });
}

/** The first and last few lines of a page, if they lie near its top or bottom edge. */
function edgeLines(lines: Line[]): Set<Line> {
  const byY = [...lines].filter((l) => l.text.trim()).sort((a, b) => b.y - a.y);
  const out = new Set<Line>();
  for (const l of [...byY.slice(0, EDGE_LINES), ...byY.slice(-EDGE_LINES)])
    if (l.y > l.pageHeight * (1 - EDGE) || l.y < l.pageHeight * EDGE) out.add(l);
  // A page whose every line sits near an edge has no body to tell furniture from: it is all text
  // (a short page of a ledger, a slide), and repetition across pages must not empty it.
  return out.size === byY.length ? new Set() : out;
}

/** Size and font of most of the text: the body text's. */
export function bodyStyle(lines: Line[]): { size: number; font: string } {
  const sizes = new Map<number, number>();
  const fonts = new Map<string, number>();
  for (const l of lines) {
    const s = Math.round(l.size * 2) / 2;
    sizes.set(s, (sizes.get(s) ?? 0) + l.text.length);
    fonts.set(l.font, (fonts.get(l.font) ?? 0) + l.text.length);
  }
  const top = <K>(m: Map<K, number>, fallback: K): K => [...m].sort((a, b) => b[1] - a[1])[0]?.[0] ?? fallback;
  return { size: top(sizes, 0), font: top(fonts, '') };
}

type Role =
  | { kind: 'heading'; level: number; numbered: boolean }
  /** `front`: between the title and the first section (authors, affiliations, an unheaded abstract). */
  | { kind: 'text'; front?: boolean }
  | { kind: 'footnote' };

/** An abstract without a heading is the front matter's longest paragraph, if it is at least this long. */
const MIN_ABSTRACT_CHARS = 400;

/** Lines (already free of furniture) into headings and paragraphs. */
export function emitLines(lines: Line[], builder: DocumentBuilder, body: { size: number; font: string }): void {
  const roles = classify(lines, body);
  const abstract = unheadedAbstract(lines, roles);
  let para: Line[] = [];
  const notes: Line[][] = [];
  let aside: Line[] | null = null;
  // Footnotes wait for the paragraph they interrupt to end, then follow it.
  const flush = () => {
    if (abstract && para[0] === abstract) builder.heading('Abstract', 2, abstract.page);
    if (para.length) builder.block(joinLines(para.map((l) => l.text)), 'paragraph', para[0]!.page);
    para = [];
    for (const note of notes.splice(0)) builder.block(joinLines(note.map((l) => l.text)), 'paragraph', note[0]!.page);
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const role = roles[i]!;
    if (!line.text.trim()) continue;
    if (role.kind === 'footnote') {
      if (roles[i - 1]?.kind === 'footnote' && !startsNote(line.text)) notes[notes.length - 1]!.push(line);
      else notes.push([{ ...line, text: apartFromMark(line.text) }]);
      continue;
    }
    if (role.kind === 'heading') {
      if (aside) notes.push(aside);
      aside = null;
      flush();
      let text = line.text.trim();
      // A heading set over two lines (same size and font, close together) is one heading.
      while (
        i + 1 < lines.length &&
        roles[i + 1]!.kind !== 'footnote' &&
        continuesHeading(lines[i]!, lines[i + 1]!, role.level === 1)
      )
        text += ` ${lines[++i]!.text.trim()}`;
      builder.heading(text, role.level, line.page);
      continue;
    }
    // A caption set between the two halves of a sentence (a figure at the top of the next column)
    // waits, like a footnote, for the sentence's paragraph to end.
    if (aside) {
      const last = aside[aside.length - 1]!;
      if (last.page === line.page && last.y > line.y && last.y - line.y <= Math.max(last.size, line.size) * 1.6) {
        aside.push(line);
        continue;
      }
      notes.push(aside);
      aside = null;
    }
    const open = para[para.length - 1];
    if (open && CAPTION.test(line.text) && !endsSentence(open.text)) {
      aside = [line];
      continue;
    }
    const prev = para[para.length - 1];
    if (line === abstract) flush();
    if (prev) {
      const newPage = prev.page !== line.page;
      const newColumn = !newPage && line.y > prev.y + prev.size * 0.5;
      const gap = !newPage && !newColumn && prev.y - line.y > Math.max(prev.size, line.size) * 1.6;
      // A first line indented after a sentence's end opens a paragraph set without a gap.
      const indent = !newPage && !newColumn && line.x > prev.x + line.size * 0.7 && endsSentence(prev.text);
      // A sentence running on over a page or column break stays one paragraph.
      if (gap || indent || ((newPage || newColumn) && endsSentence(prev.text))) flush();
    }
    para.push(line);
  }
  if (aside) notes.push(aside);
  flush();
}

const CAPTION = /^\s*(Figure|Fig\.|Table)\s*\d+[.:]/;
const endsSentence = (text: string) => /[.!?:"”)\]]\s*$/.test(text);
const startsNote = (text: string) => /^\s*(\d{1,2}|[*∗†‡§¶♦♣♠♥])/.test(text);

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';
/**
 * A footnote's mark is set apart from its first word, as a superscript: pdf.js runs the raised mark
 * into the word ("7pronounced “stork”", "2PDFs store text …"), which then matches no search for
 * "pronounced" or "PDFs", and a quoted note would read as a count ("2 PDFs"). "3D", "2nd" are words.
 */
export function apartFromMark(text: string): string {
  return text.replace(
    /^(\s*)(\d{1,2})(?!(?:st|nd|rd|th)\b)(?=\p{L}{2})/u,
    (_, space: string, mark: string) => `${space}${[...mark].map((d) => SUPERSCRIPT[Number(d)]).join('')} `,
  );
}

/**
 * The first line of a paper's abstract when it has no heading: the longest paragraph of the front
 * matter (the lines between the title and the first section), if it is long enough to be one.
 */
function unheadedAbstract(lines: Line[], roles: Role[]): Line | undefined {
  if (roles.some((r, i) => r.kind === 'heading' && /^abstract\b/i.test(lines[i]!.text.trim()))) return undefined;
  let best: { first: Line; chars: number } | undefined;
  let current: { first: Line; chars: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const r = roles[i]!;
    if (r.kind === 'heading' && r.level > 1) break;
    if (r.kind !== 'text' || !r.front) continue;
    const l = lines[i]!;
    const prev = lines[i - 1];
    const starts = !current || !prev || prev.page !== l.page || prev.y - l.y > Math.max(prev.size, l.size) * 1.6;
    if (starts) current = { first: l, chars: 0 };
    current!.chars += l.text.length;
    if (current!.chars >= MIN_ABSTRACT_CHARS && (!best || current!.chars > best.chars)) best = current;
  }
  return best?.first;
}

/** Whether `next` is the next line of the heading that ends at `line` (a title runs on for any number of lines). */
function continuesHeading(line: Line, next: Line, title: boolean): boolean {
  if (line.page !== next.page || line.y <= next.y) return false;
  // A title's lines are all set large (not always in one font) and may be set loosely.
  if (title) return Math.abs(line.size - next.size) <= 0.3 && line.y - next.y <= line.size * 2;
  if (!sameStyle(line, next) || line.y - next.y > line.size * 1.6) return false;
  const t = next.text.trim();
  return !NUMBERED.test(t) && !/[.,;:]$/.test(t) && t.length <= 60;
}

const sameStyle = (a: Line, b: Line) => a.page === b.page && Math.abs(a.size - b.size) <= 0.3 && a.font === b.font;

/**
 * Lines in runs of three or more set alike, one under the other: a paragraph, however large its
 * type (a heading is one or two lines).
 */
function paragraphRuns(lines: Line[]): Set<number> {
  const out = new Set<number>();
  let start = 0;
  for (let i = 1; i <= lines.length; i++) {
    const a = lines[i - 1]!;
    const b = lines[i];
    if (b && sameStyle(a, b) && a.y > b.y && a.y - b.y <= a.size * 1.6) continue;
    if (i - start >= 3) for (let j = start; j < i; j++) out.add(j);
    start = i;
  }
  return out;
}

/** Each line's role: heading (with its level), footnote, or text. */
function classify(lines: Line[], body: { size: number; font: string }): Role[] {
  const roles: Role[] = lines.map(() => ({ kind: 'text' }));
  const first = lines.filter((l) => l.page === lines[0]?.page);
  const titleSize = Math.max(0, ...first.map((l) => l.size));
  const hasTitle = titleSize >= body.size * 1.2;
  const numberedSizes: number[] = [];
  const runs = paragraphRuns(lines);
  let frontMatter = hasTitle;
  let titleDone = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const t = l.text.trim();
    if (!t) continue;
    if (hasTitle && !titleDone && l.page === lines[0]!.page && Math.abs(l.size - titleSize) < 0.3 && /\p{L}/u.test(t)) {
      roles[i] = { kind: 'heading', level: 1, numbered: false };
      titleDone = true;
      continue;
    }
    const numbered = NUMBERED.exec(t);
    const heading = !runs.has(i) && headingLine(l, t, body, !!numbered);
    if (frontMatter) {
      // Authors and affiliations sit between the title and the abstract or the first section.
      if (heading && (numbered || /^abstract\b/i.test(t))) frontMatter = false;
      else if (l.page !== lines[0]!.page) frontMatter = false;
      else {
        roles[i] = { kind: 'text', front: true };
        continue;
      }
    }
    if (heading) {
      if (numbered) numberedSizes.push(l.size);
      roles[i] = { kind: 'heading', level: 0, numbered: !!numbered };
    } else if (isFootnote(l, lines[i - 1], roles[i - 1]?.kind === 'footnote', body)) roles[i] = { kind: 'footnote' };
  }
  // Levels: a numbered heading's depth ("3" 2, "3.1" 3; the title is 1); an unnumbered one as
  // large as the top sections is a section ("References"), a smaller one sits under the section.
  const sectionSize = numberedSizes.length ? Math.max(...numberedSizes) : Math.max(0, ...lines.map((l) => l.size));
  let depth = 1;
  for (let i = 0; i < lines.length; i++) {
    const r = roles[i]!;
    if (r.kind !== 'heading' || r.level === 1) continue;
    const l = lines[i]!;
    const m = NUMBERED.exec(l.text.trim());
    if (r.numbered && m) r.level = Math.min(6, m[1]!.split('.').length + 1);
    else r.level = l.size >= sectionSize - 0.3 ? 2 : Math.min(6, depth + 1);
    depth = r.level;
  }
  return roles;
}

function headingLine(l: Line, t: string, body: { size: number; font: string }, numbered: boolean): boolean {
  if (t.length >= 120 || /[.,;:\-–]$/.test(t) || /[=<>]/.test(t)) return false;
  // Mostly letters (after its number): an equation's parts set in larger type are not headings.
  const words = t.replace(NUMBERED, '$2').replace(/\s/g, '');
  const letters = words.replace(/[^\p{L}]/gu, '').length;
  if (letters < 3 || letters < words.length * 0.6) return false;
  // "6.1.6 Usage in the Wild. Finally, we …": a run-in heading's paragraph, not a heading line.
  if (numbered && /\p{L}{2}\.\s+\p{Lu}/u.test(t)) return false;
  // An unnumbered heading is a few words that open with a capital; longer is a sentence set large.
  // A question or two sentences set large is text too (a form's questions, a note).
  if (!numbered && (t.length > 80 || t.split(/\s+/).length > 10 || /^\p{Ll}/u.test(t))) return false;
  if (!numbered && (/\?$/.test(t) || /\.\s+\p{Lu}/u.test(t))) return false;
  if (l.size >= body.size * 1.08) return true;
  if (l.font === body.font || l.size < body.size * 0.95) return false;
  // A whole line in another font (bold) that opens with a section number, or is set in capitals.
  if (numbered) return t.split(/\s+/).length <= 14;
  return /^[\p{Lu}\d\s&:,'’-]{4,}$/u.test(t) && /\p{Lu}{3}/u.test(t) && t.split(/\s+/).length <= 8;
}

/**
 * Small text in the lower part of a page that opens with a note mark, and the small lines that
 * follow it there.
 */
function isFootnote(l: Line, prev: Line | undefined, prevIsNote: boolean, body: { size: number }): boolean {
  if (l.size > body.size * 0.92 || l.y > l.pageHeight * 0.3) return false;
  if (prevIsNote && prev && prev.page === l.page && prev.y > l.y) return true;
  return startsNote(l.text);
}

/** Joins wrapped lines, mending words hyphenated across a line break. */
export function joinLines(texts: string[]): string {
  let out = '';
  for (const t of texts) {
    if (out.endsWith('-') && /^\p{Ll}/u.test(t) && /\p{L}-$/u.test(out)) out = out.slice(0, -1) + t.trimStart();
    else out += (out ? ' ' : '') + t;
  }
  return out;
}

interface Run {
  str: string;
  x: number;
  width: number;
}

/**
 * A review copy's line numbers: bare numbers, at least ten on the page, each wholly left or right of
 * all the text with letters in it. Found among a page's text runs, since each shares its baseline
 * with the line it numbers.
 */
export function marginNumbers<T extends Run>(runs: T[]): Set<T> {
  const numbers = runs.filter((r) => /^\s*\d{1,4}\s*$/.test(r.str));
  if (numbers.length < 10) return new Set();
  const text = runs.filter((r) => /\p{L}/u.test(r.str));
  if (!text.length) return new Set();
  const left = Math.min(...text.map((r) => r.x));
  const right = Math.max(...text.map((r) => r.x + r.width));
  return new Set(numbers.filter((n) => n.x + n.width <= left + 1 || n.x >= right - 1));
}
