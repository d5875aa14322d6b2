/**
 * Small but well-formed documents in every format the fixtures folder lacks (PPTX, XLSX, ODS,
 * ODT, EPUB, RTF, CSV, TSV), each built part by part with the test ZIP writer, so a test knows
 * exactly which sentence stands on which slide, sheet row or chapter.
 */
import { makeZip } from './zip';

const xml = (body: string) => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>${body}`;
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const P =
  'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';

export interface Slide {
  title: string;
  bullets: string[];
  notes?: string;
}

const textShape = (id: number, ph: string | null, paragraphs: string[]) =>
  `<p:sp><p:nvSpPr><p:cNvPr id="${id}" name="s${id}"/><p:cNvSpPr/><p:nvPr>${ph ? `<p:ph type="${ph}"/>` : ''}</p:nvPr></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/>${paragraphs.map((t) => `<a:p><a:r><a:rPr lang="en-US"/><a:t>${esc(t)}</a:t></a:r></a:p>`).join('')}</p:txBody></p:sp>`;

/** A PPTX whose slides are stored in reverse file order, so only presentation.xml gives the right order. */
export function pptx(slides: Slide[]): Uint8Array {
  const n = slides.length;
  const file = (i: number) => n - i; // slide i (0-based) lives in slide{n-i}.xml
  const entries: { name: string; data: string }[] = [
    {
      name: '[Content_Types].xml',
      data: xml(
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
      ),
    },
    {
      name: 'ppt/presentation.xml',
      data: xml(
        `<p:presentation ${P}><p:sldIdLst>${slides.map((_, i) => `<p:sldId id="${256 + i}" r:id="rId${i + 1}"/>`).join('')}</p:sldIdLst></p:presentation>`,
      ),
    },
    {
      name: 'ppt/_rels/presentation.xml.rels',
      data: xml(
        `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${slides.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${R}/slide" Target="slides/slide${file(i)}.xml"/>`).join('')}</Relationships>`,
      ),
    },
  ];
  slides.forEach((s, i) => {
    entries.push({
      name: `ppt/slides/slide${file(i)}.xml`,
      data: xml(
        `<p:sld ${P}><p:cSld><p:spTree>${textShape(2, 'title', [s.title])}${textShape(3, null, s.bullets)}${textShape(4, 'sldNum', [String(i + 1)])}</p:spTree></p:cSld></p:sld>`,
      ),
    });
    if (s.notes) {
      entries.push({
        name: `ppt/slides/_rels/slide${file(i)}.xml.rels`,
        data: xml(
          `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId9" Type="${R}/notesSlide" Target="../notesSlides/notesSlide${file(i)}.xml"/></Relationships>`,
        ),
      });
      entries.push({
        name: `ppt/notesSlides/notesSlide${file(i)}.xml`,
        data: xml(
          `<p:notes ${P}><p:cSld><p:spTree>${textShape(2, 'sldImg', [])}${textShape(3, 'body', [s.notes])}</p:spTree></p:cSld></p:notes>`,
        ),
      });
    }
  });
  return makeZip(entries);
}

export type Cell = string | number | { date: string };

