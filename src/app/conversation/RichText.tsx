import type { ReactNode } from 'react';
import './conversation.css';

/** A character range to mark, with an optional id (the one the source panel scrolls to). */
export interface Range {
  start: number;
  end: number;
  id?: string;
}

/** Table rows come out of the parsers as cells joined by " | ", one row per block. */
const isRow = (block: string) => block.includes(' | ') || /^\S.*\|\s*$/.test(block);

type Cell = { start: number; text: string };
type Block =
  | { kind: 'text'; start: number; text: string }
  | { kind: 'table'; rows: { start: number; cells: Cell[] }[]; header?: string[] };

/**
 * A spreadsheet or CSV row as the parsers write it, "Row 3: Name: Bram; Instrument: oboe": its
 * number and its cells under their column names, or null for any other paragraph. A value that
 * holds "; " itself stays whole (a piece without "Name: " belongs to the value before it).
 */
function sheetRow(text: string, start: number): { row: string; keys: string[]; cells: Cell[] } | null {
  const m = /^Row (\d+): /.exec(text);
  // A passage window may run two rows into one line: not one row then.
  if (!m || text.includes('\n') || /\sRow \d+: /.test(text)) return null;
  const keys: string[] = [];
  const cells: Cell[] = [];
  let at = m[0].length;
  for (const piece of text.slice(at).split('; ')) {
    const named = /^([^:;|]{1,60}): /.exec(piece);
    if (named) {
      keys.push(named[1]!);
      cells.push({ start: start + at + named[0].length, text: piece.slice(named[0].length) });
    } else if (cells.length) cells.at(-1)!.text += `; ${piece}`;
    else return null;
    at += piece.length + 2;
  }
  return keys.length > 1 ? { row: m[1]!, keys, cells } : null;
}

/** Blocks (separated by blank lines) with their offsets; runs of table rows become one table. */
export function blocksOf(text: string): Block[] {
  const out: Block[] = [];
  const re = /\n\s*\n/g;
  let at = 0;
  const pieces: { start: number; text: string }[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) {
    pieces.push({ start: at, text: text.slice(at, m.index) });
    at = m.index + m[0].length;
  }
  pieces.push({ start: at, text: text.slice(at) });
  for (const p of pieces) {
    if (!p.text.trim()) continue;
    // Rows of a sheet or CSV: a table with the column names as its header, one row per paragraph.
    const sheet = sheetRow(p.text, p.start);
    if (sheet) {
      const last = out.at(-1);
      const row = { start: p.start, cells: [{ start: p.start + 4, text: sheet.row }, ...sheet.cells] };
      if (last?.kind === 'table' && last.header?.join('\n') === ['Row', ...sheet.keys].join('\n')) last.rows.push(row);
      else out.push({ kind: 'table', header: ['Row', ...sheet.keys], rows: [row] });
      continue;
    }
    // A block may hold several rows on separate lines (a table inside one passage).
    const lines = p.text.split('\n');
    if (lines.every((l) => !l.trim() || isRow(l))) {
      const rows: Extract<Block, { kind: 'table' }>['rows'] = [];
      let lineStart = p.start;
      for (const line of lines) {
        if (line.trim()) {
          const cells: { start: number; text: string }[] = [];
          let cellStart = lineStart;
          for (const cell of line.split('|')) {
            const lead = cell.length - cell.trimStart().length;
            if (cell.trim()) cells.push({ start: cellStart + lead, text: cell.trim() });
            cellStart += cell.length + 1;
          }
          rows.push({ start: lineStart, cells });
        }
        lineStart += line.length + 1;
      }
      const last = out.at(-1);
      if (last?.kind === 'table') last.rows.push(...rows);
      else out.push({ kind: 'table', rows });
    } else out.push({ kind: 'text', start: p.start, text: p.text });
  }
  return out;
}

/** `text` (which starts at `offset` in the whole) with the parts inside `ranges` marked. */
function marked(text: string, offset: number, ranges: Range[], key: string): ReactNode[] {
  const end = offset + text.length;
  const hits = ranges.filter((r) => r.start < end && r.end > offset).sort((a, b) => a.start - b.start);
  if (!hits.length) return [text];
  const out: ReactNode[] = [];
  let at = offset;
  for (const r of hits) {
    const s = Math.max(r.start, at);
    const e = Math.min(r.end, end);
    if (s > at) out.push(text.slice(at - offset, s - offset));
    if (e > s)
      out.push(
        <mark
          key={`${key}-${s}`}
          {...(r.id && r.start >= offset ? { id: r.id } : {})}
          data-range={r.id ? '' : undefined}
        >
          {text.slice(s - offset, e - offset)}
        </mark>,
      );
    at = Math.max(at, e);
  }
  if (at < end) out.push(text.slice(at - offset));
  return out;
}

/**
 * Document text as paragraphs, with table rows shown as a table (not "$ | 19,984,378 |"), and
 * the given ranges marked. Offsets are into `text`, plus `offset` (its place in the document).
 */
export function RichText({
  text,
  ranges = [],
  offset = 0,
  className,
}: {
  text: string;
  ranges?: Range[];
  offset?: number;
  className?: string;
}) {
  return (
    <div className={className ? `rich-text ${className}` : 'rich-text'}>
      {/* Keys are offsets into the text: unique, and the same for the same text on every render. */}
      {blocksOf(text).map((b) =>
        b.kind === 'text' ? (
          <p key={b.start}>{marked(b.text, offset + b.start, ranges, `p${b.start}`)}</p>
        ) : (
          <div key={b.rows[0]?.start ?? 0} className="table-wrap">
            <table>
              {b.header && (
                <thead>
                  <tr>
                    {b.header.map((h) => (
                      <th key={h} scope="col">
                        {h}
                      </th>
                    ))}
                  </tr>
                </thead>
              )}
              <tbody>
                {b.rows.map((r) => (
                  <tr key={r.start}>
                    {r.cells.map((c) => (
                      <td key={c.start} className={/^[-+$€£(]?[\d.,]+%?\)?$/.test(c.text) ? 'num' : undefined}>
                        {marked(c.text, offset + c.start, ranges, `c${c.start}`)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ),
      )}
    </div>
  );
}
