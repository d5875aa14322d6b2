/**
 * Items found by a scan made into a cited list: de-duplicated, grouped by document and section, each
 * one a passage to cite. Kept apart from the scan (and free of its dependencies) because the page
 * makes the same list from the items it has been sent when a scan is stopped part-way.
 */
import type { ContextPassage } from '../search/context';
import type { SourceLocation } from '../types';
import type { CitedText, ListGroup } from './types';

/** A sentence found in a document: enough to cite it. */
export interface FoundItem {
  text: string;
  docId: string;
  docName: string;
  chunkIndex: number;
  location: SourceLocation;
}

/** Items kept before they carried their passage have no `docId`; their name stands for the document. */
type Placed = Pick<FoundItem, 'text' | 'docName' | 'location'> & { docId?: string };

/** Two files of one name (from two folders) are two documents: told apart by id where there is one. */
const docKey = (it: Placed) => it.docId ?? it.docName;

/** What makes two items one: the same place, or the same words, in the same document. */
export const itemKeys = (it: Placed): string[] => [
  `${docKey(it)}\u0000${it.location.start}`,
  `${docKey(it)}\u0000${it.text.toLowerCase().replace(/\s+/g, ' ')}`,
];

/** Items de-duplicated (the same sentence in two places, overlapping passages) in document order. */
export function distinctItems<T extends Placed>(items: T[]): T[] {
  const seen = new Map<string, T>();
  for (const it of items) {
    const keys = itemKeys(it);
    if (keys.some((k) => seen.has(k))) continue;
    for (const k of keys) seen.set(k, it);
  }
  return [...new Set(seen.values())].sort(
    (a, b) =>
      a.docName.localeCompare(b.docName) || docKey(a).localeCompare(docKey(b)) || a.location.start - b.location.start,
  );
}

/** Items grouped by document, then by section (heading path), in document order. */
export function groupItems<T extends Placed>(
  items: T[],
): { docId?: string; docName: string; sections: { headings: string[]; items: T[] }[] }[] {
  const out: { docId?: string; docName: string; sections: { headings: string[]; items: T[] }[] }[] = [];
  for (const it of distinctItems(items)) {
    let doc = out.find((d) => (d.docId ?? d.docName) === docKey(it));
    if (!doc) out.push((doc = { ...(it.docId ? { docId: it.docId } : {}), docName: it.docName, sections: [] }));
    const key = it.location.headings.join(' › ');
    let sec = doc.sections.find((s) => s.headings.join(' › ') === key);
    if (!sec) doc.sections.push((sec = { headings: it.location.headings, items: [] }));
    sec.items.push(it);
  }
  return out;
}

/**
 * Numbers cited texts as passages: passage n is the n-th quote, with its document, the passage
 * (chunk) holding it and its place, so the source panel opens it as it opens a lookup's passage.
 */
export class Citations {
  readonly passages: ContextPassage[] = [];
  cite(at: { docId: string; docName: string; chunkIndex: number }, text: string, location: SourceLocation): CitedText {
    this.passages.push({
      docId: at.docId,
      docName: at.docName,
      chunkIndexes: [at.chunkIndex],
      text,
      location,
      score: 1,
    });
    return { text, citation: this.passages.length };
  }
}

/** The list's groups, each item cited, and the passages they cite. */
export function citedList(items: FoundItem[]): { groups: ListGroup[]; passages: ContextPassage[] } {
  const citations = new Citations();
  const groups = groupItems(items).map((g) => ({
    ...(g.docId ? { docId: g.docId } : {}),
    docName: g.docName,
    sections: g.sections.map((s) => ({
      headings: s.headings,
      items: s.items.map((i) => citations.cite(i, i.text, i.location)),
    })),
  }));
  return { groups, passages: citations.passages };
}
