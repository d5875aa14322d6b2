import { openDB, type IDBPDatabase } from 'idb';
import type { Classification, ContextPassage, SummaryLength, WholeRecord } from '../../core';

/** A conversation turn: the answer record (a lookup's, or a summary's, list's, comparison's) plus what the app keeps beside it. */
export type Turn = WholeRecord & {
  /** Stable identity: streamed updates reach their own turn; backups merge by it. */
  id: string;
  /** The answer engine that wrote it (an engine id), when a model did. */
  engine?: string;
  /** When it was asked, and how long the answer took (ms). */
  askedAt?: number;
  ms?: number;
  /** After a GPU failure: a smaller model that should work (the conversation is kept). */
  fallbackModel?: string;
  /** A summary asked at another length than the default (medium). */
  length?: SummaryLength;
  /** What the question was read as (its kind, scope and condition): asking again (another length) reuses it. */
  classified?: Classification;
  /** The collections the scope picker held when it was asked (none: all documents). */
  askedIn?: string[];
};

/** A turn answered about the whole (a summary, list, count or comparison), not declined. */
export const isWholeTurn = (t: Turn) => !!t.kind && t.kind !== 'lookup' && !t.declined;
/** A turn answered about the whole that did not fail: what `WholeAnswer` draws. */
export const isWholeAnswer = (t: Turn) => isWholeTurn(t) && t.status !== 'error';

export interface Conversation {
  id: string;
  /** Set when renamed; otherwise the first question is the title. */
  title?: string;
  createdAt: number;
  updatedAt: number;
  turns: Turn[];
}

export const conversationTitle = (c: Pick<Conversation, 'title' | 'turns'>) =>
  c.title || c.turns[0]?.question || 'New conversation';

/**
 * Conversations live in their own small database, apart from the library: UI state can change
 * shape without a library schema migration, and clearing it never touches documents.
 * Version 1 kept one conversation (an array of turns under the key 'current'); version 2 keeps
 * one record per conversation, keyed by its id.
 */
const DB = 'folio-conversations';
let db: Promise<IDBPDatabase> | undefined;
const open = () =>
  (db ??= openDB(DB, 2, {
    async upgrade(d, oldVersion, _newVersion, tx) {
      if (oldVersion < 1) d.createObjectStore('conversations');
      if (oldVersion === 1) {
        const store = tx.objectStore('conversations');
        const old = (await store.get('current')) as unknown[] | undefined;
        await store.delete('current');
        const turns = (old ?? []).map(fromStored).filter((t): t is Turn => !!t);
        if (turns.length) {
          const c = legacyConversation(turns);
          await store.put(c, c.id);
        }
      }
    },
  }));

/** A conversation from a version-1 store or backup: its id comes from its first turn, so restoring it twice merges. */
export function legacyConversation(turns: Turn[]): Conversation {
  const at = turns[0]?.askedAt ?? Date.now();
  return { id: `legacy-${turns[0]?.id ?? 'empty'}`, createdAt: at, updatedAt: at, turns };
}

const str = (x: unknown) => (typeof x === 'string' ? x : undefined);

/**
 * A turn as read back from storage or a backup, whatever version wrote it: version-1 turns had
 * `sources` where records have `passages`. An answer that was streaming when the page closed is
 * kept as stopped, not as still running. Anything that is not a turn is dropped.
 */
export function fromStored(raw: unknown): Turn | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const t = raw as Record<string, unknown>;
  const question = str(t.question);
  if (question === undefined) return undefined;
  const passages = (
    Array.isArray(t.passages) ? t.passages : Array.isArray(t.sources) ? t.sources : []
  ) as ContextPassage[];
  const status =
    t.status === 'answering' || t.status === 'retrieving'
      ? 'stopped'
      : ((['done', 'stopped', 'error'].includes(t.status as string) ? t.status : 'done') as Turn['status']);
  const { sources: _sources, highlights: _highlights, ...rest } = t;
  return {
    ...(rest as Partial<Turn>),
    id: str(t.id) ?? `${question}|${str(t.answer) ?? ''}`.slice(0, 200),
    question,
    answer: str(t.answer) ?? '',
    passages,
    status,
  };
}

function fromStoredConversation(raw: unknown): Conversation | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const c = raw as Record<string, unknown>;
  const id = str(c.id);
  if (!id || !Array.isArray(c.turns)) return undefined;
  const turns = c.turns.map(fromStored).filter((t): t is Turn => !!t);
  const now = Date.now();
  return {
    id,
    ...(str(c.title) ? { title: str(c.title)! } : {}),
    createdAt: Number(c.createdAt) || now,
    updatedAt: Number(c.updatedAt) || now,
    turns,
  };
}

export async function loadConversations(): Promise<Conversation[]> {
  const all = await (await open()).getAll('conversations');
  return all.map(fromStoredConversation).filter((c): c is Conversation => !!c);
}

export async function saveConversation(c: Conversation): Promise<void> {
  await (await open()).put('conversations', c, c.id);
}

export async function deleteConversation(id: string): Promise<void> {
  await (await open()).delete('conversations', id);
}

/**
 * Conversations from a backup merged into what is here: a conversation already here gains only
 * the turns it lacks (by turn id), so restoring the same backup twice changes nothing.
 * Accepts both backup shapes: `conversations` (now) and `conversation` (one list of turns, before).
 */
export function mergeConversations(
  here: Conversation[],
  extra: unknown,
): { merged: Conversation[]; changed: Conversation[]; turnsAdded: number } {
  const e = (extra ?? {}) as { conversations?: unknown; conversation?: unknown };
  const incoming: Conversation[] = Array.isArray(e.conversations)
    ? e.conversations.map(fromStoredConversation).filter((c): c is Conversation => !!c)
    : Array.isArray(e.conversation) && e.conversation.length
      ? [legacyConversation(e.conversation.map(fromStored).filter((t): t is Turn => !!t))]
      : [];
  const byId = new Map(here.map((c) => [c.id, c]));
  const changed: Conversation[] = [];
  let turnsAdded = 0;
  for (const c of incoming) {
    const mine = byId.get(c.id);
    if (!mine) {
      byId.set(c.id, c);
      changed.push(c);
      turnsAdded += c.turns.length;
      continue;
    }
    const known = new Set(mine.turns.map((t) => t.id));
    const missing = c.turns.filter((t) => !known.has(t.id));
    if (!missing.length) continue;
    const updated = { ...mine, turns: [...mine.turns, ...missing], updatedAt: Math.max(mine.updatedAt, c.updatedAt) };
    byId.set(c.id, updated);
    changed.push(updated);
    turnsAdded += missing.length;
  }
  return { merged: [...byId.values()], changed, turnsAdded };
}
