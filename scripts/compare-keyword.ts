/**
 * Hand-written BM25 index vs MiniSearch, on a BEIR folder, same analyzer for both: retrieval
 * quality, build time, and what persisting costs (size written per added document; load time).
 *
 *   npx tsx scripts/compare-keyword.ts ../shared/data/scifact
 */
import MiniSearch from 'minisearch';
import { analyze, buildPostings, KeywordIndex, mean, ndcgAt } from '../src/core';
import { loadBeir } from './lib/beir';

const beir = loadBeir(process.argv[2] ?? '../shared/data/scifact');
const docs = beir.corpus.map((d) => ({ id: d._id, text: `${d.title ?? ''}\n${d.text}` }));
const ms = (t0: number) => (performance.now() - t0).toFixed(0);
const evalRun = (search: (q: string) => string[]) => mean(beir.queries.map((q) => ndcgAt(search(q.text), beir.qrels.get(q._id)!, 10)));

// Ours: postings per document (what IndexedDB stores), then the in-memory index.
let t0 = performance.now();
const records = docs.map((d) => ({ id: d.id, postings: buildPostings([d.text]) }));
const ours = new KeywordIndex({ k1: 0.9, b: 0.4 });
for (const r of records) ours.add(r.id, r.postings);
const oursBuild = ms(t0);
const recordBytes = records.map((r) => JSON.stringify(r.postings.terms).length + r.postings.data.byteLength);
t0 = performance.now();
const reloaded = new KeywordIndex({ k1: 0.9, b: 0.4 });
for (const r of records) reloaded.add(r.id, r.postings);
const oursLoad = ms(t0);
const oursNdcg = evalRun((q) => ours.search(q, 10).map((h) => h.docId));

// MiniSearch with the same analyzer and BM25 parameters (it scores with BM25+, d = 0.5).
t0 = performance.now();
const mini = new MiniSearch({ fields: ['text'], idField: 'id', tokenize: analyze, processTerm: (t) => t, searchOptions: { bm25: { k: 0.9, b: 0.4, d: 0.5 } } });
mini.addAll(docs);
const miniBuild = ms(t0);
t0 = performance.now();
const snapshot = JSON.stringify(mini);
const miniSave = ms(t0);
t0 = performance.now();
MiniSearch.loadJSON(snapshot, { fields: ['text'], idField: 'id', tokenize: analyze, processTerm: (t) => t });
const miniLoad = ms(t0);
const miniNdcg = evalRun((q) => mini.search(q).slice(0, 10).map((r) => String(r.id)));

console.log(`Keyword index on ${beir.corpus.length} documents, ${beir.queries.length} queries (same analyzer)`);
console.log('| | nDCG@10 | build ms | written per added document | load ms |\n|---|---|---|---|---|');
console.log(`| Folio KeywordIndex | ${oursNdcg.toFixed(4)} | ${oursBuild} | ${(mean(recordBytes) / 1024).toFixed(1)} KiB (its own postings, in the same transaction) | ${oursLoad} |`);
console.log(`| MiniSearch 7 | ${miniNdcg.toFixed(4)} | ${miniBuild} | ${(snapshot.length / 1024 / 1024).toFixed(1)} MiB (whole-index snapshot, ${miniSave} ms to serialise) | ${miniLoad} |`);
