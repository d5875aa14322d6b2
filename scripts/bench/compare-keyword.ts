/**
 * Folio's BM25 index against Orama's full-text search and MiniSearch on a BEIR folder: nDCG@10,
 * query p50, index build, bytes stored, and what persisting one added document writes. Each peer
 * runs twice: with Folio's analyzer and BM25 settings (as far as it allows), and with its own
 * defaults. Also part of `BENCH_ONLY=peers npm run bench`.
 *
 *   npx tsx scripts/bench/compare-keyword.ts ../shared/data/scifact
 */
import { create, insertMultiple, save, search, type Tokenizer } from '@orama/orama';
import MiniSearch from 'minisearch';
import { analyze, buildPostings, DEFAULT_BM25, KeywordIndex, mean, ndcgAt, percentile } from '../../src/core';
import { loadBeir } from '../../src/cli/beir';

interface Result {
  engine: string;
  settings: string;
  ndcg: number;
  queryMs: number;
  buildMs: number;
  /** The index as stored, without the documents' text (which every engine keeps apart or alongside). */
  storedBytes: number;
  /** What persisting one added document writes. */
  perAddedDocument: string;
}

export function compareKeyword(dir: string): object[] {
  const beir = loadBeir(dir);
  const docs = beir.corpus.map((d) => ({ id: d._id, text: `${d.title ?? ''}\n${d.text}` }));
  const results: Result[] = [];
  const time = <T>(f: () => T): [T, number] => {
    const t0 = performance.now();
    return [f(), performance.now() - t0];
  };
  /** nDCG@10 over all judged queries, and the median time of one query (the first 100 again, warmed up). */
  const evaluate = (run: (q: string) => string[] | Promise<string[]>) => {
    const ranked = beir.queries.map((q) => run(q.text) as string[]);
    const times = beir.queries.slice(0, 100).map((q) => time(() => run(q.text))[1]);
    return {
      ndcg: mean(beir.queries.map((q, i) => ndcgAt(ranked[i]!, beir.qrels.get(q._id)!, 10))),
      queryMs: percentile(times, 50),
    };
  };

  // Folio: postings per document (what IndexedDB stores next to the chunks), then the in-memory index.
  const [records, analyseMs] = time(() => docs.map((d) => ({ id: d.id, postings: buildPostings([d.text]) })));
  const [ours, addMs] = time(() => {
    const index = new KeywordIndex(DEFAULT_BM25);
    for (const r of records) index.add(r.id, r.postings);
    return index;
  });
  const recordBytes = records.map(
    (r) => new TextEncoder().encode(JSON.stringify(r.postings.terms)).length + r.postings.data.byteLength,
  );
  results.push({
    engine: 'folio',
    settings: `folio analyzer, BM25 k1=${DEFAULT_BM25.k1} b=${DEFAULT_BM25.b}`,
    ...evaluate((q) => ours.search(q, 10).map((h) => h.docId)),
    buildMs: analyseMs + addMs,
    storedBytes: recordBytes.reduce((a, b) => a + b, 0),
    perAddedDocument: `${(mean(recordBytes) / 1024).toFixed(1)} KiB (its own postings, in the document's transaction)`,
  });

  // MiniSearch scores with BM25+ (d = 0.5 by default); d = 0 is plain BM25, Folio's formula.
  for (const same of [true, false]) {
    const options = same
      ? {
          fields: ['text'],
          idField: 'id',
          tokenize: analyze,
          processTerm: (t: string) => t,
          searchOptions: { bm25: { k: DEFAULT_BM25.k1, b: DEFAULT_BM25.b, d: 0 } },
        }
      : { fields: ['text'], idField: 'id' };
    const [mini, buildMs] = time(() => {
      const m = new MiniSearch(options);
      m.addAll(docs);
      return m;
    });
    const snapshot = new TextEncoder().encode(JSON.stringify(mini)).length;
    results.push({
      engine: 'minisearch',
      settings: same
        ? 'folio analyzer, BM25 k1=0.9 b=0.4 d=0'
        : 'its defaults (lower-case word split, BM25+ k=1.2 b=0.7 d=0.5)',
      ...evaluate((q) =>
        mini
          .search(q)
          .slice(0, 10)
          .map((r) => String(r.id)),
      ),
      buildMs,
      storedBytes: snapshot,
      perAddedDocument: `${(snapshot / 2 ** 20).toFixed(1)} MiB (its serialisation is one snapshot of the whole index)`,
    });
  }

  // Orama matches each query term as a prefix of indexed terms (its `exact` flag instead filters
  // on the raw text), so the same analyzer still finds more terms than Folio's does.
  for (const same of [true, false]) {
    const tokenizer: Tokenizer = {
      language: 'english',
      normalizationCache: new Map(),
      tokenize: (raw: string) => analyze(raw),
    };
    const [db, buildMs] = time(() => {
      const o = create({ schema: { text: 'string' } as const, ...(same ? { components: { tokenizer } } : {}) });
      insertMultiple(
        o,
        docs.map((d) => ({ id: d.id, text: d.text })),
      );
      return o;
    });
    const relevance = same ? { k: DEFAULT_BM25.k1, b: DEFAULT_BM25.b, d: 0 } : undefined;
    const { docs: _text, ...index } = save(db);
    const stored = new TextEncoder().encode(JSON.stringify(index)).length;
    results.push({
      engine: 'orama',
      settings: same
        ? 'folio analyzer, BM25 k=0.9 b=0.4 d=0, prefix matching (always on)'
        : 'its defaults (english tokenizer, no stemming, BM25 k=1.2 b=0.75 d=0.5)',
      ...evaluate((q) =>
        (
          search(db, { term: q, limit: 10, ...(relevance ? { relevance } : {}) }) as { hits: { id: string }[] }
        ).hits.map((h) => h.id),
      ),
      buildMs,
      storedBytes: stored,
      perAddedDocument: `${(stored / 2 ** 20).toFixed(1)} MiB (save() returns the whole index)`,
    });
  }

  return results.map((r) => ({
    metric: 'keyword_scifact',
    engine: r.engine,
    settings: r.settings,
    documents: docs.length,
    queries: beir.queries.length,
    'ndcg@10': +r.ndcg.toFixed(4),
    query_p50_ms: +r.queryMs.toFixed(3),
    build_ms: Math.round(r.buildMs),
    stored_bytes: r.storedBytes,
    per_added_document: r.perAddedDocument,
  }));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of compareKeyword(process.argv[2] ?? '../shared/data/scifact')) console.log(JSON.stringify(line));
}
