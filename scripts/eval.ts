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
 */
import { parseArgs } from 'node:util';
import { EVAL_OPTIONS, runEval } from '../src/cli/evalCommand';
import { SEARCH_DEFAULTS } from '../src/core';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    ...EVAL_OPTIONS,
    qa: { type: 'boolean', default: false },
    offtopic: { type: 'string', multiple: true, default: [] },
    budget: { type: 'string', default: '700' },
    followups: { type: 'string' },
  },
});

if (values.followups !== undefined && positionals[0]) {
  const { followUpEval } = await import('./lib/qaEval');
  console.log(JSON.stringify(await followUpEval(positionals[0], values.followups || undefined)));
  process.exit(0);
}

if (values.qa && positionals[0]) {
  const { qaEval } = await import('./lib/qaEval');
  const result = await qaEval(positionals[0], {
    offtopic: values.offtopic!,
    k: Number(values.k ?? SEARCH_DEFAULTS.k.answer),
    budgetTokens: Number(values.budget),
  });
  console.log(JSON.stringify(result));
  process.exit(0);
}

if (!positionals[0]) {
  console.error('usage: npm run eval -- <beir-dir> [--mode dense|bm25|hybrid] [--k 10] …  (as folio eval)');
  console.error('       npm run eval -- <qa-dir> --qa [--offtopic queries.jsonl]… [--k 6] [--budget 700]');
  console.error('       npm run eval -- <squad2-a dir> --followups [pairs.jsonl]');
  process.exit(2);
}
process.exitCode = await runEval(process.argv.slice(2), 'npm run eval --');
