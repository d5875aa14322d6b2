/**
 * `npm run eval -- <dir> --summaries [--words N] [--split tune|report|all] [--embed]`: the
 * passages-only summariser on a folder with `corpus.jsonl` ({_id, title, text}: one document a
 * line) and `summaries.jsonl` ({_id, summary}: its reference summary). Each document is read into
 * blocks and headings, chunked as the library chunks it, and summarised in N words (default 150);
 * beside it, from the same run, the first N words of the document (lead) and the sentences nearest
 * its TF-IDF centroid (redundancy-checked, N words). Prints one row per document, then as its last
 * line one JSON object: rouge1, rouge2, rougeL (F1, mean over documents), lead_rouge1,
 * centroid_rouge1, sentences_cited, summary_ms_p50. Documents alternate tune (even lines) and
 * report (odd lines): weights are set on the first, figures quoted from the second.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  analyze,
  chunkDocument,
  createTransformersEmbedder,
  documentSentences,
  DocumentBuilder,
  parseBytes,
  percentile,
  quoteMatches,
  rougeL,
  rougeN,
  rougeTokens,
  summarisePassages,
  type ParsedDocument,
  type SummaryOptions,
  type SummaryWeights,
  type WholePassage,
} from '../../src/core';

export interface SummaryEvalOptions {
  words: number;
  split: 'tune' | 'report' | 'all';
  embed: boolean;
  weights?: Partial<SummaryWeights>;
  cuts?: SummaryOptions['cuts'];
  quiet?: boolean;
}

interface Doc {
  _id: string;
  title?: string;
  text: string;
}

function jsonl<T>(file: string): T[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

const KNOWN_HEADING =
  /^(?:\d+(?:\.\d+)*\.?\s+)?(?:abstract|introduction|background|related work|method(?:s|ology)?|approach|experiments?|evaluation|results|discussion|conclusions?|limitations|future work|acknowledge?ments?|references|appendix|overview|summary)\b/i;

/**
 * Plain text → blocks: paragraphs at blank lines, their hard line breaks joined (PDF text keeps a
 * break at each line end), and short lines that look like headings ("3.1 Data", "Introduction")
 * as headings.
 */
export function readPlainDocument(doc: Doc): ParsedDocument {
  const b = new DocumentBuilder('text');
  for (const raw of doc.text.split(/\n\s*\n/)) {
    const para = raw
      .replace(/-\n(?=\p{Ll})/gu, '')
      .replace(/\s*\n\s*/g, ' ')
      .trim();
    if (!para) continue;
    const words = para.split(/\s+/).length;
    const numbered = /^\d+(?:\.\d+)*\.?\s+\p{Lu}[\p{L}\s,:&-]+$/u.test(para) && words <= 10;
    if ((KNOWN_HEADING.test(para) && words <= 6 && !/[.:]$/.test(para)) || numbered)
      b.heading(para, (para.match(/^\d+(?:\.\d+)*/)?.[0].split('.').length ?? 1) + 1);
    else b.block(para);
  }
  return b.build(doc.title ? { title: doc.title } : {});
}

/** The first `words` tokens, as ROUGE counts them. */
function firstWords(text: string, words: number): string[] {
  return rougeTokens(text).slice(0, words);
}

