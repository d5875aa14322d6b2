/**
 * Comparisons of named documents: the same aspects looked up in each document on its own (a search
 * over the whole library would let one document crowd out the other), one sentence per document per
 * aspect, chosen as the lookup's extract chooses it. A document where no passage near the aspect
 * holds its words gets "Not found in B" rather than its nearest guess. Without an aspect in the
 * question, an overview row (each document's best summary sentence) and the sections they share,
 * each cell its section's best summary sentence: what an introduction says, not where the word
 * "introduction" occurs.
 */
import type { ContextPassage } from '../search/context';
import type { SourceLocation } from '../types';
import { best, candidates, score, LEXICAL } from '../answer/extract';
import { acronyms, APPARATUS, asLabel, FRONT_MATTER, withoutNumber } from './headings';
import { isSectionKind, type WholeDocument, type WholeSource } from './source';
import { sectionsOfKind } from './sectionAsked';
import { type DocSentence, documentSentences, summarisePassages } from './summarise';

export interface CompareCell {
  docName: string;
  docId: string;
  /** The sentence that answers, quoted exactly, where it is and the passage holding it; absent: `missing` says so. */
  quote?: { text: string; location: SourceLocation; chunkIndex: number };
  missing?: string;
}

export interface Comparison {
  documents: string[];
  rows: { aspect: string; cells: CompareCell[] }[];
}

/** Aspects compared at most when they come from the documents rather than the question. */
const MAX_ASPECTS = 5;

export async function compareDocuments(
  source: WholeSource,
  documents: WholeDocument[],
  aspect: string | undefined,
  signal?: AbortSignal,
): Promise<Comparison> {
  // Each document's passages read once for all its rows (a row per shared section reads them all).
  const read = new Map<string, Passages>();
  const chunksOf = (id: string) => read.get(id) ?? read.set(id, source.getChunks(id)).get(id)!;
  const aspects: Aspect[] = aspect ? [{ label: aspect }] : await sharedAspects(chunksOf, documents);
  const rows: Comparison['rows'] = [];
  for (const a of aspects) {
    signal?.throwIfAborted();
    const cells: CompareCell[] = [];
    for (const d of documents)
      cells.push(
        a.section !== undefined
          ? await sectionCell(chunksOf, d, a.section ? [a.section] : [])
          : await aspectCell(source, chunksOf, d, a.label),
      );
    rows.push({ aspect: a.label, cells });
  }
  return { documents: documents.map((d) => d.name), rows };
}

type Passages = ReturnType<WholeSource['getChunks']>;
type ChunksOf = (docId: string) => Passages;

/** A row: the question's aspect (searched for), or a section the documents share (`section`: its key; '' = the whole document). */
interface Aspect {
  label: string;
  section?: string;
}

/** The row that says what each document is: its summary's best sentence. */
const OVERVIEW: Aspect = { label: 'Overview', section: '' };

/** A heading's key: without its number, lower-case ("3.1 Pre-training" and "Pre-training" are one section). */
const sectionKey = (heading: string) => withoutNumber(heading).toLowerCase();

/** Whether a sentence stands under the section (its title, the path's first heading, aside). */
const under = (s: DocSentence, section: string) => s.location.headings.slice(1).some((h) => sectionKey(h) === section);

/**
 * An aspect of the question: searched for in the document; or, when it is a kind of section the
 * document has ("Compare the limitations of LongEval and CiteSee"), those sections' best sentence —
 * CiteSee's limitations never say "limitation", and were "Not found".
 */
async function aspectCell(
  source: WholeSource,
  chunksOf: ChunksOf,
  doc: WholeDocument,
  aspect: string,
): Promise<CompareCell> {
  if (!isSectionKind(aspect)) return cell(source, doc, aspect);
  const sections = sectionsOfKind(
    aspect,
    (await chunksOf(doc.id)).map((c) => c.location.headings),
  );
  return sections.length ? sectionCell(chunksOf, doc, sections.map(sectionKey)) : cell(source, doc, aspect);
}

/**
 * The best summary sentence of a document (no `sections`), or of some of its sections. A section is
 * read sentence by sentence: a passage can hold the end of one section and the start of the next.
 */
async function sectionCell(chunksOf: ChunksOf, doc: WholeDocument, sections: string[]): Promise<CompareCell> {
  const chunks = await chunksOf(doc.id);
  const sentences = sections.length
    ? documentSentences(chunks).filter((s) => sections.some((x) => under(s, x)))
    : undefined;
  const passages = sentences ? sentences.map((s) => ({ text: s.text, location: s.location })) : chunks;
  const summary = passages.length
    ? await summarisePassages(passages, { words: 30, ...(doc.title ? { title: doc.title } : {}) })
    : undefined;
  const first = summary?.lead;
  if (!first) return { docId: doc.id, docName: doc.name, missing: `Not found in ${doc.name}` };
  const chunk = chunks[sentences ? sentences[first.passage]!.passage : first.passage]!;
  return {
    docId: doc.id,
    docName: doc.name,
    quote: { text: first.text, location: first.location, chunkIndex: chunk.index },
  };
}

async function cell(source: WholeSource, doc: WholeDocument, aspect: string): Promise<CompareCell> {
  const hits = await source.search(aspect, { documents: [doc.id], k: 4 });
  const passages: ContextPassage[] = hits.map((h) => ({
    docId: h.docId,
    docName: h.docName,
    chunkIndexes: [h.chunkIndex],
    text: h.text,
    location: h.location,
    score: h.score,
    ...(h.dense !== undefined ? { dense: h.dense } : {}),
  }));
  const cands = score(candidates(aspect, passages), LEXICAL);
  // Only a sentence that holds some of the aspect's words counts (feature 1 is its word share).
  const chosen = best(cands.filter((c) => c.features[1]! > 0 && !/^[^.!?]{0,60}$/.test(c.text)));
  if (!chosen) return { docId: doc.id, docName: doc.name, missing: `Not found in ${doc.name}` };
  const p = passages[chosen.passage]!;
  return {
    docId: doc.id,
    docName: doc.name,
    quote: {
      chunkIndex: p.chunkIndexes[0]!,
      text: chosen.text,
      location: {
        ...(p.location.page ? { page: p.location.page } : {}),
        headings: p.location.headings,
        start: p.location.start + chosen.start,
        end: p.location.start + chosen.end,
      },
    },
  };
}

/** Sections two or more of the documents share (numbering aside), after an overview of each. */
async function sharedAspects(chunksOf: ChunksOf, documents: WholeDocument[]): Promise<Aspect[]> {
  const headings = new Map<string, { text: string; docs: Set<string> }>();
  for (const d of documents) {
    const chunks = await chunksOf(d.id);
    const capitals = acronyms(chunks.map((c) => c.text));
    // The passages' paths, as the reader found the headings: a line that only looks like one ("Yes"
    // in a table) is no section to compare.
    for (const h of new Set(chunks.flatMap((c) => c.location.headings.slice(1)))) {
      const key = sectionKey(h);
      // The abstract is what the Overview row reads; apparatus holds no stance to set side by side.
      if (!key || key.length > 60 || APPARATUS.test(key) || FRONT_MATTER.test(key)) continue;
      const e = headings.get(key) ?? { text: asLabel(withoutNumber(h), capitals), docs: new Set<string>() };
      e.docs.add(d.id);
      headings.set(key, e);
    }
  }
  const shared = [...headings].filter(([, h]) => h.docs.size >= 2);
  return [OVERVIEW, ...shared.slice(0, MAX_ASPECTS - 1).map(([key, h]) => ({ label: h.text, section: key }))];
}
