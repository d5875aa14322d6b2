import { FolioError } from '../errors';
import type { ParsedDocument } from '../types';
import { DocumentBuilder } from './builder';
import { assertNotEncryptedOdf, odfInline } from './sheet';
import { all, attr, local, parseXml, relationships, utf8, type XElement } from './xml';
import { readZip } from './zip';

/**
 * PPTX: slides in presentation order, each a page: its title placeholder is the heading, the
 * other shapes' paragraphs (and table rows) are blocks, and the speaker notes follow under a
 * "Speaker notes" heading on the same page.
 */
export async function parsePptx(bytes: Uint8Array, fileName: string): Promise<ParsedDocument> {
  const files = await readZip(
    bytes,
    fileName,
    'PowerPoint presentation',
    (n) => n.startsWith('ppt/') && (n.endsWith('.xml') || n.endsWith('.rels')),
  );
  const presentation = utf8(files.get('ppt/presentation.xml'));
  if (!presentation)
    throw new FolioError(
      'corrupt-file',
      'it is not a valid PowerPoint presentation (ppt/presentation.xml is missing)',
      fileName,
    );
  const rels = relationships(utf8(files.get('ppt/_rels/presentation.xml.rels')), 'ppt/_rels/presentation.xml.rels');
  const slidePaths = [...presentation.matchAll(/<p:sldId\b([^>]*?)\/?>/g)].flatMap((m) => {
    const target = rels.get(attr(m[1]!, 'r:id') ?? '')?.target;
    return target && files.has(target) ? [target] : [];
  });
  const builder = new DocumentBuilder('pptx');
  slidePaths.forEach((path, i) => {
    const page = i + 1;
    const slide = parseXml(utf8(files.get(path)));
    if (!slide) return;
    const shapes = slideShapes(slide);
    const title = shapes.find((s) => s.placeholder === 'title' || s.placeholder === 'ctrTitle');
    builder.heading(title?.paragraphs.join(' ') || `Slide ${page}`, 1, page);
    for (const shape of shapes) {
      if (
        shape === title ||
        shape.placeholder === 'sldNum' ||
        shape.placeholder === 'dt' ||
        shape.placeholder === 'ftr'
      )
        continue;
      for (const p of shape.paragraphs) builder.block(p, shape.table ? 'table-row' : 'paragraph', page);
    }
    const slideRels = relationships(
      utf8(files.get(path.replace(/([^/]+)$/, '_rels/$1.rels'))),
      path.replace(/([^/]+)$/, '_rels/$1.rels'),
    );
    const notesPath = [...slideRels.values()].find((r) => r.type.endsWith('/notesSlide'))?.target;
    const notes = notesPath ? parseXml(utf8(files.get(notesPath))) : null;
    if (notes) {
      const body = slideShapes(notes)
        .filter((s) => s.placeholder === 'body')
        .flatMap((s) => s.paragraphs);
      if (body.length) {
        builder.heading('Speaker notes', 2, page);
        for (const p of body) builder.block(p, 'paragraph', page);
      }
    }
  });
  return builder.build({ pageCount: slidePaths.length });
}

interface Shape {
  placeholder: string | undefined;
  paragraphs: string[];
  table: boolean;
}

/** Text shapes (p:sp) and tables (a:tbl) of a slide, in drawing order. */
function slideShapes(root: XElement): Shape[] {
  const shapes: Shape[] = [];
  const walk = (el: XElement) => {
    for (const child of el.children as unknown as XElement[]) {
      const name = local(child);
      if (name === 'sp') {
        const ph = all(child, 'ph')[0];
        const placeholder = ph ? (ph.getAttribute('type') ?? 'body') : undefined;
        const paragraphs = all(child, 'p')
          .filter((p) => (child.tagName.startsWith('p:') ? p.tagName.startsWith('a:') : true))
          .map(drawingText)
          .filter((t) => t.trim());
        shapes.push({ placeholder, paragraphs, table: false });
      } else if (name === 'tbl') {
        const rows = all(child, 'tr').map((tr) =>
          all(tr, 'tc')
            .map((tc) => all(tc, 'p').map(drawingText).join(' ').trim())
            .filter(Boolean)
            .join(' | '),
        );
        shapes.push({ placeholder: undefined, paragraphs: rows.filter(Boolean), table: true });
      } else {
        walk(child);
      }
    }
  };
  walk(root);
  return shapes;
}

/** A DrawingML paragraph's text: runs (a:t), fields and line breaks. */
function drawingText(p: XElement): string {
  let out = '';
  const walk = (el: XElement) => {
    for (const child of el.children as unknown as XElement[]) {
      const name = local(child);
      if (name === 't') out += child.textContent ?? '';
      else if (name === 'br') out += ' ';
      else if (name !== 'rPr' && name !== 'pPr') walk(child);
    }
  };
  walk(p);
  return out;
}

/** ODT: headings (text:h, with their outline level), paragraphs, list items and table rows, in order. */
export async function parseOdt(bytes: Uint8Array, fileName: string): Promise<ParsedDocument> {
  const files = await readZip(
    bytes,
    fileName,
    'OpenDocument text',
    (n) => n === 'content.xml' || n === 'meta.xml' || n === 'META-INF/manifest.xml',
  );
  assertNotEncryptedOdf(files, fileName);
  const root = parseXml(utf8(files.get('content.xml')));
  const body = root ? all(root, 'text')[0] : undefined;
  if (!root || !body)
    throw new FolioError(
      'corrupt-file',
      'it is not a valid OpenDocument text (content.xml has no text body)',
      fileName,
    );
  const builder = new DocumentBuilder('odt');
  const visit = (el: XElement, listItem: boolean) => {
    for (const child of el.children as unknown as XElement[]) {
      const name = local(child);
      if (name === 'h')
        builder.heading(
          odfInline(child),
          Math.min(6, Math.max(1, Number(child.getAttribute('text:outline-level')) || 1)),
        );
      else if (name === 'p') builder.block(odfInline(child), listItem ? 'list-item' : 'paragraph');
      else if (name === 'list-item') visit(child, true);
      else if (name === 'table-row') {
        const cells = (child.children as unknown as XElement[])
          .filter((c) => local(c) === 'table-cell')
          .map((c) => all(c, 'p').map(odfInline).join(' ').trim())
          .filter(Boolean);
        if (cells.length) builder.block(cells.join(' | '), 'table-row');
      } else if (name !== 'tracked-changes' && name !== 'sequence-decls' && name !== 'note') visit(child, listItem);
    }
  };
  visit(body, false);
  const title = /<dc:title>([^<]*)<\/dc:title>/.exec(utf8(files.get('meta.xml')))?.[1]?.trim();
  return builder.build(title ? { title } : {});
}