/** The centroid baseline: sentences nearest the TF-IDF centroid, skipping near-repeats, N words. */
function centroidSummary(passages: WholePassage[], words: number): string {
  const sentences = documentSentences(passages).filter((s) => s.text.split(/\s+/).length >= 6);
  const vecs = sentences.map((s) => {
    const m = new Map<string, number>();
    for (const t of analyze(s.text)) m.set(t, (m.get(t) ?? 0) + 1);
    return m;
  });
  const df = new Map<string, number>();
  for (const v of vecs) for (const t of v.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const n = vecs.length;
  for (const v of vecs) for (const [t, c] of v) v.set(t, c * Math.log((n + 1) / (df.get(t)! + 0.5)));
  const norm = (v: Map<string, number>) => Math.sqrt([...v.values()].reduce((s, x) => s + x * x, 0)) || 1;
  const centre = new Map<string, number>();
  for (const v of vecs) {
    const nv = norm(v);
    for (const [t, x] of v) centre.set(t, (centre.get(t) ?? 0) + x / nv);
  }
  const cos = (a: Map<string, number>, b: Map<string, number>) => {
    let d = 0;
    for (const [t, x] of a) d += x * (b.get(t) ?? 0);
    return d / (norm(a) * norm(b));
  };
  const order = vecs.map((v, i) => ({ i, s: cos(v, centre) })).sort((a, b) => b.s - a.s);
  const chosen: number[] = [];
  let count = 0;
  for (const { i } of order) {
    if (count >= words) break;
    if (chosen.some((j) => cos(vecs[i]!, vecs[j]!) > 0.5)) continue;
    chosen.push(i);
    count += sentences[i]!.text.split(/\s+/).length;
  }
  return chosen
    .sort((a, b) => a - b)
    .map((i) => sentences[i]!.text)
    .join(' ');
}

const round = (x: number) => Number(x.toFixed(4));
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

interface SummaryRow {
  r1: number;
  r2: number;
  rl: number;
  lead: number;
  centroid: number;
  cited: number;
  total: number;
  ms: number;
}

/**
 * One document's summary scored against its reference, with the lead (first N words of `body`)
 * and centroid baselines; a sentence counts as cited when its quote is exactly the document's
 * text at the place it names.
 */
async function scoreSummary(
  parsed: ParsedDocument,
  passages: WholePassage[],
  reference: string,
  body: string,
  opts: Pick<SummaryOptions, 'words' | 'title' | 'embed' | 'weights' | 'cuts'>,
): Promise<SummaryRow> {
  const words = opts.words!;
  const t0 = performance.now();
  const summary = await summarisePassages(passages, opts);
  const ms = performance.now() - t0;
  const sentences = summary.sections.flatMap((s) => s.sentences);
  const cited = sentences.filter((s) =>
    quoteMatches(parsed.text.slice(s.location.start, s.location.end), s.text),
  ).length;
  const ref = rougeTokens(reference);
  const cand = rougeTokens(sentences.map((s) => s.text).join(' ')).slice(0, words);
  const centroid = rougeTokens(centroidSummary(passages, words)).slice(0, words);
  return {
    r1: rougeN(cand, ref, 1),
    r2: rougeN(cand, ref, 2),
    rl: rougeL(cand, ref),
    lead: rougeN(firstWords(body, words), ref, 1),
    centroid: rougeN(centroid, ref, 1),
    cited,
    total: sentences.length,
    ms,
  };
}

function printRow(id: string, row: SummaryRow): void {
  console.log(
    `| ${id.slice(0, 40).padEnd(40)} | ${row.r1.toFixed(3)} | ${row.lead.toFixed(3)} | ${row.centroid.toFixed(3)} | ${row.cited}/${row.total} | ${row.ms.toFixed(0)} ms |`,
  );
}

function meanFigures(rows: SummaryRow[], words: number): Record<string, number> {
  const rouge1 = mean(rows.map((r) => r.r1));
  const lead = mean(rows.map((r) => r.lead));
  const centroid = mean(rows.map((r) => r.centroid));
  return {
    documents: rows.length,
    words,
    rouge1: round(rouge1),
    rouge2: round(mean(rows.map((r) => r.r2))),
    rougeL: round(mean(rows.map((r) => r.rl))),
    lead_rouge1: round(lead),
    centroid_rouge1: round(centroid),
    above_best_baseline: round(rouge1 - Math.max(lead, centroid)),
    sentences_cited: round(
      rows.reduce((s, r) => s + r.cited, 0) /
        Math.max(
          1,
          rows.reduce((s, r) => s + r.total, 0),
        ),
    ),
    summary_ms_p50: round(
      percentile(
        rows.map((r) => r.ms),
        50,
      ),
    ),
  };
}

/** The ids of a summary set's tune half (even lines of corpus.jsonl). */
export function tuneIds(dir: string): Set<string> {
  return new Set(
    jsonl<Doc>(path.join(dir, 'corpus.jsonl'))
      .filter((_, i) => i % 2 === 0)
      .map((d) => d._id),
  );
}

/** A summary set's documents of one half, each read and chunked as the library would, with its reference. */
export interface SummarySetDoc {
  doc: Doc;
  parsed: ParsedDocument;
  passages: WholePassage[];
  reference: string;
}

export function loadSummarySet(dir: string, split: SummaryEvalOptions['split']): SummarySetDoc[] {
  const corpus = jsonl<Doc>(path.join(dir, 'corpus.jsonl'));
  const refs = new Map(
    jsonl<{ _id: string; summary: string }>(path.join(dir, 'summaries.jsonl')).map((r) => [r._id, r.summary]),
  );
  return corpus
    .filter((_, i) => split === 'all' || (i % 2 === 0) === (split === 'tune'))
    .map((doc) => {
      const reference = refs.get(doc._id);
      if (!reference) throw new Error(`${path.join(dir, 'summaries.jsonl')}: no summary for document ${doc._id}`);
      const parsed = readPlainDocument(doc);
      const chunks = chunkDocument(parsed, (t) => Math.ceil(t.split(/\s+/).length * 1.3));
      return { doc, parsed, passages: chunks.map((c) => ({ text: c.text, location: c.location })), reference };
    });
}

export async function summaryEval(dir: string, opts: SummaryEvalOptions): Promise<Record<string, number | string>> {
  const embedder = opts.embed ? await createTransformersEmbedder({ dtype: 'q8' }) : null;
  const rows: SummaryRow[] = [];
  for (const { doc, parsed, passages, reference } of loadSummarySet(dir, opts.split)) {
    const row = await scoreSummary(parsed, passages, reference, parsed.text, {
      words: opts.words,
      ...(doc.title ? { title: doc.title } : {}),
      ...(embedder ? { embed: (texts: string[]) => embedder.embed(texts, 'passage') } : {}),
      ...(opts.weights ? { weights: opts.weights } : {}),
      ...(opts.cuts ? { cuts: opts.cuts } : {}),
    });
    rows.push(row);
    if (!opts.quiet) printRow(doc._id, row);
  }
  await embedder?.dispose();
  return { split: opts.split, ...meanFigures(rows, opts.words) };
}

/**
 * Wikipedia articles with their lead as the reference: squad2-a's corpus holds the paragraphs of
 * eight articles in order; the first paragraph (the lead's opening) is the reference summary and the
 * rest is the document. Writes corpus.jsonl and summaries.jsonl into `out`.
 */
export function writeLeadSet(squadDir: string, out: string): number {
  const paras = jsonl<Doc>(path.join(squadDir, 'corpus.jsonl'));
  const byTitle = new Map<string, Doc[]>();
  for (const p of paras) byTitle.set(p.title ?? '', [...(byTitle.get(p.title ?? '') ?? []), p]);
  fs.mkdirSync(out, { recursive: true });
  const corpus: string[] = [];
  const summaries: string[] = [];
  for (const [title, ps] of byTitle) {
    const id = title.replace(/\W+/g, '_');
    corpus.push(
      JSON.stringify({
        _id: id,
        title,
        text: ps
          .slice(1)
          .map((p) => p.text)
          .join('\n\n'),
      }),
    );
    summaries.push(JSON.stringify({ _id: id, summary: ps[0]!.text }));
  }
  fs.writeFileSync(path.join(out, 'corpus.jsonl'), `${corpus.join('\n')}\n`);
  fs.writeFileSync(path.join(out, 'summaries.jsonl'), `${summaries.join('\n')}\n`);
  return corpus.length;
}

/**
 * `npm run eval -- <dir> --summaries --long`: every document of the folder joined into one (the six
 * papers make about 36,000 words, some 100 pages) and summarised passages-only, timed from its
 * stored passages (what the app holds after indexing) to the summary.
 */
export async function longSummaryBench(dir: string, words: number): Promise<Record<string, number>> {
  const corpus = jsonl<Doc>(path.join(dir, 'corpus.jsonl'));
  const joined = corpus.map((d) => `${d._id}\n\n${d.text}`).join('\n\n');
  const parsed = readPlainDocument({ _id: 'joined', text: joined });
  const chunks = chunkDocument(parsed, (t) => Math.ceil(t.split(/\s+/).length * 1.3));
  const passages: WholePassage[] = chunks.map((c) => ({ text: c.text, location: c.location }));
  const times: number[] = [];
  let chosen = 0;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const s = await summarisePassages(passages, { words });
    times.push(performance.now() - t0);
    chosen = s.sections.reduce((n, x) => n + x.sentences.length, 0);
  }
  return {
    document_words: rougeTokens(joined).length,
    passages: passages.length,
    summary_sentences: chosen,
    summary_ms_p50: round(percentile(times, 50)),
  };
}

