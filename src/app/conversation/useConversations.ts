import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { is, persisted, usePersisted } from '../persisted';
import {
  deleteConversation,
  loadConversations,
  mergeConversations,
  saveConversation,
  type Conversation,
  type Turn,
} from './conversationStore';

const currentState = persisted('folio.conversation', is.string, '');

const fresh = (): Conversation => {
  const now = Date.now();
  return { id: crypto.randomUUID(), createdAt: now, updatedAt: now, turns: [] };
};

const settled = (t: Turn) => t.status !== 'retrieving' && t.status !== 'answering';

/**
 * When a list being read is written again: at each of its first 16 items, then every 16th. Each
 * write stores the whole list so far, so writing at every item of a long list would store its
 * size squared; a tab closed meanwhile loses at most the last 15 items found (and says how far it
 * had read when it kept the rest).
 */
const itemStep = (n: number) => (n <= 16 ? n : 16 + Math.floor((n - 16) / 16));

/** Union by id; what this page holds wins over what was read (it may be newer). */
function union(here: Conversation[], read: Conversation[]): Conversation[] {
  const ids = new Set(here.map((c) => c.id));
  return [...here, ...read.filter((c) => !ids.has(c.id))];
}

/**
 * Every conversation, the one in view, and their persistence. Loading merges by id instead of
 * appending, so React StrictMode's second effect run (and the dev server's reloads) can never
 * duplicate a turn; each conversation is saved when one of its turns settles.
 */
export function useConversations() {
  const [conversations, setConversations] = useState<Conversation[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [currentId, setCurrentId] = usePersisted(currentState);

  useEffect(() => {
    let live = true;
    void loadConversations().then((read) => {
      if (!live) return;
      setConversations((here) => union(here, read));
      setLoaded(true);
    });
    return () => {
      live = false;
    };
  }, []);

  // The conversation in view: the one chosen last time, else the most recent, else a new one.
  const current = useMemo(() => {
    const chosen = conversations.find((c) => c.id === currentId);
    if (chosen || !loaded) return chosen;
    return [...conversations].sort((a, b) => b.updatedAt - a.updatedAt)[0];
  }, [conversations, currentId, loaded]);
  useEffect(() => {
    if (!loaded || current) return;
    const c = fresh();
    setConversations((cs) => [...cs, c]);
    setCurrentId(c.id);
  }, [loaded, current, setCurrentId]);
  useEffect(() => {
    if (current && current.id !== currentId) setCurrentId(current.id);
  }, [current, currentId, setCurrentId]);

  // Saved when a turn's passages arrive, when it settles, or when the title changes — not on every
  // streamed token. A turn still being answered is kept once it has passages (a reload then shows
  // it as stopped, with its sources) rather than lost with the page; a list still being read is kept
  // each time it finds an item, as it would read had Stop been pressed then (the items so far, each
  // cited, and how much of the library had been read).
  const savedKey = useRef(new Map<string, string>());
  // Writes of one conversation, in order: a write that waits for the answer code may not land
  // after a later one, nor after the conversation's deletion.
  const writes = useRef(new Map<string, Promise<void>>());
  // Deleted here: an effect still holding the list from before the deletion must not save it back.
  const deleted = useRef(new Set<string>());
  const queueWrite = useCallback((id: string, write: () => Promise<void>) => {
    const next = (writes.current.get(id) ?? Promise.resolve()).then(write).catch(() => {});
    writes.current.set(id, next);
  }, []);
  useEffect(() => {
    if (!loaded) return;
    for (const c of conversations) {
      if (deleted.current.has(c.id)) continue;
      const kept = c.turns.filter((t) => settled(t) || t.passages.length > 0 || !!t.partialItems?.length);
      if (!kept.length) continue;
      const last = c.turns.at(-1);
      const key = `${c.turns.filter(settled).length}/${kept.length}/${c.turns.length}/${c.title ?? ''}/${last?.status}/${itemStep(last?.partialItems?.length ?? 0)}/${last?.progress?.checking ?? ''}/${last?.progress?.checked ?? ''}`;
      if (savedKey.current.get(c.id) === key) continue;
      savedKey.current.set(c.id, key);
      const reading = (t: Turn) => !settled(t) && !!t.partialItems?.length;
      queueWrite(c.id, async () => {
        if (!kept.some(reading)) return saveConversation({ ...c, turns: kept });
        // Loaded already: the list being read came from it.
        const { applyAskEvent } = await import('./answerPipeline');
        const stop = { type: 'done', finishReason: 'aborted' } as const;
        await saveConversation({ ...c, turns: kept.map((t) => (reading(t) ? (applyAskEvent(t, stop) as Turn) : t)) });
      });
    }
  }, [conversations, loaded, queueWrite]);

  const update = useCallback(
    (id: string, change: (c: Conversation) => Conversation) =>
      setConversations((cs) => cs.map((c) => (c.id === id ? change(c) : c))),
    [],
  );

  const updateTurns = useCallback(
    (id: string, change: (turns: Turn[]) => Turn[]) =>
      update(id, (c) => ({ ...c, turns: change(c.turns), updatedAt: Date.now() })),
    [update],
  );

  const create = useCallback(() => {
    // An empty conversation in view is already a new one.
    if (current && !current.turns.length) return current.id;
    const c = fresh();
    setConversations((cs) => [...cs, c]);
    setCurrentId(c.id);
    return c.id;
  }, [current, setCurrentId]);

  const rename = useCallback(
    (id: string, title: string) => update(id, (c) => ({ ...c, title: title.trim() || undefined }) as Conversation),
    [update],
  );

  /** Deletes it at once; the returned function puts it back (for Undo). */
  const remove = useCallback(
    (id: string) => {
      const gone = conversations.find((c) => c.id === id);
      if (!gone) return () => {};
      setConversations((cs) => cs.filter((c) => c.id !== id));
      savedKey.current.delete(id);
      deleted.current.add(id);
      queueWrite(id, () => deleteConversation(id));
      return () => {
        deleted.current.delete(id);
        setConversations((cs) => union(cs, [gone]));
        setCurrentId(gone.id);
      };
    },
    [conversations, setCurrentId, queueWrite],
  );

  /** Merges conversations from a backup; returns how many turns were new here. */
  const restore = useCallback(
    (extra: unknown) => {
      const { changed, turnsAdded } = mergeConversations(conversations, extra);
      if (changed.length) {
        for (const c of changed) deleted.current.delete(c.id);
        const byId = new Map(changed.map((c) => [c.id, c]));
        setConversations((cs) => [
          ...cs.map((c) => byId.get(c.id) ?? c),
          ...changed.filter((c) => !cs.some((x) => x.id === c.id)),
        ]);
        // The restored conversation is shown, unless the one in view already has turns.
        if (!current?.turns.length) setCurrentId(changed[0]!.id);
      }
      return turnsAdded;
    },
    [conversations, current, setCurrentId],
  );

  /** What a backup carries: every conversation with its settled turns. */
  const forBackup = useCallback(
    () => conversations.filter((c) => c.turns.length).map((c) => ({ ...c, turns: c.turns.filter(settled) })),
    [conversations],
  );

  const listed = useMemo(
    () => conversations.filter((c) => c.turns.length || c.id === current?.id).sort((a, b) => b.updatedAt - a.updatedAt),
    [conversations, current],
  );

  return {
    conversations: listed,
    current,
    loaded,
    select: setCurrentId,
    create,
    rename,
    remove,
    restore,
    forBackup,
    updateTurns,
  };
}
