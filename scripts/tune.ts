/**
 * Measures retrieval settings on a BEIR folder: indexes once per chunking setting, then sweeps
 * BM25 parameters and fusion methods/weights over that same index. Tune on one half of the
 * queries (--queries even) and confirm on the other (odd) to avoid fitting the test set.
 *
 *   npx tsx scripts/tune.ts ../shared/data/scifact --chunks 200:32,128:24 --queries even
 */
import 'fake-indexeddb/auto';
import { parseArgs } from 'node:util';
import { createTransformersEmbedder, openLibrary, type SearchOptions } from '../src/core';
import { beirDocuments, loadBeir, score } from '../src/cli/beir';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    chunks: { type: 'string', default: '200:32' },
    queries: { type: 'string', default: 'all' },
    sweep: { type: 'string', default: 'full' },
  },
});
const beir = loadBeir(positionals[0]!, { split: values.queries as 'all' | 'even' | 'odd' });
const embedder = await createTransformersEmbedder({ dtype: 'q8' });

for (const setting of values.chunks!.split(',')) {
  const [maxTokens, overlapTokens] = setting.split(':').map(Number) as [number, number];
  const t0 = performance.now();
  const library = await openLibrary({
    name: `tune-${setting}-${Date.now()}`,
    embedder,
    chunking: { maxTokens, overlapTokens },
  });
  await library.addParsed(beirDocuments(beir));
  const chunks = (await library.listDocuments()).reduce((n, d) => n + d.chunkCount, 0);
  console.log(
    `\n## chunks ≤ ${maxTokens} tokens, overlap ${overlapTokens}: ${chunks} chunks, indexed in ${((performance.now() - t0) / 1000).toFixed(0)} s (${values.queries} queries: ${beir.queries.length})`,
  );
  const runs: [string, SearchOptions][] = [['dense', { mode: 'dense' }]];
  if (values.sweep === 'full') {
    for (const [k1, b] of [
      [0.9, 0.4],
      [1.2, 0.75],
      [1.2, 0.5],
      [1.5, 0.5],
      [0.7, 0.3],
    ])
      runs.push([`bm25 k1=${k1} b=${b}`, { mode: 'keyword', bm25: { k1: k1!, b: b! } }]);
    for (const method of ['rrf', 'zscore', 'minmax'] as const) {
      for (const w of [0.3, 0.4, 0.5, 0.6, 0.7])
        runs.push([`hybrid ${method} w=${w}`, { mode: 'hybrid', fusion: { method, denseWeight: w } }]);
    }
  } else {
    // Focused: the candidates left after the full sweep.
    for (const [k1, b] of [
      [0.9, 0.4],
      [1.2, 0.75],
    ]) {
      const bm25 = { k1: k1!, b: b! };
      runs.push([`bm25 k1=${k1} b=${b}`, { mode: 'keyword', bm25 }]);
      runs.push([
        `hybrid rrf w=0.5, bm25 ${k1}/${b}`,
        { mode: 'hybrid', bm25, fusion: { method: 'rrf', denseWeight: 0.5 } },
      ]);
      for (const w of [0.4, 0.5])
        runs.push([
          `hybrid zscore w=${w}, bm25 ${k1}/${b}`,
          { mode: 'hybrid', bm25, fusion: { method: 'zscore', denseWeight: w } },
        ]);
    }
  }
  const even = beir.queries.filter((_, i) => i % 2 === 0);
  const odd = beir.queries.filter((_, i) => i % 2 === 1);
  console.log(
    '| run | nDCG@10 | nDCG@10 even half | nDCG@10 odd half | R@10 | R@100 | MRR@10 |\n|---|---|---|---|---|---|---|',
  );
  for (const [name, opts] of runs) {
    const s = await score(library, beir, opts);
    const e = await score(library, beir, opts, 10, even);
    const o = await score(library, beir, opts, 10, odd);
    console.log(
      `| ${name} | ${s.ndcg10.toFixed(4)} | ${e.ndcg10.toFixed(4)} | ${o.ndcg10.toFixed(4)} | ${s.recall10.toFixed(4)} | ${s.recall100.toFixed(4)} | ${s.mrr10.toFixed(4)} |`,
    );
  }
  library.close();
}
