import { openLibraryFile } from '../src/cli/libraryFile';
import { loadEmbedder } from '../src/cli/models';
const e = await loadEmbedder();
const { library } = await openLibraryFile(process.argv[2]!, e);
const docs = await library.listDocuments();
const d = docs.find((x) => x.name === process.argv[4]);
for (const mode of ['hybrid', 'keyword', 'dense'] as const) {
  const hits = await library.search(process.argv[3]!, { k: 5, mode, ...(d ? { documents: [d.id] } : {}) });
  console.log(mode, hits.map((h) => `${h.docName.slice(0,12)} ${h.location.headings.at(-1)?.slice(0, 30)} ${h.score.toFixed(3)}`));
}
process.exit(0);
