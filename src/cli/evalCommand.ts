/**
 * Retrieval evaluation on a BEIR-layout folder (corpus.jsonl, queries.jsonl, qrels.tsv), through
 * the very same core the app runs: chunking, embedding, the stores (fake-indexeddb here) and
 * search. Prints a table, then as its last line one JSON object with the figures. `folio eval`
 * and `npm run eval` (scripts/eval.ts, which adds the answer evaluations) both run it.
 */
import 'fake-indexeddb/auto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createTransformersEmbedder, openLibrary, type FusionOptions, type SearchMode } from '../core';
import { beirDocuments, loadBeir, score } from './beir';

/** The options `runEval` reads; scripts/eval.ts adds its own to them. */
export const EVAL_OPTIONS = {
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
} as const;

/** Runs the evaluation `argv` asks for; returns the exit code (2: wrong arguments, with the usage). */
export async function runEval(argv: string[], command = 'folio eval'): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: EVAL_OPTIONS });
  const dir = positionals[0];
  const modes: Record<string, SearchMode> = { dense: 'dense', bm25: 'keyword', keyword: 'keyword', hybrid: 'hybrid' };
  const mode = modes[values.mode!];
  if (!dir || !mode) {
    console.error(
      `usage: ${command} <beir-dir> [--mode dense|bm25|hybrid] [--k 10] [--chunk N] [--overlap N] [--fusion zscore|minmax|rrf] [--weight W] [--k1 X --b Y] [--queries all|even|odd] [--limit N]`,
    );
    return 2;
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
  return 0;
}
