/** BEIR-layout data sets (corpus.jsonl, queries.jsonl, qrels.tsv) and scoring a library against them. */
import fs from 'node:fs';
import path from 'node:path';
import {
  DocumentBuilder,
  mean,
  mrrAt,
  ndcgAt,
  percentile,
  recallAt,
  uniqueBy,
  type Library,
  type ParsedInput,
  type SearchOptions,
} from '../core';

export interface Beir {
  corpus: { _id: string; title?: string; text: string }[];
  queries: { _id: string; text: string }[];
  qrels: Map<string, Map<string, number>>;
}

export function loadBeir(dir: string, opts: { limit?: number; split?: 'all' | 'even' | 'odd' } = {}): Beir {
  const readJsonl = <T>(file: string): T[] =>
    fs
      .readFileSync(path.join(dir, file), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as T);
  let corpus = readJsonl<Beir['corpus'][number]>('corpus.jsonl');
  if (opts.limit) corpus = corpus.slice(0, opts.limit);
  const qrels = new Map<string, Map<string, number>>();
  for (const line of fs.readFileSync(path.join(dir, 'qrels.tsv'), 'utf8').split('\n').slice(1)) {
    const [qid, did, score] = line.trim().split(/\t/);
    if (!qid || !did) continue;
    if (!qrels.has(qid)) qrels.set(qid, new Map());
    qrels.get(qid)!.set(did, Number(score));
  }
  // Only judged queries count; even/odd halves let settings tuned on one half be checked on the other.
  let queries = readJsonl<Beir['queries'][number]>('queries.jsonl').filter((q) => qrels.has(q._id));
  if (opts.split === 'even') queries = queries.filter((_, i) => i % 2 === 0);
  if (opts.split === 'odd') queries = queries.filter((_, i) => i % 2 === 1);
  return { corpus, queries, qrels };
}

/** Each record becomes a document: its title as the top heading, its text as one paragraph. */
export function beirDocuments(beir: Beir): ParsedInput[] {
  return beir.corpus.map((d) => {
    const builder = new DocumentBuilder('text');
    if (d.title?.trim()) builder.heading(d.title, 1);
    builder.block(d.text);
    return { name: d._id, parsed: builder.build() };
  });
}

export interface Scores {
  ndcg10: number;
  recall10: number;
  recall100: number;
  mrr10: number;
  queryMsP50: number;
}

/** Documents are scored by their best chunk; enough chunks are fetched to fill 100 documents. */
export async function score(
  library: Library,
  beir: Beir,
  opts: SearchOptions,
  k = 10,
  queries = beir.queries,
): Promise<Scores> {
  const nameOf = new Map((await library.listDocuments()).map((d) => [d.id, d.name]));
  const ndcg: number[] = [];
  const r10: number[] = [];
  const r100: number[] = [];
  const mrr: number[] = [];
  const ms: number[] = [];
  for (const q of queries) {
    const start = performance.now();
    const hits = await library.rank(q.text, { ...opts, k: 300 });
    ms.push(performance.now() - start);
    const ranked = uniqueBy(hits, (h) => nameOf.get(h.docId)!);
    const rel = beir.qrels.get(q._id)!;
    ndcg.push(ndcgAt(ranked, rel, k));
    r10.push(recallAt(ranked, rel, k));
    r100.push(recallAt(ranked, rel, 100));
    mrr.push(mrrAt(ranked, rel, k));
  }
  return {
    ndcg10: mean(ndcg),
    recall10: mean(r10),
    recall100: mean(r100),
    mrr10: mean(mrr),
    queryMsP50: percentile(ms, 50),
  };
}
