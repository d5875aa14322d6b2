/**
 * The events of an answer about the whole (issue 21) and the record they fold into. They come
 * beside the lookup's `AnswerEvent`s: every whole answer also yields a `passages` event whose
 * passages are exactly what it cites (one per quoted sentence, list item or table cell), so a
 * citation number `n` is `passages[n - 1]` and chips, the source panel and the written answer's
 * check work as they do for a lookup.
 */
import type { AnswerRecord } from '../answer/types';
import type { FoundItem } from './items';
import type { Classification, QuestionKind, QuestionScope } from './kinds';

/** A quoted sentence of the documents and the passage number it cites (1-based). */
export interface CitedText {
  text: string;
  citation: number;
}

export interface SummaryDocument {
  /** Absent from summaries kept before it was recorded. */
  docId?: string;
  docName: string;
  sections: { headings: string[]; sentences: CitedText[] }[];
}

export interface ListGroup {
  /** Absent from lists kept before it was recorded. */
  docId?: string;
  docName: string;
  sections: { headings: string[]; items: CitedText[] }[];
}

export interface CompareRow {
  aspect: string;
  /** One per document, in the order of `documents`: a quote, or what was not found. */
  cells: ({ docName: string } & (CitedText | { missing: string }))[];
}

export type WholeEvent =
  /** First: what kind of question it is and where it looks; `alternative` offers the other reading. */
  | {
      type: 'kind';
      kind: QuestionKind;
      scope: QuestionScope;
      target?: string;
      alternative?: Classification['alternative'];
    }
  /**
   * A long read goes on: passages read so far of all in scope (lists, counts, library summaries).
   * With a model, once every passage is read, the sentences found are put to it: `checked` of
   * `checking` so far (until it says no, each is only a candidate).
   */
  | { type: 'progress'; read: number; of: number; checked?: number; checking?: number }
  /** Items found so far, before the scan ends (shown at once, numbered when the list is final or stopped). */
  | { type: 'items'; items: FoundItem[] }
  /** Items sent before that the model, checking them, said no to: no longer found. */
  | { type: 'dropped'; items: FoundItem[] }
  /** The extractive summary: sentences under their headings, in document order, each cited. */
  | {
      type: 'summary';
      scope: string;
      words: number;
      documents: SummaryDocument[];
      read: { passages: number; of: number };
      /** Documents in scope, those with nothing to quote too (absent in summaries kept before it): more than one names each. */
      inScope?: number;
    }
  /** A list or a count: items grouped by document and section, and what was read. */
  | {
      type: 'list';
      kind: 'list' | 'count';
      groups: ListGroup[];
      count: number;
      /** What was counted: items, or documents ("how many contracts mention…"). */
      counts: 'items' | 'documents';
      scanned: { passages: number; of: number };
      /** "Read all 961 passages of audit-2023.pdf: 12 found." */
      statement: string;
      /** Stopped part-way: the items found before Stop, not a complete answer (the statement says so). */
      stopped?: true;
    }
  /** A comparison: one row per aspect, one cited cell (or "Not found in B") per document. */
  | {
      type: 'compare';
      documents: string[];
      /** What each column is called, where its document has a title with a short name ("Paper Plain"). */
      labels?: string[];
      rows: CompareRow[];
    };

/** What a turn keeps of an answer about the whole: the lookup record plus the whole answer's parts. */
export interface WholeRecord extends AnswerRecord {
  kind?: QuestionKind;
  scope?: QuestionScope;
  alternative?: Classification['alternative'];
  progress?: { read: number; of: number; checked?: number; checking?: number };
  /**
   * Items shown while the scan runs; replaced by `list` at its end, or when it is stopped. (Records
   * kept before items carried their passage have no `docId`: those stay as found.)
   */
  partialItems?: (Omit<FoundItem, 'docId' | 'chunkIndex'> & Partial<FoundItem>)[];
  summary?: Extract<WholeEvent, { type: 'summary' }>;
  list?: Extract<WholeEvent, { type: 'list' }>;
  compare?: Extract<WholeEvent, { type: 'compare' }>;
}
