/**
 * `npm run fuzz [-- --count 5000 --seed 1]`: the mutation fuzzer over every format's fixtures,
 * through the same Library.addFiles as the app (real parsers, OCR, embedding, fake-indexeddb).
 * Prints progress, then one JSON line: the count of each outcome, timeouts, unnamed failures,
 * unhandled rejections and the store's integrity. Exits non-zero if any file escaped a named outcome.
 */
import { closeOcr } from '../src/core';
import { fuzz } from './lib/fuzz';
import { freshLibrary } from './lib/library';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const count = arg('count', 5000);
const seed = arg('seed', 1);
const library = await freshLibrary({ name: `fuzz-${seed}` });
const report = await fuzz(library, { count, seed, log: (line) => console.error(line) });
library.close();
await closeOcr();
console.log(
  JSON.stringify({ fuzz: { count, seed }, ...report, timeouts: report.timeouts.length, unnamed: report.unnamed }),
);
const clean =
  !report.timeouts.length && !report.unnamed.length && !report.unhandledRejections && !report.integrityProblems.length;
process.exit(clean ? 0 : 1);
