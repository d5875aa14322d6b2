/**
 * Comparisons of named documents: the same aspects looked up in each document on its own (a search
 * over the whole library would let one document crowd out the other), one sentence per document per
 * aspect, chosen as the lookup's extract chooses it. A document where no passage near the aspect
 * holds its words gets "Not found in B" rather than its nearest guess. Without an aspect in the
 * question, an overview row (each document's best summary sentence) and the headings they share.
 */
import type { ContextPassage } from '../search/context';
import type { SourceLocation } from '../types';
import { best, candidates, score, LEXICAL } from '../answer/extract';
import { withoutNumber } from './headings';
import type { WholeDocument, WholeSource } from './source';
import { summarisePassages } from './summarise';

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
  const aspects = aspect ? [aspect] : await sharedAspects(source, documents);
  const rows: Comparison['rows'] = [];
  for (const a of aspects) {
    signal?.throwIfAborted();
    const cells: CompareCell[] = [];
    for (const d of documents) cells.push(await cell(source, d, a));
    rows.push({ aspect: a, cells });
  }
  return { documents: documents.map((d) => d.name), rows };
}

/** The row that says what each document is: its summary's best sentence. */
const OVERVIEW = 'Overview';

async function cell(source: WholeSource, doc: WholeDocument, aspect: string): Promise<CompareCell> {
  if (aspect === OVERVIEW) {
    const chunks = await source.getChunks(doc.id);
    const summary = await summarisePassages(chunks, { words: 30, ...(doc.title ? { title: doc.title } : {}) });
    const first = summary.sections[0]?.sentences[0];
    return first
      ? {
          docId: doc.id,
          docName: doc.name,
          quote: { text: first.text, location: first.location, chunkIndex: chunks[first.passage]!.index },
        }
      : { docId: doc.id, docName: doc.name, missing: `Not found in ${doc.name}` };
  }
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

/** Headings two or more of the documents share (numbering aside); without any, an overview of each. */
async function sharedAspects(source: WholeSource, documents: WholeDocument[]): Promise<string[]> {
  const headings = new Map<string, { text: string; docs: Set<string> }>();
  for (const d of documents)
    for (const c of await source.getChunks(d.id))
      for (const h of c.location.headings.slice(1)) {
        const key = withoutNumber(h).toLowerCase();
        if (!key || key.length > 60) continue;
        const e = headings.get(key) ?? { text: withoutNumber(h), docs: new Set<string>() };
        e.docs.add(d.id);
        headings.set(key, e);
      }
  const shared = [...headings.values()].filter((h) => h.docs.size >= 2).map((h) => h.text);
  return [OVERVIEW, ...shared.slice(0, MAX_ASPECTS - 1)];
}
