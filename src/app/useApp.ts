import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { servedBySite } from '../client/modelSource';
import { collectionsInWords, type DocumentRecord, EMBEDDING_MODELS, type Support } from '../core';
import { conversationTitle, type Conversation } from './conversation/conversationStore';
import { loadMarkdown } from './conversation/exportLoader';
import { useAnswer, type AskAgain } from './conversation/useAnswer';
import { usePrepareGuides } from './conversation/whole/usePrepareGuides';
import { useTableRequests } from './conversation/table/tableActions';
import { useConversations } from './conversation/useConversations';
import { useSampleQuestions } from './conversation/samples';
import type { ComposerHandle } from './conversation/Composer';
import { useEngines } from './engines/useEngines';
import { useCollections } from './library/useCollections';
import { useLibrary } from './library/useLibrary';
import { UNDO_MS } from './library/useRemovals';
import { useFileDrop } from './library/useFileDrop';
import { useLaunchedFiles, useSharedFiles } from './library/useLaunchedFiles';
import { usePersisted } from './persisted';
import type { AppDialog } from './settings/AppMenu';
import { checkSettings, DEFAULT_SETTINGS, settingsState, themeState } from './settings/settings';
import { useSource } from './sources/useSource';
import { useToast } from './ui/Toasts';

/** Input types that take no typed text: "/" on them still jumps to the question box. */
const NOT_TYPED_INTO = new Set(['file', 'checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color']);

/**
 * Folio's state, wired together: the library, conversations, answers, engines and the source
 * panel. App.tsx only lays out what this returns.
 */
