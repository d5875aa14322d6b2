/**
 * Retrieval evaluation on a BEIR-layout folder (corpus.jsonl, queries.jsonl, qrels.tsv), through
 * the very same core the app runs: chunking, embedding, the stores (fake-indexeddb here) and
 * search. Prints a table, then as its last line one JSON object with the figures.
 *
 *   npm run eval -- ../shared/data/scifact --mode hybrid --k 10
 *
 * With --qa, the answer pipeline on a folder in squad2-a's layout (corpus.jsonl, answers.jsonl;
 * see scripts/lib/qaEval.ts):
 *
 *   npm run eval -- ../shared/data/squad2-a --qa --offtopic ../shared/data/scifact/queries.jsonl
 *
 * With --tables, questions computed over tables (scripts/lib/tableEval.ts):
 *
 *   npm run eval -- test/fixtures/tables --tables
 */
import 'fake-indexeddb/auto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createTransformersEmbedder, openLibrary, type FusionOptions, type SearchMode } from '../src/core';
import { beirDocuments, loadBeir, score } from './lib/beir';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    mode: { type: 'string', default: 'hybrid' },
    k: { type: 'string' },
    chunk: { type: 'string' },
    overlap: { type: 'string' },
    fusion: { type: 'string' },
    weight: { type: 'string' },
    depth: { type: 'string' },
    k1: { type: 'string' },
    b: { type: 'string' },
    model: { type: 'string' },
    limit: { type: 'string' },
    queries: { type: 'string', default: 'all' },
    qa: { type: 'boolean', default: false },
    offtopic: { type: 'string', multiple: true, default: [] },
    budget: { type: 'string', default: '700' },
    followups: { type: 'string' },
    summaries: { type: 'boolean', default: false },
    words: { type: 'string', default: '150' },
    // Each mode has its own default half: summaries all, lists tune, tables report.
    split: { type: 'string' },
    embed: { type: 'boolean', default: false },
    'make-leads': { type: 'string' },
    lists: { type: 'boolean', default: false },
    entries: { type: 'string', default: '240' },
    'no-embed': { type: 'boolean', default: false },
    bench: { type: 'string' },
    long: { type: 'boolean', default: false },
    pdf: { type: 'boolean', default: false },
    tables: { type: 'boolean', default: false },
    data: { type: 'string', default: '../shared/data/tables' },
    verbose: { type: 'boolean', default: false },
  },
});

if (values.tables && positionals[0]) {
  const { tableBench, tableEval } = await import('./lib/tableEval');
  const split = (values.split ?? 'report') as 'tune' | 'report' | 'all';
  const result = await tableEval(positionals[0], { data: values.data!, split, verbose: values.verbose! });
  console.log(`\nTable questions on ${positionals[0]} (${split} half)`);
  console.log('| metric | value |\n|---|---|');
  for (const k of ['questions', 'tables', 'exact', 'declined', 'wrong', 'ms_p50', 'ms_max'] as const)
    console.log(`| ${k} | ${result[k]} |`);
  for (const w of result.wrongQuestions) console.log(`wrong: ${w}`);
  if (values.bench !== undefined) console.log(`100k-row bench: ${JSON.stringify(await tableBench(values.data!))}`);
  console.log(JSON.stringify(result));
  process.exit(0);
}

if (values.followups !== undefined && positionals[0]) {
  const { followUpEval } = await import('./lib/qaEval');
  console.log(JSON.stringify(await followUpEval(positionals[0], values.followups || undefined)));
  process.exit(0);
}

if (values['make-leads'] && positionals[0]) {
  const { writeLeadSet } = await import('./lib/summaryEval');
  console.log(`${writeLeadSet(positionals[0], values['make-leads'])} documents written to ${values['make-leads']}`);
  process.exit(0);
}

if (values.lists && values.bench) {
  const { listBench } = await import('./lib/listEval');
  console.log(JSON.stringify(await listBench(Number(values.bench))));
  process.exit(0);
}

if (values.lists) {
  const { listEval } = await import('./lib/listEval');
  const split = values.split === 'report' ? 'report' : 'tune';
  const fixtures = path.resolve(process.env.FOLIO_FIXTURES ?? '../shared/fixtures/docs');
  console.log(
    JSON.stringify(await listEval({ split, entries: Number(values.entries), embed: !values['no-embed'], fixtures })),
  );
  process.exit(0);
}

if (values.summaries && values.pdf && positionals[0]) {
  const { pdfSummaryEval } = await import('./lib/summaryEval');
  console.log(JSON.stringify(await pdfSummaryEval(positionals[0], Number(values.words))));
  process.exit(0);
}

if (values.summaries && values.long && positionals[0]) {
  const { longSummaryBench } = await import('./lib/summaryEval');
  console.log(JSON.stringify(await longSummaryBench(positionals[0], Number(values.words))));
  process.exit(0);
}

