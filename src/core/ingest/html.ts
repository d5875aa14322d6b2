import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { tablesFromGrid, type GridRow } from '../table/columns';
import type { TableData } from '../table/types';
import type { ParsedDocument } from '../types';
import { DocumentBuilder } from './builder';

/**
 * linkedom gives a DOM that works the same in Node, in a Web Worker and in a page, and that never
 * runs scripts or loads resources: the document is only ever data.
 */
type LDocument = ReturnType<typeof parseHTML>['document'];
type LElement = NonNullable<LDocument['body']>;
type LNode = LElement['childNodes'][number];

/** Never content, in any page. */
const DROP =
  'script, style, noscript, template, iframe, object, embed, svg, canvas, form, button, select, input, textarea';
/** Page furniture: navigation, site chrome, and Wikipedia/MediaWiki-style boilerplate. */
const BOILERPLATE = [
  'nav',
  'aside',
  '[role="navigation"]',
  '[role="banner"]',
  '[role="contentinfo"]',
  '[role="search"]',
  '[aria-hidden="true"]',
  '[hidden]',
  '.mw-editsection',
  '.mw-jump-link',
  'sup.reference',
  '.navbox',
  '.vector-header',
  '.vector-toc',
  '#toc',
  '.toc',
  '.printfooter',
  '.catlinks',
  '.mw-footer',
  '.noprint',
  '.sidebar',
  '.cookie-banner',
  '.hatnote',
  '.mw-indicators',
  '#contentSub',
  '#siteSub',
  '.mw-redirectedfrom',
  '.vector-dropdown',
  '.vector-menu',
  '.vector-page-toolbar',
  '.vector-body-before-content',
  '.mw-portlet',
].join(', ');

export function parseHtml(source: string): ParsedDocument {
  const { document } = parseHTML(source);
  const pageTitle = document.querySelector('title')?.textContent?.trim() || undefined;
  for (const el of document.querySelectorAll(`${DROP}, ${BOILERPLATE}`)) el.remove();
  // Long lists of nothing but links (language pickers, link farms, menus) are navigation.
  for (const list of document.querySelectorAll('ul, ol')) {
    const items = list.querySelectorAll('li').length;
    const text = (list.textContent ?? '').replace(/\s+/g, '').length;
    const linked = [...list.querySelectorAll('a')].reduce(
      (n, a) => n + (a.textContent ?? '').replace(/\s+/g, '').length,
      0,
    );
    if (items >= 8 && text > 0 && linked / text > 0.9) list.remove();
  }
  // A <header>/<footer> inside the main content holds its title; outside, it is site chrome.
  for (const el of document.querySelectorAll('header, footer'))
    if (!el.closest('main, article, [role="main"]')) el.remove();

  // A page that marks its main content (<main>, <article>, role=main) is taken at its word, which
  // keeps its heading levels intact. Otherwise Readability finds the article; it demotes <h1> to
  // <h2>, so its title stands in for the top heading.
  let root = document.querySelector('main, [role="main"], article') as LElement | null;
  let title = pageTitle;
  if (!root || !(root.textContent ?? '').trim()) {
    root = null;
    try {
      const article = new Readability(document.cloneNode(true) as unknown as Document, { charThreshold: 200 }).parse();
      if (article?.content) {
        root = parseHTML(`<!doctype html><html><body>${article.content}</body></html>`).document.body;
        title = article.title?.trim() || pageTitle;
      }
    } catch {
      root = null;
    }
  }
  root ??= document.body as LElement | null;

  const builder = new DocumentBuilder('html');
  const tables = root ? htmlToBlocks(root, builder, title) : [];
  return builder.build({ ...(title ? { title } : {}), tables });
}

const BLOCK_TAGS = new Set([
  'P',
  'DIV',
  'SECTION',
  'ARTICLE',
  'MAIN',
  'LI',
  'DD',
  'DT',
  'BLOCKQUOTE',
  'PRE',
  'TABLE',
  'TR',
  'UL',
  'OL',
  'DL',
  'FIGURE',
  'FIGCAPTION',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'BODY',
  'CAPTION',
  'THEAD',
  'TBODY',
  'TFOOT',
  'HR',
  'BR',
  'ADDRESS',
  'DETAILS',
  'SUMMARY',
]);