/** Headings that open a paper's front matter rather than its body (its abstract, CCS concepts, keywords). */
const FRONT_HEADING = /^(?:abstract|ccs concepts|keywords|index terms)$/i;
const REFERENCES_HEADING = /^(?:\d+\s+)?(?:references|bibliography)$/i;

/**
 * A paper read by the app's own PDF reader, split as the summary set needs it: the reference is
 * its abstract as the structure code found it (the prose blocks under the "Abstract" heading, or
 * the unheaded abstract the reader names so; CCS concepts, keyword lines and links left out), the
 * document its passages from the first section after the front matter up to the References.
 */
export async function readPaperWithAbstract(
  file: string,
): Promise<{ parsed: ParsedDocument; reference: string; passages: WholePassage[]; body: string }> {
  const parsed = await parseBytes(new Uint8Array(fs.readFileSync(file)), path.basename(file));
  const heading = (b: ParsedDocument['blocks'][number]) => parsed.text.slice(b.start, b.end).trim();
  const abstract = parsed.blocks
    .filter((b) => b.kind !== 'heading' && b.headings.some((h) => /^abstract$/i.test(h)))
    .map(heading)
    .filter((t) => t.length >= 150 && !/^(?:ccs concepts|additional key words|keywords)\b/i.test(t));
  const headings = parsed.blocks.filter((b) => b.kind === 'heading');
  const abstractAt = headings.findIndex((b) => /^abstract$/i.test(heading(b)));
  const first = headings.find((b, i) => i > abstractAt && !FRONT_HEADING.test(heading(b)));
  const refs = headings.find((b) => REFERENCES_HEADING.test(heading(b)));
  if (!abstract.length || abstractAt < 0 || !first || !refs)
    throw new Error(`${file}: no abstract, first section or References heading found by the PDF reader`);
  const passages: WholePassage[] = chunkDocument(parsed, (t) => Math.ceil(t.split(/\s+/).length * 1.3))
    .filter((c) => c.location.start >= first.start && c.location.end <= refs.start)
    .map((c) => ({ text: c.text, location: c.location }));
  return { parsed, reference: abstract.join('\n\n'), passages, body: parsed.text.slice(first.start, refs.start) };
}

