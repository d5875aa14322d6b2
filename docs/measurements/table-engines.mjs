// Table engines compared on one 100k-row table: load size and time, query time, answers.
// Run from a scratch folder (not the project: neither engine is a dependency of Folio):
//   npm install -E arquero@8.0.3 @uwdata/flechette@2.6.0 @duckdb/duckdb-wasm@1.32.0 papaparse
//   node table-engines.mjs arquero <folio>/../shared/data/tables/birdstrikes.csv
//   node --disallow-code-generation-from-strings table-engines.mjs arquero <…>/birdstrikes.csv
//   node table-engines.mjs duckdb <…>/birdstrikes.csv
// (flechette 2.6.0 first: 2.7.0 needs @uwdata/wk-geojson, which the registry here does not have.)
import fs from 'node:fs';
import { createRequire } from 'node:module';
import zlib from 'node:zlib';
import Papa from 'papaparse';
const require = createRequire(import.meta.url);
const which = process.argv[2];
const src = fs.readFileSync(process.argv[3] ?? '../shared/data/tables/birdstrikes.csv', 'utf8');
const parsed = Papa.parse(src, { header: true, skipEmptyLines: true }).data;
const rows = [];
for (let i = 0; i < 10; i++) rows.push(...parsed);
const cols = { state: rows.map((r) => r['Origin State']), size: rows.map((r) => r['Wildlife Size']),
  year: rows.map((r) => Number(r['Flight Date'].slice(0, 4))), cost: rows.map((r) => Number(r['Cost Total $'])) };
const n = rows.length;
const t = () => performance.now();
const size = (f) => { const b = fs.readFileSync(f); return `${(b.length / 1e6).toFixed(2)} MB raw, ${(zlib.brotliCompressSync(b).length / 1e6).toFixed(2)} MB brotli`; };
const Q = ['count state=Texas & year=2000', 'sum cost where size=Large', 'argmax state by count'];
const timeit = async (f) => { const out = []; for (let i = 0; i < 5; i++) { const s = t(); const v = await f(); out.push(t() - s); if (i === 4) return { v, ms: out.sort((a, b) => a - b)[2] }; } };
// Plain loops: the reference the answers are checked against.
const ref = [cols.state.filter((s, i) => s === 'Texas' && cols.year[i] === 2000).length,
  cols.cost.reduce((a, c, i) => (cols.size[i] === 'Large' ? a + c : a), 0),
  (() => { const m = new Map(); for (const s of cols.state) m.set(s, (m.get(s) ?? 0) + 1); return [...m].sort((a, b) => b[1] - a[1])[0][0]; })()];
console.log(`${which}: ${n} rows; reference answers ${JSON.stringify(ref)}`);
if (which === 'arquero') {
  const f = require.resolve('arquero/dist/arquero.min.js');
  console.log(`load size: ${size(f)} (arquero.min.js, bundles flechette and acorn)`);
  let s = t(); const aq = await import('arquero'); console.log(`load time: ${(t() - s).toFixed(0)} ms (import)`);
  s = t(); const dt = aq.table(cols); console.log(`table from columns: ${(t() - s).toFixed(1)} ms`);
  const qs = [() => dt.params({ st: 'Texas' }).filter((d, $) => d.state === $.st && d.year === 2000).numRows(),
    () => dt.params({ sz: 'Large' }).filter((d, $) => d.size === $.sz).rollup({ v: aq.op.sum('cost') }).get('v', 0),
    () => dt.groupby('state').count().orderby(aq.desc('count')).get('state', 0)];
  for (let i = 0; i < qs.length; i++) { try { const r = await timeit(qs[i]); console.log(`${Q[i]}: ${r.ms.toFixed(1)} ms → ${r.v} ${r.v === ref[i] ? 'ok' : 'WRONG'}`); } catch (e) { console.log(`${Q[i]}: FAILED ${e.constructor.name}: ${e.message}`); } }
} else {
  const duckdb = require('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
  const dir = require.resolve('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm').replace(/duckdb-eh\.wasm$/, '');
  console.log(`load size: ${size(dir + 'duckdb-eh.wasm')} (duckdb-eh.wasm) + ${size(dir + 'duckdb-browser-eh.worker.js')} (worker)`);
  let s = t();
  const db = await duckdb.createDuckDB({ mvp: { mainModule: dir + 'duckdb-mvp.wasm', mainWorker: dir + 'duckdb-node-mvp.worker.cjs' }, eh: { mainModule: dir + 'duckdb-eh.wasm', mainWorker: dir + 'duckdb-node-eh.worker.cjs' } }, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await db.instantiate(); const c = db.connect(); console.log(`load time: ${(t() - s).toFixed(0)} ms (instantiate + connect)`);
  s = t(); db.registerFileText('t.csv', 'state,size,year,cost\n' + rows.map((r, i) => [JSON.stringify(cols.state[i]), JSON.stringify(cols.size[i]), cols.year[i], cols.cost[i]].join(',')).join('\n'));
  c.query(`CREATE TABLE t AS SELECT * FROM read_csv('t.csv', header = true, columns = {'state': 'VARCHAR', 'size': 'VARCHAR', 'year': 'INTEGER', 'cost': 'DOUBLE'})`); console.log(`table from rows: ${(t() - s).toFixed(1)} ms`);
  const one = (sql, p) => { const st = c.prepare(sql); const r = st.query(...p).toArray()[0]; st.close(); return Object.values(r.toJSON())[0]; };
  const qs = [() => Number(one('SELECT count(*) FROM t WHERE state = ? AND year = ?', ['Texas', 2000])),
    () => Number(one('SELECT sum(cost) FROM t WHERE size = ?', ['Large'])),
    () => one('SELECT state FROM t GROUP BY state ORDER BY count(*) DESC LIMIT 1', [])];
  for (let i = 0; i < qs.length; i++) { try { const r = await timeit(qs[i]); console.log(`${Q[i]}: ${r.ms.toFixed(1)} ms → ${r.v} ${r.v === ref[i] ? 'ok' : 'WRONG'}`); } catch (e) { console.log(`${Q[i]}: FAILED ${e.constructor.name}: ${e.message}`); } }
}
