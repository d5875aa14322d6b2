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
 * With --structure, the PDF parser's structure on the real papers (scripts/lib/structure.ts).
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
    structure: { type: 'boolean', default: false },
  },
});

if (values.structure && positionals[0]) {
  const { structureEval } = await import('./lib/structure');
  console.log(JSON.stringify(await structureEval(positionals[0])));
  process.exit(0);
}

if (values.followups !== undefined && positionals[0]) {
  const { followUpEval } = await import('./lib/qaEval');
  console.log(JSON.stringify(await followUpEval(positionals[0], values.followups || undefined)));
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
  console.error('       npm run eval -- test/fixtures/papers-qa --structure');
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
