import { openDB, type IDBPDatabase } from 'idb';
import type { Turn } from './useAnswer';

/**
 * The conversation lives in its own small database, apart from the library: UI state can change
 * shape without a library schema migration, and clearing it never touches documents.
 */
const DB = 'folio-conversations';
let db: Promise<IDBPDatabase> | undefined;
const open = () => (db ??= openDB(DB, 1, { upgrade: (d) => void d.createObjectStore('conversations') }));

export async function loadConversation(): Promise<Turn[]> {
  const turns = ((await (await open()).get('conversations', 'current')) as Turn[] | undefined) ?? [];
  // An answer that was streaming when the page closed is kept as stopped, not as still running.
  return turns.map((t) => ({ ...t, id: t.id ?? crypto.randomUUID(), ...(t.status === 'answering' || t.status === 'retrieving' ? { status: 'stopped' as const } : {}) }));
}

export async function saveConversation(turns: Turn[]): Promise<void> {
  await (await open()).put('conversations', turns, 'current');
}
