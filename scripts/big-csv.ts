/**
 * Writes a large CSV for the "1M-row CSV" measure of issue 24 (docs/tables.md, "Large tables"):
 * seattle-weather.csv's columns, `rows` rows of varied values, streamed to `out` (never kept in
 * the repository: 1,000,000 rows are about 45 MB).
 *
 *   npx tsx scripts/big-csv.ts /tmp/big/weather-1m.csv 1000000
 */
import fs from 'node:fs';

const [out, rowsArg] = process.argv.slice(2);
if (!out) throw new Error('usage: npx tsx scripts/big-csv.ts <out.csv> [rows]');
const rows = Number(rowsArg ?? 1_000_000);
const WEATHER = ['drizzle', 'rain', 'sun', 'snow', 'fog'];
const file = fs.createWriteStream(out);
file.write('date,precipitation,temp_max,temp_min,wind,weather\n');
const day = 86_400_000;
const start = Date.UTC(1900, 0, 1);
let chunk = '';
for (let i = 0; i < rows; i++) {
  // A deterministic spread of values (no randomness: the same file every time).
  const date = new Date(start + (i % 40_000) * day).toISOString().slice(0, 10);
  const precipitation = ((i * 7919) % 557) / 10;
  const max = (((i * 104_729) % 400) - 50) / 10;
  const min = max - ((i * 31) % 90) / 10;
  const wind = ((i * 17) % 95) / 10;
  chunk += `${date},${precipitation},${max},${min.toFixed(1)},${wind},${WEATHER[(i * 13) % 5]}\n`;
  if (chunk.length > 1 << 20) {
    if (!file.write(chunk)) await new Promise<void>((resolve) => file.once('drain', () => resolve()));
    chunk = '';
  }
}
file.end(chunk);
await new Promise<void>((resolve) => file.on('finish', () => resolve()));
console.log(`${out}: ${rows.toLocaleString('en-US')} rows, ${fs.statSync(out).size.toLocaleString('en-US')} bytes`);