export function useApp() {
  const [settings] = usePersisted(settingsState);
  const [theme] = usePersisted(themeState);
  useEffect(() => {
    if (theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
  }, [theme]);

  const lib = useLibrary(settings);
  const convs = useConversations();
  const engines = useEngines();
  const source = useSource();
  const toast = useToast();
  const composer = useRef<ComposerHandle>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const [dialog, setDialog] = useState<AppDialog | null>(null);

  const dragging = useFileDrop((files) => void lib.addFiles(files));
  useLaunchedFiles((files) => void lib.addFiles(files));
  useSharedFiles((files, text) => {
    // Asked once the files are in (the answer then searches them too).
    void lib.addFiles(files).then(() => {
      if (text) setTimeout(() => composer.current?.ask(text), 0);
    });
  });
  // A model that could not be fetched or started says why even with its menu closed.
  useEffect(() => {
    if (engines.failed) toast({ text: engines.failed.message, ms: 10_000 });
  }, [engines.failed, toast]);
  // A search model chosen in Settings that cannot be loaded: the previous one is back in use.
  useEffect(() => {
    const f = lib.modelFailure;
    if (!f) return;
    const label = (id: string) => EMBEDDING_MODELS.find((m) => m.id === id)?.label ?? id;
    toast({
      text: `${label(f.model)} could not be used, so Folio keeps searching with ${label(f.kept)}. ${f.message}`,
      ms: 15_000,
    });
  }, [lib.modelFailure, toast]);
  const unusable = lib.status.phase === 'error' || lib.status.phase === 'outdated';

  const collections = useCollections({
    library: lib.library,
    documents: lib.documents,
    ready: lib.status.phase === 'ready',
    refreshDocuments: lib.refreshDocuments,
  });
  const { scope } = collections;
  const search = useMemo(() => {
    if (!scope) return settings;
    const names = scope.map((id) => collections.collections.find((c) => c.id === id)?.name ?? id);
    return { ...settings, collections: scope, scopeName: collectionsInWords(names) };
  }, [settings, scope, collections.collections]);
  const answers = useAnswer({
    library: lib.library,
    search,
    engine: engines.engine,
    settleRemovals: lib.commitRemovals,
    updateTurns: convs.updateTurns,
  });
  const current = convs.current;
  const turns = useMemo(() => current?.turns ?? [], [current]);
  const ask = useCallback(
    (question: string, again?: AskAgain) => {
      if (!current) return;
      void answers.ask(current.id, question, turns, again);
    },
    [answers, current, turns],
  );
  const adding = Object.keys(lib.fileProgress).length > 0;
  usePrepareGuides(lib.library, lib.documents, adding);
  const blocked = unusable
    ? 'Folio cannot use your library in this tab right now (see the message above).'
    : lib.documents.length > 0 || lib.status.phase === 'loading'
      ? null
      : adding
        ? 'Your first document is still being added: ask as soon as it shows in the library.'
        : 'Add a document first: Folio answers from your documents only.';
  // Sample questions come from where questions are asked: the chosen collections' documents.
  const inScope = useMemo(
    () => (scope ? lib.documents.filter((d) => d.collections?.some((c) => scope.includes(c))) : lib.documents),
    [lib.documents, scope],
  );
  const samples = useSampleQuestions(lib.library, inScope);

  const { removeDocument: removeFromLibrary, reindex, addFiles } = lib;
  const removeDocument = useCallback(
    (d: DocumentRecord) => {
      const undo = removeFromLibrary(d.id);
      toast({ text: `Removed ${d.name}`, action: { label: 'Undo', run: undo }, ms: UNDO_MS });
    },
    [removeFromLibrary, toast],
  );
  const reindexDocument = useCallback((d: DocumentRecord) => void reindex(d.id, d.name), [reindex]);
  // Files added while one collection of the person's own is chosen go into it.
  const into =
    scope?.length === 1 && !collections.collections.find((c) => c.id === scope[0])?.readOnly ? scope[0] : undefined;
  const add = useCallback(
    (files: File[]) => void addFiles(files, into ? { collection: into } : undefined),
    [addFiles, into],
  );
  const deleteConversation = useCallback(
    (c: Conversation) => {
      const undo = convs.remove(c.id);
      toast({ text: `Deleted “${conversationTitle(c)}”`, action: { label: 'Undo', run: undo } });
    },
    [convs, toast],
  );

  // Opening or closing the panel changes the conversation's width, and so its line breaks: the
  // chip that was clicked stays where it was on screen instead of the text jumping. The anchor is
  // taken just before the change and applied once the panel has opened (or closed).
  const anchor = useRef<{ el: HTMLElement; top: number; open: boolean } | null>(null);
  const { target: sourceTarget, open: openSource, close: closeSourcePanel, opener } = source;
  const sourceOpen = !!sourceTarget;
  useLayoutEffect(() => {
    const a = anchor.current;
    if (a?.open !== sourceOpen) return;
    anchor.current = null;
    if (a.el.isConnected && scroller.current?.contains(a.el))
      scroller.current.scrollTop += a.el.getBoundingClientRect().top - a.top;
  }, [sourceOpen]);
  const openCitation = useCallback(
    (turnId: string, n: number, chip: HTMLElement, support?: Support) => {
      const t = turns.find((x) => x.id === turnId);
      if (!t?.passages[n - 1]) return;
      if (!sourceTarget) anchor.current = { el: chip, top: chip.getBoundingClientRect().top, open: true };
      openSource(
        {
          kind: 'citation',
          turnId,
          n,
          passages: t.passages,
          query: t.searchedFor ?? t.question,
          ...(support ? { support } : {}),
        },
        chip,
      );
    },
    [turns, sourceTarget, openSource],
  );
  // A computed table answer's chip opens the rows it used (issue 24).
  const openTableRows = useCallback(
    (turnId: string, chip: HTMLElement) => {
      const answer = turns.find((x) => x.id === turnId)?.table;
      if (answer?.status !== 'computed') return;
      if (!sourceTarget) anchor.current = { el: chip, top: chip.getBoundingClientRect().top, open: true };
      openSource({ kind: 'table', turnId, answer }, chip);
    },
    [turns, sourceTarget, openSource],
  );
  useTableRequests({ openRows: openTableRows, ask });
  const closeSource = useCallback(() => {
    const el = opener.current;
    anchor.current = el ? { el, top: el.getBoundingClientRect().top, open: false } : null;
    closeSourcePanel();
  }, [opener, closeSourcePanel]);
  // What a summary, list or comparison can do from inside its turn or the source panel (issue 21).
  // Declined in a collection: the same question in all documents, and the picker says so from then on.
  const { setScope } = collections;
  const askEverywhere = useCallback(
    (question: string) => {
      setScope(null);
      ask(question, { everywhere: true });
    },
    [setScope, ask],
  );
  const whole = useMemo(
    () => ({ ask, askEverywhere, stop: answers.stop, idle: !answers.busy, closeSource }),
    [ask, askEverywhere, answers.stop, answers.busy, closeSource],
  );
  const showDocument = useCallback((d: DocumentRecord) => openSource({ kind: 'document', doc: d }), [openSource]);

  // A backup carries what the app keeps beside the library: conversations and settings.
  const exportBackup = useCallback(
    () => lib.exportBackup({ conversations: convs.forBackup(), settings }),
    [lib, convs, settings],
  );
  const importBackup = useCallback(
    async (file: File) => {
      const { added, duplicates, extra } = await lib.importBackup(file);
      const saved = (extra ?? {}) as { settings?: unknown };
      if (saved.settings && typeof saved.settings === 'object')
        settingsState.save(checkSettings({ ...DEFAULT_SETTINGS, ...saved.settings }) ?? DEFAULT_SETTINGS);
      const turnsAdded = convs.restore(extra);
      const docs = `Restored ${added} document${added === 1 ? '' : 's'}${duplicates ? ` (${duplicates} already here)` : ''}`;
      return `${docs}${turnsAdded ? ` and ${turnsAdded} conversation turn${turnsAdded === 1 ? '' : 's'}` : ''}.`;
    },
    [lib, convs],
  );

  // "/" from anywhere outside a field goes to the question box (problem 7: it is many Tab stops down).
  // Inputs that take no typing (the file chooser of Add documents, where the focus stays after
  // adding, a checkbox) are not fields: "/" did nothing there.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      const typedInto = t.closest('textarea, select, [contenteditable="true"], [role="dialog"], [role="menu"]');
      const input = t.closest('input');
      if (
        e.key === '/' &&
        !e.ctrlKey &&
        !e.metaKey &&
        !e.altKey &&
        !typedInto &&
        !(input && !NOT_TYPED_INTO.has(input.type))
      ) {
        e.preventDefault();
        composer.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const engineName = useCallback(
    (id: string | undefined) => (id ? engines.options.find((o) => o.id === id)?.name : undefined),
    [engines.options],
  );
  const lastAnswerMs = [...turns].reverse().find((t) => t.ms !== undefined)?.ms;

  return {
    lib,
    collections,
    convs,
    engines,
    source,
    answers,
    composer,
    scroller,
    dialog,
    setDialog,
    dragging,
    unusable,
    turns,
    ask,
    whole,
    blocked,
    samples,
    removeDocument,
    reindexDocument,
    add,
    deleteConversation,
    exportConversation: (c: Conversation) =>
      void loadMarkdown().then(
        (m) => m.downloadMarkdown(c),
        () => toast({ text: 'The conversation could not be exported: reload Folio and try again.', ms: 10_000 }),
      ),
    openCitation,
    closeSource,
    showDocument,
    exportBackup,
    importBackup,
    engineName,
    lastAnswerMs,
    servedBySite,
  };
}
