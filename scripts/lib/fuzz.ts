/**
 * A seeded mutation fuzzer over one fixture of every format Folio reads: bit flips, overwritten
 * and deleted runs, truncation, chunks spliced in from other fixtures, and — for ZIP-based
 * formats — edited entries (an entry's XML cut, flipped or padded, then the package rezipped).
 * Every mutant goes through the real Library.addFiles (parsing, OCR, chunking, embedding, the
 * store) in batches; each must end as added, duplicate or a named failure within a time bound.
 */
import fs from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import type { Library } from '../../src/core';
import { delimited, epub, ods, odt, pptx, rtf, xlsx } from './office';
import { imagePdf, pageImage } from './ocr';
import { FIXTURES_DIR } from './paths';
import { makeZip } from './zip';

export type Rng = () => number;

/** xorshift32: the same seed gives the same mutants on every machine. */
export function rng(seed: number): Rng {
  let x = seed >>> 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}
const int = (r: Rng, n: number) => Math.floor(r() * n);

export interface Seed {
  name: string;
  data: Uint8Array;
}

/** One small, valid file per format (the fuzzer's starting points). */
export async function seedCorpus(): Promise<Seed[]> {
  const shared = (rel: string) => ({
    name: path.basename(rel),
    data: new Uint8Array(fs.readFileSync(path.join(FIXTURES_DIR, rel))),
  });
  const lines = ['Fuzz seed page', 'The miller ground forty sacks of rye before noon.'];
  // Images are strips of two lines, so OCR keeps the run short.
  const strip = (format: 'png' | 'jpeg' | 'gif' | 'webp' | 'bmp' | 'tiff') =>
    pageImage(lines, { dpi: 100, format, crop: 100 });
  const jpeg = await strip('jpeg');
  return [
    shared('pdf/multi_page.pdf'),
    shared('docx/mammoth-simple-list.docx'),
    shared('html/wiki_duck.html'),
    shared('md/wiki-ibm.md'),
    {
      name: 'note.txt',
      data: new TextEncoder().encode(
        'A short note about the village fete.\n\nThe raffle raised ninety pounds for the roof.',
      ),
    },
    {
      name: 'slides.pptx',
      data: pptx([
        { title: 'Fuzz', bullets: ['Bullet about tides.'], notes: 'Notes about moons.' },
        { title: 'Two', bullets: ['Second slide text.'] },
      ]),
    },
    {
      name: 'sheet.xlsx',
      data: xlsx([
        {
          name: 'S',
          rows: [
            ['Name', 'Count', 'When'],
            ['Owls', 3, { date: '2020-01-02' }],
          ],
        },
      ]),
    },
    {
      name: 'sheet.ods',
      data: ods([
        {
          name: 'S',
          rows: [
            ['Name', 'Count'],
            ['Bats', 7],
          ],
        },
      ]),
    },
    {
      name: 'rows.csv',
      data: delimited([
        ['a', 'b'],
        ['1', 'two, three'],
      ]),
    },
    {
      name: 'rows.tsv',
      data: delimited(
        [
          ['a', 'b'],
          ['1', '2'],
        ],
        '\t',
      ),
    },
    {
      name: 'book.epub',
      data: epub('Fuzz Book', [
        { title: 'One', paragraphs: ['First chapter text.'] },
        { title: 'Two', paragraphs: ['Second chapter text.'] },
      ]),
    },
    { name: 'letter.odt', data: odt([{ heading: 'Dear friend', paragraphs: ['The weather has been kind.'] }]) },
    { name: 'memo.rtf', data: rtf('Memo', ['Plain words and caf\u00e9 and \u2014 dashes.']) },
    { name: 'page.png', data: await strip('png') },
    { name: 'page.jpg', data: jpeg },
    { name: 'page.gif', data: await strip('gif') },
    { name: 'page.webp', data: await strip('webp') },
    { name: 'page.bmp', data: await strip('bmp') },
    { name: 'page.tif', data: await strip('tiff') },
    {
      name: 'scan.pdf',
      data: imagePdf([await pageImage(lines, { dpi: 60, format: 'jpeg' }), ['A page with a text layer about bells.']]),
    },
  ];
}

const MUTATORS = ['bitflip', 'overwrite', 'truncate', 'splice', 'delete', 'duplicate', 'zip-entry'] as const;
export type Mutator = (typeof MUTATORS)[number];

function isZip(b: Uint8Array) {
  return b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
}

/** One mutant of `seed`: which mutation, and the bytes. */
export function mutate(seed: Seed, corpus: Seed[], r: Rng): { mutator: Mutator; data: Uint8Array } {
  const zip = isZip(seed.data);
  // ZIP packages get entry edits half of the time: byte-level damage mostly just breaks the directory.
  const mutator: Mutator = zip && r() < 0.5 ? 'zip-entry' : MUTATORS[int(r, MUTATORS.length - 1)]!;
  const b = seed.data;
  switch (mutator) {
    case 'bitflip': {
      const out = b.slice();
      for (let i = 1 + int(r, 16); i > 0; i--) out[int(r, out.length)]! ^= 1 << int(r, 8);
      return { mutator, data: out };
    }
    case 'overwrite': {
      const out = b.slice();
      const at = int(r, out.length);
      for (let i = at; i < Math.min(out.length, at + 1 + int(r, 64)); i++) out[i] = int(r, 256);
      return { mutator, data: out };
    }
    case 'truncate':
      return { mutator, data: b.slice(0, int(r, b.length)) };
    case 'splice': {
      const other = corpus[int(r, corpus.length)]!.data;
      const from = int(r, other.length);
      const piece = other.subarray(from, from + 1 + int(r, 4096));
      const at = int(r, b.length);
      return { mutator, data: concat(b.subarray(0, at), piece, b.subarray(at + (r() < 0.5 ? piece.length : 0))) };
    }
    case 'delete': {
      const at = int(r, b.length);
      return { mutator, data: concat(b.subarray(0, at), b.subarray(at + 1 + int(r, 512))) };
    }
    case 'duplicate': {
      const at = int(r, b.length);
      const piece = b.subarray(at, at + 1 + int(r, 2048));
      return { mutator, data: concat(b.subarray(0, at), piece, b.subarray(at)) };
    }
    case 'zip-entry':
      return { mutator, data: editZipEntry(b, r) };
  }
}