/** An XLSX with shared strings, an inline string, numbers and a date cell (styled with Excel's built-in date format 14). */
export function xlsx(sheets: { name: string; rows: Cell[][] }[]): Uint8Array {
  const strings: string[] = [];
  const sharedIndex = (s: string) => (strings.includes(s) ? strings.indexOf(s) : strings.push(s) - 1);
  const col = (i: number) => String.fromCharCode(65 + i);
  const sheetXml = (rows: Cell[][]) =>
    xml(
      `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows
        .map(
          (cells, r) =>
            `<row r="${r + 1}">${cells
              .map((c, i) => {
                const ref = `${col(i)}${r + 1}`;
                if (typeof c === 'number') return `<c r="${ref}"><v>${c}</v></c>`;
                if (typeof c === 'object')
                  return `<c r="${ref}" s="1"><v>${(Date.parse(c.date) - Date.UTC(1899, 11, 30)) / 86_400_000}</v></c>`;
                if (i === 0 && r > 0) return `<c r="${ref}" t="inlineStr"><is><t>${esc(c)}</t></is></c>`;
                return `<c r="${ref}" t="s"><v>${sharedIndex(c)}</v></c>`;
              })
              .join('')}</row>`,
        )
        .join('')}</sheetData></worksheet>`,
    );
  const entries = [
    {
      name: '[Content_Types].xml',
      data: xml(
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
      ),
    },
    {
      name: 'xl/workbook.xml',
      data: xml(
        `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${R}"><sheets>${sheets.map((s, i) => `<sheet name="${esc(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`,
      ),
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: xml(
        `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${R}/worksheet" Target="/xl/worksheets/sheet${i + 1}.xml"/>`).join('')}</Relationships>`,
      ),
    },
    {
      name: 'xl/styles.xml',
      data: xml(
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>',
      ),
    },
    ...sheets.map((s, i) => ({ name: `xl/worksheets/sheet${i + 1}.xml`, data: sheetXml(s.rows) })),
  ];
  entries.push({
    name: 'xl/sharedStrings.xml',
    data: xml(
      `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${strings.map((s) => `<si><t>${esc(s)}</t></si>`).join('')}</sst>`,
    ),
  });
  return makeZip(entries);
}

const ODF_NS =
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"';
const odfPackage = (mime: string, content: string, extra: { name: string; data: string }[] = []) =>
  makeZip([
    { name: 'mimetype', data: mime, store: true },
    {
      name: 'content.xml',
      data: xml(`<office:document-content ${ODF_NS}><office:body>${content}</office:body></office:document-content>`),
    },
    ...extra,
  ]);

/** An ODS whose sheet ends in a million repeated empty rows, as LibreOffice writes them. */
export function ods(sheets: { name: string; rows: (string | number)[][] }[]): Uint8Array {
  const cell = (c: string | number) =>
    typeof c === 'number'
      ? `<table:table-cell office:value-type="float" office:value="${c}"><text:p>${c}</text:p></table:table-cell>`
      : `<table:table-cell office:value-type="string"><text:p>${esc(c)}</text:p></table:table-cell>`;
  const tables = sheets.map(
    (s) =>
      `<table:table table:name="${esc(s.name)}">${s.rows.map((r) => `<table:table-row>${r.map(cell).join('')}<table:table-cell table:number-columns-repeated="1020"/></table:table-row>`).join('')}<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table>`,
  );
  return odfPackage(
    'application/vnd.oasis.opendocument.spreadsheet',
    `<office:spreadsheet>${tables.join('')}</office:spreadsheet>`,
  );
}

export function odt(
  sections: { heading: string; paragraphs: string[] }[],
  opts: { encrypted?: boolean } = {},
): Uint8Array {
  const body = sections
    .map(
      (s) =>
        `<text:h text:outline-level="1">${esc(s.heading)}</text:h>${s.paragraphs.map((p) => `<text:p>${esc(p).replace(/ {2}/g, ' <text:s/>')}</text:p>`).join('')}`,
    )
    .join('');
  const manifest = opts.encrypted
    ? [
        {
          name: 'META-INF/manifest.xml',
          data: xml(
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"><manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x"><manifest:algorithm manifest:algorithm-name="Blowfish CFB" manifest:initialisation-vector="x"/></manifest:encryption-data></manifest:file-entry></manifest:manifest>',
          ),
        },
      ]
    : [];
  return odfPackage('application/vnd.oasis.opendocument.text', `<office:text>${body}</office:text>`, manifest);
}

/** An EPUB 2/3 book: chapters in the spine (the spine order differs from the manifest order), an NCX table of contents. */
export function epub(
  title: string,
  chapters: { title: string; paragraphs: string[] }[],
  opts: { drm?: boolean } = {},
): Uint8Array {
  const ids = chapters.map((_, i) => `ch${i + 1}`);
  const chapterFile = (i: number) => `OEBPS/text/chapter${i + 1}.xhtml`;
  const entries: { name: string; data: string; store?: boolean }[] = [
    { name: 'mimetype', data: 'application/epub+zip', store: true },
    {
      name: 'META-INF/container.xml',
      data: xml(
        '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>',
      ),
    },
    {
      name: 'OEBPS/content.opf',
      data: xml(
        `<package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>${esc(title)}</dc:title></metadata><manifest><item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>${[
          ...ids,
        ]
          .reverse()
          .map((id) => `<item id="${id}" href="text/chapter${id.slice(2)}.xhtml" media-type="application/xhtml+xml"/>`)
          .join(
            '',
          )}</manifest><spine toc="ncx">${ids.map((id) => `<itemref idref="${id}"/>`).join('')}</spine></package>`,
      ),
    },
    {
      name: 'OEBPS/toc.ncx',
      data: xml(
        `<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/"><navMap>${chapters.map((c, i) => `<navPoint id="n${i}"><navLabel><text>${esc(c.title)}</text></navLabel><content src="text/chapter${i + 1}.xhtml"/></navPoint>`).join('')}</navMap></ncx>`,
      ),
    },
    ...chapters.map((c, i) => ({
      name: chapterFile(i),
      // Chapter titles are in the table of contents only, not in the pages (as in many books).
      data: xml(
        `<html xmlns="http://www.w3.org/1999/xhtml"><head><title>${esc(title)}</title></head><body>${c.paragraphs.map((p) => `<p>${esc(p)}</p>`).join('')}</body></html>`,
      ),
    })),
  ];
  if (opts.drm) {
    entries.push({
      name: 'META-INF/encryption.xml',
      data: xml(
        `<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/><enc:CipherData><enc:CipherReference URI="OEBPS/text/chapter1.xhtml"/></enc:CipherData></enc:EncryptedData></encryption>`,
      ),
    });
  }
  return makeZip(entries);
}

