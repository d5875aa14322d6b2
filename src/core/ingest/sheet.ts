import Papa from 'papaparse';
import { FolioError } from '../errors';
import { tablesFromGrid } from '../table/columns';
import type { TableData } from '../table/types';
import type { ParsedDocument } from '../types';
import { DocumentBuilder } from './builder';
import { all, attr, local, parseXml, relationships, unescapeXml, utf8, type XElement } from './xml';
import { readZip } from './zip';

/** Past this many rows in one sheet the rest is left out (and said so): the index would be the size of a database. */
const MAX_ROWS = 200_000;
const MAX_COLUMNS = 1_000;
/** Past this many rows a sheet's rows are written compactly, under a heading that names the columns. */
const LARGE_TABLE_ROWS = 1_000;

/**
 * One sheet → one unit per row, each row carrying its column names ("Row 12: City: Paris; Year:
 * 1889"), so a passage reads on its own wherever the chunker cuts. The first row with content
 * names the columns; the sheet's name is the heading; `page` is the sheet's number.
 */
function emitSheet(
  builder: DocumentBuilder,
  rows: { row: number; cells: string[] }[],
  sheet?: { name: string; page: number },
): void {
  const filled = rows.filter((r) => r.cells.some((c) => c.trim()));
  if (sheet && filled.length) builder.heading(sheet.name, 1, sheet.page);
  const [header, ...body] = filled;
  if (!header) return;
  const names = header.cells.map((c, i) => c.trim() || `Column ${columnName(i)}`);
  if (!body.length) {
    builder.block(`Row ${header.row}: ${header.cells.filter((c) => c.trim()).join('; ')}`, 'table-row', sheet?.page);
    return;
  }
  if (body.length > LARGE_TABLE_ROWS) {
    // A large table is computed over, not read row by row: its rows go in compactly under one
    // heading naming the columns, which every passage carries, so a passage is many rows and
    // embedding 10,000 rows takes minutes less (issue 24).
    builder.heading(`Columns: ${names.join(' | ')}`, sheet ? 2 : 1, sheet?.page);
    for (const r of body) {
      const cells = names.map((_, i) => r.cells[i]?.trim() ?? '');
      while (cells.length && !cells[cells.length - 1]) cells.pop();
      if (cells.length) builder.block(`Row ${r.row}: ${cells.join(' | ')}`, 'table-row', sheet?.page);
    }
    return;
  }
  for (const r of body) {
    const parts = r.cells.flatMap((c, i) =>
      c.trim() ? [`${names[i] ?? `Column ${columnName(i)}`}: ${c.trim()}`] : [],
    );
    if (parts.length) builder.block(`Row ${r.row}: ${parts.join('; ')}`, 'table-row', sheet?.page);
  }
}

function columnName(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** CSV or TSV (Papa Parse: quoted fields, embedded line breaks, a delimiter guessed for .csv). */
export function parseDelimited(text: string, type: 'csv' | 'tsv', fileName: string): ParsedDocument {
  const result = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), {
    delimiter: type === 'tsv' ? '\t' : '',
    skipEmptyLines: false,
    preview: MAX_ROWS,
  });
  if (!result.data.length) throw new FolioError('no-text', 'the file has no rows', fileName);
  const builder = new DocumentBuilder(type);
  const grid = result.data.map((cells, i) => ({ row: i + 1, cells: cells.slice(0, MAX_COLUMNS) }));
  emitSheet(builder, grid);
  const tables = tablesFromGrid(grid, {
    name: '',
    firstIndex: 0,
    ...(result.data.length >= MAX_ROWS ? { truncated: true } : {}),
  });
  return builder.build({ tables });
}

/** A sheet's tables, numbered after those of the sheets before it. */
function sheetTables(
  tables: TableData[],
  rows: { row: number; cells: string[] }[],
  sheet: { name: string; page: number },
): void {
  tables.push(
    ...tablesFromGrid(rows, {
      name: sheet.name,
      sheet: sheet.name,
      page: sheet.page,
      firstIndex: tables.length,
      ...(rows.length >= MAX_ROWS ? { truncated: true } : {}),
    }),
  );
}

// Excel's built-in date and time formats (ECMA-376 §18.8.30).
const DATE_FORMAT_IDS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47]);