/** Unzips, damages one entry (cut, flipped, junk inserted, emptied, or a huge repeat), rezips. */
function editZipEntry(b: Uint8Array, r: Rng): Uint8Array {
  const entries = Object.entries(unzipSync(b));
  const i = int(r, entries.length);
  const [name, data] = entries[i]!;
  const text = new TextDecoder().decode(data);
  const edits = [
    () => text.slice(0, int(r, text.length)),
    () => `${text.slice(0, int(r, text.length))}<unclosed attr="${text.slice(int(r, text.length))}`,
    () => text.replace(/>[^<]{1,40}</, '>&#xFFFFFFF;&bogus;<'),
    () => '',
    () => text.replace(/<(\w+:)?t>/, `<$1t>${'x'.repeat(1 + int(r, 200_000))}`),
    () =>
      text.replace(/r:id="[^"]*"/g, 'r:id="rIdMissing"').replace(/Target="[^"]*"/, 'Target="../../../../etc/passwd"'),
    () => text.replace(/number-(rows|columns)-repeated="\d+"/g, 'number-$1-repeated="2147483647"'),
  ];
  const edited = edits[int(r, edits.length)]!();
  const out = entries.map(([n, d], j) => ({ name: n, data: j === i ? edited : d, store: n === 'mimetype' }));
  // Sometimes an entry goes missing altogether.
  if (r() < 0.15) out.splice(int(r, out.length), 1);
  void name;
  return makeZip(out);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export interface FuzzReport {
  files: number;
  /** Outcome → count: 'added', 'duplicate', or a failure's error code. */
  outcomes: Record<string, number>;
  /** Files that took longer than the bound (a hang), by name. */
  timeouts: string[];
  /** Failures that are not a named outcome (a crash leaking out as a generic error). */
  unnamed: string[];
  unhandledRejections: number;
  integrityProblems: string[];
  seconds: number;
  /** A few reasons given for each failure code, to read what people would be told. */
  examples: Record<string, string[]>;
}

/**
 * Runs `count` mutants through `library.addFiles`, `batch` files at a time. A batch that does not
 * finish within `perFileMs` per file counts its files as timeouts.
 */
export async function fuzz(
  library: Library,
  opts: {
    count: number;
    seed: number;
    batch?: number;
    perFileMs?: number;
    corpus?: Seed[];
    log?: (line: string) => void;
  },
): Promise<FuzzReport> {
  const corpus = opts.corpus ?? (await seedCorpus());
  const r = rng(opts.seed);
  const batchSize = opts.batch ?? 25;
  const perFileMs = opts.perFileMs ?? 60_000;
  const report: FuzzReport = {
    files: 0,
    outcomes: {},
    timeouts: [],
    unnamed: [],
    unhandledRejections: 0,
    integrityProblems: [],
    seconds: 0,
    examples: {},
  };
  const onRejection = () => void report.unhandledRejections++;
  process.on('unhandledRejection', onRejection);
  const t0 = performance.now();
  try {
    for (let done = 0; done < opts.count; done += batchSize) {
      const files = Array.from({ length: Math.min(batchSize, opts.count - done) }, (_, k) => {
        const seed = corpus[int(r, corpus.length)]!;
        const { mutator, data } = mutate(seed, corpus, r);
        const dot = seed.name.lastIndexOf('.');
        return { name: `${seed.name.slice(0, dot)}-${done + k}-${mutator}${seed.name.slice(dot)}`, data };
      });
      let timer: ReturnType<typeof setTimeout> | undefined;
      const outcomes = await Promise.race([
        library.addFiles(files),
        new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), perFileMs * files.length))),
      ]);
      clearTimeout(timer);
      report.files += files.length;
      if (!outcomes) {
        report.timeouts.push(...files.map((f) => f.name));
        continue;
      }
      for (const o of outcomes) {
        const key = o.status === 'failed' ? o.error.code : o.status;
        report.outcomes[key] = (report.outcomes[key] ?? 0) + 1;
        if (o.status !== 'failed') continue;
        if (!o.error.message.startsWith(`${o.file}: `)) report.unnamed.push(`${o.file}: ${o.error.message}`);
        const seen = (report.examples[key] ??= []);
        if (seen.length < 4 && !seen.includes(o.error.reason)) seen.push(o.error.reason);
      }
      opts.log?.(
        `${report.files} files, ${Math.round((performance.now() - t0) / 1000)} s: ${JSON.stringify(report.outcomes)}`,
      );
    }
    report.integrityProblems = (await library.checkIntegrity()).problems;
  } finally {
    process.off('unhandledRejection', onRejection);
  }
  report.seconds = Math.round((performance.now() - t0) / 100) / 10;
  return report;
}
