import { openLibraryFile } from '../src/cli/libraryFile';
import { loadEmbedder } from '../src/cli/models';
import { askQuestion, libraryRetriever } from '../src/core';
const e = await loadEmbedder();
const { library } = await openLibraryFile(process.argv[2]!, e);
for await (const ev of askQuestion(process.argv[3]!, { source: library, retriever: libraryRetriever(library, e) })) {
  if (ev.type === 'passages') console.log('passages', ev.passages.map((p) => `${p.docName} ${p.location.headings.at(-1)?.slice(0, 40)} dense=${p.dense?.toFixed(3)}`));
  else console.log(JSON.stringify(ev).slice(0, 400));
}
process.exit(0);