/** XLSX: the workbook's sheets in order, shared strings and inline strings, dates as dates. */
export async function parseXlsx(bytes: Uint8Array, fileName: string): Promise<ParsedDocument> {
  const files = await readZip(
    bytes,
    fileName,
    'Excel workbook',
    (n) => (n.startsWith('xl/') && n.endsWith('.xml')) || n.endsWith('.rels'),
  );
  const workbook = utf8(files.get('xl/workbook.xml'));
  if (!workbook)
    throw new FolioError('corrupt-file', 'it is not a valid Excel workbook (xl/workbook.xml is missing)', fileName);
  const rels = relationships(utf8(files.get('xl/_rels/workbook.xml.rels')), 'xl/_rels/workbook.xml.rels');
  const shared = sharedStrings(utf8(files.get('xl/sharedStrings.xml')));
  const dateStyles = dateStyleIndexes(utf8(files.get('xl/styles.xml')));
  const date1904 = /<workbookPr\b[^>]*date1904\s*=\s*["'](1|true)["']/.test(workbook);
  const builder = new DocumentBuilder('xlsx');
  const tables: TableData[] = [];
  let page = 0;
  for (const m of workbook.matchAll(/<sheet\b([^>]*?)\/?>/g)) {
    page++;
    const name = attr(m[1]!, 'name') ?? `Sheet ${page}`;
    const target = rels.get(attr(m[1]!, 'r:id') ?? '')?.target;
    const xml = target ? utf8(files.get(target)) : '';
    if (!xml) continue;
    const rows = sheetRows(xml, shared, dateStyles, date1904);
    emitSheet(builder, rows, { name, page });
    sheetTables(tables, rows, { name, page });
  }
  return builder.build({ ...(page ? { pageCount: page } : {}), tables });
}

function sharedStrings(xml: string): string[] {
  const out: string[] = [];
  for (const si of xml.matchAll(/<si\b[^>]*>([\s\S]*?)<\/si>/g)) {
    // Phonetic guides (<rPh>) are not part of the text.
    const body = si[1]!.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '');
    out.push([...body.matchAll(/<t\b[^>]*>([\s\S]*?)<\/t>/g)].map((t) => unescapeXml(t[1]!)).join(''));
  }
  return out;
}

function dateStyleIndexes(xml: string): Set<number> {
  const custom = new Map<number, string>();
  for (const m of xml.matchAll(/<numFmt\b([^>]*?)\/?>/g))
    custom.set(Number(attr(m[1]!, 'numFmtId')), attr(m[1]!, 'formatCode') ?? '');
  const xfs = /<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(xml)?.[1] ?? '';
  const out = new Set<number>();
  [...xfs.matchAll(/<xf\b([^>]*?)\/?>/g)].forEach((m, i) => {
    const id = Number(attr(m[1]!, 'numFmtId') ?? 0);
    // A custom format is a date if it has day/month/year codes outside quoted text and colours.
    const code = (custom.get(id) ?? '').replace(/"[^"]*"|\[[^\]]*\]/g, '');
    if (DATE_FORMAT_IDS.has(id) || /[dy]/i.test(code)) out.add(i);
  });
  return out;
}

function sheetRows(
  xml: string,
  shared: string[],
  dateStyles: Set<number>,
  date1904: boolean,
): { row: number; cells: string[] }[] {
  const rows: { row: number; cells: string[] }[] = [];
  let nextRow = 1;
  for (const r of xml.matchAll(/<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g)) {
    if (rows.length >= MAX_ROWS) break;
    const row = Number(attr(r[1]!, 'r')) || nextRow;
    nextRow = row + 1;
    const cells: string[] = [];
    let nextCol = 0;
    for (const c of (r[2] ?? '').matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const ref = attr(c[1]!, 'r');
      const col = ref ? columnIndex(ref) : nextCol;
      nextCol = col + 1;
      if (col >= MAX_COLUMNS) continue;
      const value = cellValue(c[1]!, c[2] ?? '', shared, dateStyles, date1904);
      if (value) cells[col] = value;
    }
    rows.push({ row, cells: Array.from(cells, (v) => v ?? '') });
  }
  return rows;
}

function columnIndex(ref: string): number {
  let n = 0;
  for (const ch of ref.toUpperCase()) {
    if (ch < 'A' || ch > 'Z') break;
    n = n * 26 + (ch.charCodeAt(0) - 64);
  }
  return n - 1;
}

function cellValue(attrs: string, body: string, shared: string[], dateStyles: Set<number>, date1904: boolean): string {
  const type = attr(attrs, 't') ?? 'n';
  if (type === 'inlineStr')
    return [...body.matchAll(/<t\b[^>]*>([\s\S]*?)<\/t>/g)].map((t) => unescapeXml(t[1]!)).join('');
  const v = /<v\b[^>]*>([\s\S]*?)<\/v>/.exec(body)?.[1];
  if (v === undefined) return '';
  const raw = unescapeXml(v);
  if (type === 's') return shared[Number(raw)] ?? '';
  if (type === 'b') return raw === '1' ? 'TRUE' : 'FALSE';
  if (type === 'n' && dateStyles.has(Number(attr(attrs, 's') ?? -1))) return excelDate(Number(raw), date1904) ?? raw;
  return raw;
}

