/**
 * Retrieval evaluation on a BEIR-layout folder (corpus.jsonl, queries.jsonl, qrels.tsv), as
 * `folio eval` runs it (src/cli/evalCommand.ts): a table, then one JSON line with the figures.
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
 *
 * With --structure, the PDF parser's structure on the real papers (scripts/lib/structure.ts).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EVAL_OPTIONS, runEval } from '../src/cli/evalCommand';
import { QUOTE_CUT_KINDS, type QuoteCut, SEARCH_DEFAULTS, type SearchOptions } from '../src/core';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    ...EVAL_OPTIONS,
    qa: { type: 'boolean', default: false },
    offtopic: { type: 'string', multiple: true, default: [] },
    budget: { type: 'string', default: '700' },
    followups: { type: 'string' },
    summaries: { type: 'boolean', default: false },
    words: { type: 'string', default: '150' },
    // Each mode has its own default half: summaries all, lists tune, tables report.
    split: { type: 'string' },
    embed: { type: 'boolean', default: false },
    trim: { type: 'string' },
    cuts: { type: 'string' },
    fit: { type: 'boolean', default: false },
    lambda: { type: 'string', default: '10' },
    scale: { type: 'string', default: '4' },
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
    structure: { type: 'boolean', default: false },
    // Search options (JSON) to compare with the plain run on the same library (--qa).
    search: { type: 'string', multiple: true, default: [] },
  },
});

if (values.structure && positionals[0]) {
  const { structureEval } = await import('./lib/structure');
  console.log(JSON.stringify(await structureEval(positionals[0])));
  process.exit(0);
}

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

// Weights (FOLIO_SUMMARY_WEIGHTS, JSON) and what the quotes lose (--cuts citations,pointers,… or none;
// --trim citations|asides is how the docs' earlier rows were run): what the summary sets are tuned with.
const summaryWeights = process.env.FOLIO_SUMMARY_WEIGHTS ? JSON.parse(process.env.FOLIO_SUMMARY_WEIGHTS) : undefined;
const TRIMS: Record<string, QuoteCut[]> = { none: [], citations: ['citations'], asides: ['citations', 'asides'] };
if (values.trim && values.cuts) throw new Error('--cuts and --trim say the same thing: give one of them');
if (values.trim && !TRIMS[values.trim]) throw new Error(`--trim must be none, citations or asides, not ${values.trim}`);
const cutList = values.cuts === 'none' ? [] : (values.cuts?.split(',') as QuoteCut[] | undefined);
for (const c of cutList ?? [])
  if (!QUOTE_CUT_KINDS.includes(c))
    throw new Error(`--cuts: ${c} is not one of ${QUOTE_CUT_KINDS.join(', ')} (or none)`);
const summaryCuts = cutList ?? (values.trim ? TRIMS[values.trim] : undefined);

if (values.summaries && values.pdf && positionals[0]) {
  const { pdfSummaryEval, tuneIds } = await import('./lib/summaryEval');
  // The same papers as text in ../summaries: rows whose text is in its tune half are marked.
  const tuned = tuneIds(path.join(path.dirname(path.resolve(positionals[0])), 'summaries'));
  const options = {
    ...(summaryWeights ? { weights: summaryWeights } : {}),
    ...(summaryCuts ? { cuts: summaryCuts } : {}),
  };
  console.log(JSON.stringify(await pdfSummaryEval(positionals[0], Number(values.words), tuned, options)));
  process.exit(0);
}

if (values.summaries && values.fit && positionals[0]) {
  const { summaryFit } = await import('./lib/summaryFit');
  const options = { words: Number(values.words), lambda: Number(values.lambda), scale: Number(values.scale) };
  console.log(JSON.stringify(await summaryFit(positionals[0], options)));
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
  console.log(
    JSON.stringify(
      await summaryEval(positionals[0], {
        words: Number(values.words),
        split,
        embed: values.embed!,
        weights: summaryWeights,
        ...(summaryCuts ? { cuts: summaryCuts } : {}),
      }),
    ),
  );
  process.exit(0);
}

if (values.qa && positionals[0]) {
  const { qaEval } = await import('./lib/qaEval');
  const result = await qaEval(positionals[0], {
    offtopic: values.offtopic!,
    k: Number(values.k ?? SEARCH_DEFAULTS.k.answer),
    budgetTokens: Number(values.budget),
    variants: values.search!.map((json) => JSON.parse(json) as SearchOptions),
  });
  console.log(JSON.stringify(result));
  process.exit(0);
}

if (!positionals[0]) {
  console.error('usage: npm run eval -- <beir-dir> [--mode dense|bm25|hybrid] [--k 10] …  (as folio eval)');
  console.error(
    '       npm run eval -- <qa-dir> --qa [--offtopic queries.jsonl]… [--k 6] [--budget 700] [--search <json>]…',
  );
  console.error('       npm run eval -- <squad2-a dir> --followups [pairs.jsonl]');
  console.error(
    '       npm run eval -- <dir> --summaries [--words 150] [--split tune|report|all] [--embed] [--cuts citations,pointers,…|none] [--long]',
    '       npm run eval -- <dir> --summaries --fit [--lambda 10] [--scale 4]',
  );
  console.error('       npm run eval -- <paper.pdf | papers dir> --summaries --pdf [--words 150]');
  console.error('       npm run eval -- <squad2-a dir> --make-leads <out-dir>');
  console.error(
    '       npm run eval -- --lists [--split tune|report] [--entries 240] [--no-embed] | --lists --bench 100000',
  );
  console.error(
    '       npm run eval -- test/fixtures/tables --tables [--split report|tune|all] [--data ../shared/data/tables] [--verbose] [--bench 100000]',
  );
  console.error('       npm run eval -- test/fixtures/papers-qa --structure');
  process.exit(2);
}
process.exitCode = await runEval(process.argv.slice(2), 'npm run eval --');
