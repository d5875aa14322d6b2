/**
 * Does "not in your documents" leave a library's own questions alone? Asks every query of a
 * BEIR-layout folder of its own corpus through the answer pipeline and prints how many were
 * declined. Coverage was calibrated on SQuAD; SciFact is another domain and another question
 * style (claims), so this shows whether the line carries over.
 *
 *   npx tsx scripts/decline-rate.ts ../shared/data/scifact
 */
import 'fake-indexeddb/auto';
import {
  answer,
  applyAnswerEvent,
  createTransformersEmbedder,
  libraryRetriever,
  newAnswerRecord,
  openLibrary,
} from '../src/core';
import { beirDocuments, loadBeir } from '../src/cli/beir';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: npx tsx scripts/decline-rate.ts <beir-dir>');
  process.exit(2);
}
const beir = loadBeir(dir);
const embedder = await createTransformersEmbedder({ dtype: 'q8' });
const library = await openLibrary({ name: `coverage-${Date.now()}`, embedder });
await library.addParsed(beirDocuments(beir));
const retriever = libraryRetriever(library, embedder);
let declined = 0;
for (const q of beir.queries) {
  let record = newAnswerRecord(q.text);
  for await (const e of answer(q.text, { retriever })) record = applyAnswerEvent(record, e);
  if (record.declined) {
    declined++;
    console.log(`declined: ${q.text} (coverage ${record.coverage?.score.toFixed(3)})`);
  }
}
console.log(
  JSON.stringify({
    queries: beir.queries.length,
    declined,
    declined_share: Number((declined / beir.queries.length).toFixed(4)),
  }),
);
library.close();
await embedder.dispose();