function excelDate(serial: number, date1904: boolean): string | undefined {
  if (!Number.isFinite(serial) || serial < 0 || serial > 2_958_465) return undefined;
  // Excel's 1900 system counts a 29 February 1900 that never was.
  const days = date1904 ? serial + 1462 : serial < 60 ? serial + 1 : serial;
  const ms = Date.UTC(1899, 11, 30) + Math.round(days * 86_400_000);
  const iso = new Date(ms).toISOString();
  return serial % 1 ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : iso.slice(0, 10);
}

/** Repeats past these are formatting (a style applied to a million empty rows), not data. */
const MAX_REPEAT = 1_000;

/** ODS: content.xml's tables, with repeated rows and columns expanded where they hold anything. */
export async function parseOds(bytes: Uint8Array, fileName: string): Promise<ParsedDocument> {
  const files = await readZip(
    bytes,
    fileName,
    'OpenDocument spreadsheet',
    (n) => n === 'content.xml' || n === 'META-INF/manifest.xml',
  );
  assertNotEncryptedOdf(files, fileName);
  const root = parseXml(utf8(files.get('content.xml')));
  if (!root)
    throw new FolioError(
      'corrupt-file',
      'it is not a valid OpenDocument spreadsheet (content.xml is missing)',
      fileName,
    );
  const builder = new DocumentBuilder('ods');
  const typed: TableData[] = [];
  const tables = all(root, 'table');
  tables.forEach((table, t) => {
    const rows: { row: number; cells: string[] }[] = [];
    let rowNumber = 0;
    for (const row of all(table, 'table-row')) {
      const cells: string[] = [];
      for (const cell of row.children as unknown as XElement[]) {
        if (local(cell) !== 'table-cell' && local(cell) !== 'covered-table-cell') continue;
        const value = odfCellText(cell);
        const repeat = Math.min(MAX_REPEAT, Number(cell.getAttribute('table:number-columns-repeated')) || 1);
        for (let i = 0; i < (value ? repeat : 1) && cells.length < MAX_COLUMNS; i++) cells.push(value);
        if (!value && repeat > 1) cells.length = Math.min(MAX_COLUMNS, cells.length + repeat - 1);
      }
      const repeat = Number(row.getAttribute('table:number-rows-repeated')) || 1;
      const hasText = cells.some((c) => c);
      for (let i = 0; i < (hasText ? Math.min(MAX_REPEAT, repeat) : 1); i++)
        rows.push({ row: ++rowNumber, cells: Array.from(cells, (c) => c ?? '') });
      if (!hasText) rowNumber += repeat - 1;
      if (rows.length >= MAX_ROWS) break;
    }
    const sheet = { name: table.getAttribute('table:name') || `Sheet ${t + 1}`, page: t + 1 };
    emitSheet(builder, rows, sheet);
    sheetTables(typed, rows, sheet);
  });
  return builder.build({ ...(tables.length ? { pageCount: tables.length } : {}), tables: typed });
}

function odfCellText(cell: XElement): string {
  const type = cell.getAttribute('office:value-type');
  const paragraphs = all(cell, 'p').map((p) => odfInline(p));
  if (paragraphs.some((p) => p.trim())) return paragraphs.join(' ').trim();
  if (type === 'date') return (cell.getAttribute('office:date-value') ?? '').replace('T00:00:00', '');
  return cell.getAttribute('office:value') ?? cell.getAttribute('office:boolean-value') ?? '';
}

/** The text of an ODF paragraph: spans, spaces (<text:s text:c="3"/>), tabs and line breaks. */
export function odfInline(el: XElement): string {
  let out = '';
  for (const node of el.childNodes as unknown as (XElement & { nodeType: number; textContent: string })[]) {
    if (node.nodeType === 3) out += node.textContent;
    else if (node.nodeType === 1) {
      const name = local(node);
      if (name === 's') out += ' '.repeat(Math.min(100, Number(node.getAttribute('text:c')) || 1));
      else if (name === 'tab' || name === 'line-break') out += ' ';
      else if (name === 'note' || name === 'annotation' || name === 'tracked-changes') continue;
      else out += odfInline(node);
    }
  }
  return out;
}

/** ODF encrypts each part on its own and says so in the manifest. */
export function assertNotEncryptedOdf(files: Map<string, Uint8Array>, fileName: string): void {
  const manifest = utf8(files.get('META-INF/manifest.xml'));
  if (/<manifest:encryption-data\b/.test(manifest)) {
    throw new FolioError(
      'encrypted-file',
      'it is password-protected; open it, save a copy without a password, and add that',
      fileName,
    );
  }
}