/**
 * Walks block elements in document order and emits headings, paragraphs, list items and table
 * rows. Shared by the HTML and DOCX (mammoth → HTML) readers. Returns the tables as typed columns.
 */
export function htmlToBlocks(root: LElement, builder: DocumentBuilder, title?: string): TableData[] {
  const tables: TableData[] = [];
  // Readability drops the page's <h1>; the title stands in for it so passages keep their heading path.
  const hasH1 = !!root.querySelector('h1');
  if (title && !hasH1) builder.heading(title, 1);

  let inline = '';
  const flush = (kind: 'paragraph' | 'list-item' | 'quote' = 'paragraph') => {
    if (inline.trim()) builder.block(inline, kind);
    inline = '';
  };

  const visit = (node: LNode, context: 'paragraph' | 'list-item' | 'quote'): void => {
    if (node.nodeType === 3) {
      inline += node.textContent ?? '';
      return;
    }
    if (node.nodeType !== 1) return;
    const el = node as LElement;
    const tag = el.tagName.toUpperCase();
    if (tag === 'IMG') {
      const alt = el.getAttribute('alt');
      if (alt) inline += ` ${alt} `;
      return;
    }
    if (!BLOCK_TAGS.has(tag)) {
      for (const child of el.childNodes) visit(child, context);
      return;
    }
    if (tag === 'BR') {
      inline += ' ';
      return;
    }
    flush(context);
    if (tag === 'TABLE') {
      const grid = tableGrid(el);
      tables.push(...tablesFromGrid(grid, { name: `table ${tables.length + 1}`, firstIndex: tables.length }));
    }
    if (/^H[1-6]$/.test(tag)) {
      builder.heading(el.textContent ?? '', Number(tag[1]));
    } else if (tag === 'PRE') {
      builder.block(el.textContent ?? '', 'code');
    } else if (tag === 'TR') {
      const cells = [...el.querySelectorAll('th, td')]
        .map((c) => (c.textContent ?? '').replace(/\s+/g, ' ').trim())
        .filter(Boolean);
      if (cells.length) builder.block(cells.join(' | '), 'table-row');
    } else {
      const childContext =
        tag === 'LI' || tag === 'DD' || tag === 'DT' ? 'list-item' : tag === 'BLOCKQUOTE' ? 'quote' : context;
      for (const child of el.childNodes) visit(child, childContext);
      flush(childContext);
    }
  };
  for (const child of root.childNodes) visit(child, 'paragraph');
  flush();
  return tables;
}

/**
 * A <table>'s own rows (not those of tables inside it) as a grid: a cell spanning columns fills
 * the first and leaves the others empty, as a merged cell does in a sheet; cells spanning rows
 * repeat below.
 */
function tableGrid(table: LElement): GridRow[] {
  const rows = [...table.querySelectorAll('tr')].filter((tr) => tr.closest('table') === table);
  const carried: { text: string; left: number }[] = [];
  return rows.map((tr, r) => {
    const cells: string[] = [];
    let col = 0;
    const fillCarried = () => {
      while (carried[col]?.left) {
        cells[col] = carried[col]!.text;
        carried[col]!.left--;
        col++;
      }
    };
    for (const cell of tr.querySelectorAll('th, td')) {
      if (cell.closest('tr') !== tr) continue;
      fillCarried();
      const text = (cell.textContent ?? '').replace(/\s+/g, ' ').trim();
      const span = Math.min(50, Math.max(1, Number(cell.getAttribute('colspan')) || 1));
      const down = Math.min(1000, Math.max(1, Number(cell.getAttribute('rowspan')) || 1));
      for (let i = 0; i < span; i++) {
        cells[col] = i === 0 ? text : '';
        if (down > 1) carried[col] = { text: i === 0 ? text : '', left: down - 1 };
        col++;
      }
    }
    fillCarried();
    return { row: r + 1, cells: Array.from(cells, (c) => c ?? '') };
  });
}

/** Parses an HTML fragment (e.g. mammoth's output) into blocks without any boilerplate removal. */
export function fragmentToBlocks(html: string, builder: DocumentBuilder): TableData[] {
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  return document.body ? htmlToBlocks(document.body, builder) : [];
}
