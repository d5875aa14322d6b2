/**
 * What a build's index.html loads first, gzipped: `npx tsx scripts/first-download.ts dist` after
 * `npm run build` (the shipped build; the test build, dist-test, is measured by the browser tests).
 */
import path from 'node:path';
import { firstDownload } from './lib/firstDownload';

const files = firstDownload(path.resolve(process.argv[2] ?? 'dist'));
for (const f of files) console.log(`${f.file} ${f.gzip}`);
console.log(
  JSON.stringify({
    metric: 'initial_js_gzip_bytes',
    files: files.length,
    bytes: files.reduce((n, f) => n + f.gzip, 0),
  }),
);