if (values.summaries && positionals[0]) {
  const { summaryEval } = await import('./lib/summaryEval');
  const split = (values.split ?? 'all') as 'tune' | 'report' | 'all';
  if (!['tune', 'report', 'all'].includes(split)) throw new Error(`--split must be tune, report or all, not ${split}`);
  const weights = process.env.FOLIO_SUMMARY_WEIGHTS ? JSON.parse(process.env.FOLIO_SUMMARY_WEIGHTS) : undefined;
  console.log(
    JSON.stringify(
      await summaryEval(positionals[0], { words: Number(values.words), split, embed: values.embed!, weights }),
    ),
  );
  process.exit(0);
}

if (values.qa && positionals[0]) {
  const { qaEval } = await import('./lib/qaEval');
  const result = await qaEval(positionals[0], {
    offtopic: values.offtopic!,
    k: Number(values.k ?? 6),
    budgetTokens: Number(values.budget),
  });
  console.log(JSON.stringify(result));
  process.exit(0);
}

const dir = positionals[0];
const modes: Record<string, SearchMode> = { dense: 'dense', bm25: 'keyword', keyword: 'keyword', hybrid: 'hybrid' };
const mode = modes[values.mode!];
if (!dir || !mode) {
  console.error(
    'usage: npm run eval -- <beir-dir> [--mode dense|bm25|hybrid] [--k 10] [--chunk N] [--overlap N] [--fusion zscore|minmax|rrf] [--weight W] [--k1 X --b Y] [--queries all|even|odd] [--limit N]',
  );
  console.error('       npm run eval -- <qa-dir> --qa [--offtopic queries.jsonl]… [--k 6] [--budget 700]');
  console.error('       npm run eval -- <squad2-a dir> --followups [pairs.jsonl]');
  console.error('       npm run eval -- <dir> --summaries [--words 150] [--split tune|report|all] [--embed] [--long]');
  console.error('       npm run eval -- <paper.pdf> --summaries --pdf [--words 150]');
  console.error('       npm run eval -- <squad2-a dir> --make-leads <out-dir>');
  console.error(
    '       npm run eval -- --lists [--split tune|report] [--entries 240] [--no-embed] | --lists --bench 100000',
  );
  console.error(
    '       npm run eval -- test/fixtures/tables --tables [--split report|tune|all] [--data ../shared/data/tables] [--verbose] [--bench 100000]',
  );
  process.exit(2);
}
const k = Number(values.k ?? 10);
const beir = loadBeir(dir, {
  ...(values.limit ? { limit: Number(values.limit) } : {}),
  split: values.queries as 'all' | 'even' | 'odd',
});

const embedder = await createTransformersEmbedder({ dtype: 'q8', ...(values.model ? { model: values.model } : {}) });
const library = await openLibrary({
  name: `eval-${Date.now()}`,
  embedder,
  chunking: {
    ...(values.chunk ? { maxTokens: Number(values.chunk) } : {}),
    ...(values.overlap ? { overlapTokens: Number(values.overlap) } : {}),
  },
  ...(values.k1 || values.b ? { bm25: { k1: Number(values.k1 ?? 0.9), b: Number(values.b ?? 0.4) } } : {}),
});

const t0 = performance.now();
let lastReport = 0;
const outcomes = await library.addParsed(beirDocuments(beir), (p) => {
  if (p.stage === 'done' && p.fileIndex - lastReport >= 500) {
    lastReport = p.fileIndex;
    process.stderr.write(
      `indexed ${p.fileIndex + 1}/${p.fileCount} documents (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`,
    );
  }
});
const indexSeconds = (performance.now() - t0) / 1000;
const failed = outcomes.filter((o) => o.status !== 'added');
if (failed.length)
  process.stderr.write(
    `${failed.length} documents not indexed: ${failed
      .slice(0, 3)
      .map((o) => ('error' in o ? o.error.message : ''))
      .join('; ')}\n`,
  );
const docs = await library.listDocuments();

const fusion: Partial<FusionOptions> = {
  ...(values.fusion ? { method: values.fusion as FusionOptions['method'] } : {}),
  ...(values.weight ? { denseWeight: Number(values.weight) } : {}),
  ...(values.depth ? { depth: Number(values.depth) } : {}),
};
const s = await score(library, beir, { mode, fusion }, k);
const round = (x: number, digits = 4) => Number(x.toFixed(digits));
const result = {
  mode: values.mode,
  docs: docs.length,
  queries: beir.queries.length,
  [`ndcg@${k}`]: round(s.ndcg10),
  [`recall@${k}`]: round(s.recall10),
  'recall@100': round(s.recall100),
  [`mrr@${k}`]: round(s.mrr10),
  index_s: round(indexSeconds, 1),
  query_ms_p50: round(s.queryMsP50, 2),
};

const chunks = docs.reduce((n, d) => n + d.chunkCount, 0);
console.log(
  `\nRetrieval on ${path.basename(path.resolve(dir))} — ${embedder.model.id} (${embedder.dtype}, ${embedder.device}), ${chunks} chunks`,
);
console.log('| metric | value |\n|---|---|');
for (const [name, value] of Object.entries(result)) console.log(`| ${name} | ${value} |`);
console.log(JSON.stringify(result));
library.close();
await embedder.dispose();
