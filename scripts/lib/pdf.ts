/**
 * Builds small, valid PDFs byte by byte (correct xref offsets), for inputs the shared fixtures do
 * not cover: a scan with no text layer, a password-protected file. Runs in Node and in the page.
 */
export function buildPdf(objects: string[], trailerExtra = ''): Uint8Array<ArrayBuffer> {
  let out = '%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${trailerExtra} >>\nstartxref\n${xref}\n%%EOF\n`;
  const bytes = new Uint8Array(out.length);
  for (let i = 0; i < out.length; i++) bytes[i] = out.charCodeAt(i) & 0xff;
  return bytes;
}

function stream(content: string): string {
  return `<< /Length ${content.length} >>\nstream\n${content}\nendstream`;
}

const PAGE_TREE = (contentRef: string) => [
  '<< /Type /Catalog /Pages 2 0 R >>',
  '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
  `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents ${contentRef} >>`,
];

/** A page's content stream: one line of Helvetica text per entry, top down. */
const textContent = (lines: string[]) =>
  lines.map((l, i) => `BT /F1 12 Tf 72 ${720 - i * 16} Td (${l.replace(/[()\\]/g, '\\$&')}) Tj ET`).join('\n');

/** A one-page PDF with real text, one line per entry. */
export function textPdf(lines: string[]): Uint8Array<ArrayBuffer> {
  return buildPdf([
    ...PAGE_TREE('4 0 R'),
    stream(textContent(lines)),
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ]);
}

/** A PDF of many pages with real text: pages[i] holds the lines of page i + 1. */
export function pagesPdf(pages: string[][]): Uint8Array<ArrayBuffer> {
  return streamsPdf(pages.map(textContent));
}

export interface PaperPage {
  /** Text lines of the body, top down, 12 pt Helvetica from x = 72. */
  lines: string[];
  /** A bold (Helvetica-Bold) numbered heading before line `at`. */
  heading?: { text: string; at: number };
}

/**
 * Pages laid out like a paper's review copy: a running header at the top, the page number at the
 * bottom, a line number left of every body line and a rotated stamp up the left margin, around
 * body text in Helvetica with bold section headings.
 */
export function paperPdf(pages: PaperPage[], opts: { header: string; stamp: string }): Uint8Array<ArrayBuffer> {
  const esc = (t: string) => t.replace(/[()\\]/g, '\\$&');
  let lineNo = 1;
  const streams = pages.map((page, p) => {
    const ops = [
      `BT /F1 9 Tf 72 760 Td (${esc(opts.header)}) Tj ET`,
      `BT /F1 20 Tf 0 1 -1 0 40 250 Tm (${esc(opts.stamp)}) Tj ET`,
      `BT /F1 10 Tf 300 40 Td (${p + 1}) Tj ET`,
    ];
    let y = 720;
    page.lines.forEach((line, i) => {
      if (page.heading?.at === i) {
        y -= 10;
        ops.push(`BT /F2 12 Tf 72 ${y} Td (${esc(page.heading.text)}) Tj ET`);
        y -= 24;
      }
      ops.push(`BT /F1 8 Tf 50 ${y} Td (${lineNo++}) Tj ET`, `BT /F1 12 Tf 72 ${y} Td (${esc(line)}) Tj ET`);
      y -= 15;
    });
    return ops.join('\n');
  });
  return streamsPdf(streams);
}

function streamsPdf(contents: string[]): Uint8Array<ArrayBuffer> {
  const first = 4; // objects 1–3: catalog, page tree, font; then a page and its content per page; the bold font last
  const kids = contents.map((_, i) => `${first + 2 * i} 0 R`).join(' ');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${kids}] /Count ${contents.length} >>`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  contents.forEach((content, i) => {
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R /F2 ${first + 2 * contents.length} 0 R >> >> /Contents ${first + 2 * i + 1} 0 R >>`,
    );
    objects.push(stream(content));
  });
  objects.push('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >>');
  return buildPdf(objects);
}

/** What a scanner produces, as far as text goes: pages with marks on them and no text layer. */
export function scannedPdf(): Uint8Array<ArrayBuffer> {
  return buildPdf([
    ...PAGE_TREE('4 0 R'),
    stream('0.5 g 72 72 468 648 re f 0 g 100 700 m 500 700 l S'),
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ]);
}

/**
 * A PDF under the standard security handler whose user password is not empty: a reader must ask
 * for the password (the /U entry does not match the empty password).
 */
export function encryptedPdf(): Uint8Array<ArrayBuffer> {
  const hex = (seed: number) =>
    Array.from({ length: 32 }, (_, i) => ((seed * 31 + i * 17) & 0xff).toString(16).padStart(2, '0')).join('');
  return buildPdf(
    [
      ...PAGE_TREE('4 0 R'),
      stream('BT /F1 12 Tf 72 720 Td (secret) Tj ET'),
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
      `<< /Filter /Standard /V 1 /R 2 /O <${hex(7)}> /U <${hex(11)}> /P -44 >>`,
    ],
    `/Encrypt 6 0 R /ID [<${hex(3).slice(0, 32)}> <${hex(3).slice(0, 32)}>]`,
  );
}

/**
 * A one-page PDF with a sentence of text and `padBytes` of unused data (an orphan stream): a big
 * file that indexes quickly, for storage tests.
 */
export function paddedPdf(sentence: string, padBytes: number): Uint8Array<ArrayBuffer> {
  return buildPdf([
    ...PAGE_TREE('4 0 R'),
    stream(`BT /F1 12 Tf 72 720 Td (${sentence}) Tj ET`),
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    stream('%'.repeat(padBytes)),
  ]);
}

/** The first part of a file, as an interrupted download leaves it. */
export function truncated(bytes: Uint8Array, fraction = 0.5): Uint8Array<ArrayBuffer> {
  return bytes.slice(0, Math.floor(bytes.length * fraction));
}

/**
 * The same PDF with its cross-reference table wrecked: `startxref` points into the middle of the
 * file and every xref entry has a wrong offset (digits rotated). Readers must rebuild the table by
 * scanning for objects, as pdf.js does.
 */
export function brokenXref(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = bytes.slice();
  const text = Array.from(out.subarray(Math.max(0, out.length - 200_000)), (b) => String.fromCharCode(b)).join('');
  const base = out.length - text.length;
  const start = text.lastIndexOf('startxref');
  if (start < 0) throw new Error('no startxref');
  const num = /startxref\s+(\d+)/.exec(text.slice(start))!;
  const at = base + start + num.index + num[0].length - num[1]!.length;
  for (let i = 0; i < num[1]!.length; i++) out[at + i] = 0x31; // "111…": not where the xref is
  for (const m of text.matchAll(/(\d{10}) (\d{5}) n/g)) {
    const pos = base + m.index;
    for (let i = 0; i < 10; i++) out[pos + i] = 0x30 + ((Number(m[1]![i]) + 3) % 10);
  }
  return out;
}

/** Deterministic noise (xorshift), so a failing test can be rerun on the same bytes. */
export function randomBytes(n: number, seed = 42): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  out[0] = 0x00; // never accidentally a known signature
  return out;
}