/**
 * `npm run eval -- <paper.pdf | folder> --summaries --pdf`: papers read by the app's own PDF
 * reader (../shared/data/papers: seven arXiv PDFs), each summarised from its body and scored
 * against its own abstract (readPaperWithAbstract). A report-only set: nothing is tuned on it.
 * Six of the seven are also in ../summaries as pdftotext text, three of them in its tune half
 * (`tuned_text` in each row), so the rows of the other four are the held-out figure.
 */
export async function pdfSummaryEval(
  target: string,
  words: number,
  tuneIds: Set<string> = new Set(),
  options: Pick<SummaryOptions, 'weights' | 'cuts'> = {},
): Promise<Record<string, number | string>> {
  const files = fs.statSync(target).isDirectory()
    ? fs
        .readdirSync(target)
        .filter((f) => f.toLowerCase().endsWith('.pdf'))
        .sort()
        .map((f) => path.join(target, f))
    : [target];
  const rows: (SummaryRow & { tuned: boolean })[] = [];
  for (const file of files) {
    const { parsed, reference, passages, body } = await readPaperWithAbstract(file);
    const id = path.basename(file, path.extname(file));
    const row = {
      // The app summarises with the document's title (route.ts), as the reader found it.
      ...(await scoreSummary(parsed, passages, reference, body, {
        words,
        ...(parsed.title ? { title: parsed.title } : {}),
        ...options,
      })),
      tuned: tuneIds.has(id),
    };
    rows.push(row);
    printRow(`${id}${row.tuned ? ' (text tuned)' : ''}`, row);
  }
  const heldOut = rows.filter((r) => !r.tuned);
  return {
    split: 'report',
    ...meanFigures(rows, words),
    ...(heldOut.length < rows.length
      ? {
          held_out_documents: heldOut.length,
          held_out_rouge1: round(mean(heldOut.map((r) => r.r1))),
          held_out_lead_rouge1: round(mean(heldOut.map((r) => r.lead))),
          held_out_centroid_rouge1: round(mean(heldOut.map((r) => r.centroid))),
        }
      : {}),
  };
}