/** RTF with a font table, a heading (\outlinelevel0), \'hh and \u escapes, and a skipped {\*\…} destination. */
export function rtf(heading: string, paragraphs: string[]): Uint8Array {
  const encode = (s: string) =>
    [...s]
      .map((ch) => {
        const c = ch.codePointAt(0)!;
        if (ch === '\\' || ch === '{' || ch === '}') return `\\${ch}`;
        if (c < 0x80) return ch;
        if (c < 0x100) return `\\'${c.toString(16).padStart(2, '0')}`;
        return `\\u${c > 32767 ? c - 65536 : c}?`;
      })
      .join('');
  const body = [
    `{\\pard\\outlinelevel0\\b\\fs32 ${encode(heading)}\\par}`,
    ...paragraphs.map((p) => `{\\pard ${encode(p)}\\par}`),
  ].join('\n');
  return new TextEncoder().encode(
    `{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss Helvetica;}}{\\colortbl;\\red0\\green0\\blue0;}{\\*\\generator Folio tests;}{\\info{\\title Hidden metadata title}}\n${body}\n}`,
  );
}

/** Rows to CSV (RFC 4180 quoting) or TSV. */
export function delimited(rows: (string | number)[][], delimiter: ',' | '\t' = ','): Uint8Array {
  const quote = (v: string | number) =>
    typeof v === 'string' && /[",\n\t]/.test(v) ? `"${v.replace(/"/g, '""')}"` : String(v);
  return new TextEncoder().encode(`${rows.map((r) => r.map(quote).join(delimiter)).join('\r\n')}\r\n`);
}

/** One file per new format, each with sentences found nowhere else. */
export const FORMAT_FILES = {
  'deck.pptx': pptx([
    {
      title: 'Harvest plan',
      bullets: ['Apples are picked in late September.', 'Pears follow two weeks later.'],
      notes: 'Remind the growers that the cider press opens on the first of October.',
    },
    { title: 'Budget', bullets: ['The orchard spends 12,000 euros a year on netting against birds.'] },
  ]),
  'fleet.xlsx': xlsx([
    { name: 'Summary', rows: [['Note'], ['Vehicle data is on the next sheet.']] },
    {
      name: 'Vehicles',
      rows: [
        ['Vehicle', 'Driver', 'Mileage', 'Last service'],
        ['Van 7', 'Priya Natarajan', 48210, { date: '2024-03-15' }],
        ['Truck 2', 'Tomasz Kowalczyk', 120455, { date: '2023-11-02' }],
      ],
    },
  ]),
  'stock.ods': ods([
    {
      name: 'Inventory',
      rows: [
        ['Item', 'Shelf', 'Count'],
        ['Brass hinges', 'B4', 340],
        ['Oak dowels', 'C1', 1200],
      ],
    },
  ]),
  'members.csv': delimited([
    ['Name', 'Instrument', 'Joined'],
    ['Ada Okafor', 'cello', 2019],
    ['Bram de Vries', 'oboe, English horn', 2021],
  ]),
  'rainfall.tsv': delimited(
    [
      ['Station', 'Month', 'Rainfall (mm)'],
      ['Aberdeen', 'January', 94],
      ['Cardiff', 'January', 141],
    ],
    '\t',
  ),
  'guide.epub': epub('A Field Guide', [
    { title: 'Chapter 1: Mosses', paragraphs: ['Mosses have no roots and absorb water through their leaves.'] },
    {
      title: 'Chapter 2: Lichens',
      paragraphs: ['A lichen is a partnership of a fungus and an alga living as one organism.'],
    },
  ]),
  'minutes.odt': odt([
    { heading: 'Attendance', paragraphs: ['Eleven members attended the spring meeting.'] },
    { heading: 'Decisions', paragraphs: ['The committee voted to repaint the boathouse  in green.'] },
  ]),
  'memo.rtf': rtf('Office move', [
    'The accounts team moves to the third floor on 4 June.',
    'Café Zoë opens in the lobby — bring your own cup.',
  ]),
};
