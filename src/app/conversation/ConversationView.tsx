import { FileUp, Loader2, MessageSquareText, Sparkle } from 'lucide-react';
import { useCallback, useEffect, useLayoutEffect, useRef, type ReactNode, type RefObject } from 'react';
import { formatBytes, type DownloadProgress, type Support } from '../../core';
import { CitationPreview } from './CitationPreview';
import type { Turn } from './conversationStore';
import { bestSentences } from './Passages';
import { TurnView } from './TurnView';
import { useAnswerAfterComposer } from './useAnswerAfterComposer';
import './conversation.css';

interface Props {
  conversationId: string | undefined;
  turns: Turn[];
  /** Documents in the library (0: the empty state with its drop target). */
  documentCount: number;
  loading: { download?: DownloadProgress } | null;
  samples: string[];
  engineName: (id: string | undefined) => string | undefined;
  onAsk: (question: string) => void;
  onAddFiles: (files: File[]) => void;
  /** `support`: the passage sentence that backs the chip's sentence, to mark in the source. */
  onOpenSource: (turnId: string, n: number, chip: HTMLElement, support?: Support) => void;
  onSwitchEngine: (id: string) => void;
  scroller: RefObject<HTMLDivElement | null>;
  /** The first documents' progress, shown in the empty state where the library is out of sight. */
  adding?: ReactNode;
  /** The question box, below the turns. */
  children: ReactNode;
}

function Empty({
  documentCount,
  loading,
  samples,
  onAsk,
  onAddFiles,
  adding,
}: Pick<Props, 'documentCount' | 'loading' | 'samples' | 'onAsk' | 'onAddFiles' | 'adding'>) {
  if (!documentCount && adding)
    return (
      <div className="empty-state empty-adding">
        <h2>Adding your documents</h2>
        <p className="muted">Ask as soon as the first one is in: it shows here and in the library.</p>
        {adding}
      </div>
    );
  if (!documentCount && loading)
    return (
      <div className="empty-state" role="status">
        <Loader2 size={28} className="spin" aria-hidden />
        <h2>Getting Folio ready</h2>
        {loading.download ? (
          <>
            <p className="muted">
              Downloading the search model: {formatBytes(loading.download.loaded)}
              {loading.download.total ? ` of ${formatBytes(loading.download.total)}` : ''}. You can add documents
              already; they are indexed as soon as it is ready.
            </p>
            <progress
              className="bar"
              value={loading.download.loaded}
              max={loading.download.total || 1}
              aria-label="Search model"
            />
          </>
        ) : (
          <p className="muted">Opening your library…</p>
        )}
      </div>
    );
  if (!documentCount)
    return (
      <div className="empty-state empty-library">
        <span className="empty-icon">
          <FileUp size={30} aria-hidden />
        </span>
        <h2>Add your first document</h2>
        <p className="muted">
          Drop PDFs, Word files, web pages, Markdown or text anywhere in this window — or whole folders. They are read
          and indexed here, on this device.
        </p>
        <label className="btn btn-primary btn-lg file-button">
          <FileUp size={18} aria-hidden />
          Choose documents
          <input
            type="file"
            multiple
            aria-label="Choose documents to add"
            onChange={(e) => onAddFiles([...(e.target.files ?? [])])}
          />
        </label>
      </div>
    );
  return (
    <div className="empty-state">
      <span className="empty-icon">
        <MessageSquareText size={28} aria-hidden />
      </span>
      <h2>Ask about your documents</h2>
      <p className="muted">Answers quote the passages they come from; click a number to see it in its document.</p>
      {samples.length > 0 && (
        <ul className="samples" aria-label="Sample questions">
          {samples.map((q) => (
            <li key={q}>
              <button type="button" className="sample" onClick={() => onAsk(q)}>
                <Sparkle size={14} aria-hidden />
                {q}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The conversation in view: its turns, the empty states, and the question box at the bottom. */
export function ConversationView(p: Props) {
  const { turns, scroller, conversationId } = p;
  const composer = useRef<HTMLDivElement>(null);
  useAnswerAfterComposer(scroller, composer);
  // A new question is scrolled to the top of the view, so its answer appears right under it
  // however long the conversation is; opening a conversation shows its end.
  const count = useRef({ id: conversationId, n: turns.length });
  useLayoutEffect(() => {
    const el = scroller.current;
    const before = count.current;
    count.current = { id: conversationId, n: turns.length };
    if (!el) return;
    if (before.id !== conversationId || before.n === 0) {
      el.scrollTop = el.scrollHeight;
    } else if (turns.length > before.n) {
      const last = el.querySelector<HTMLElement>('.turn:last-of-type');
      const reduce = matchMedia('(prefers-reduced-motion: reduce)').matches;
      // The conversation scrolls, nothing else: scrollIntoView would also scroll the app's frame
      // (overflow: hidden is still scrollable by script) when the conversation is too short to
      // bring the turn to the top, shifting the header off-screen.
      if (last)
        el.scrollTo({
          top: el.scrollTop + last.getBoundingClientRect().top - el.getBoundingClientRect().top,
          behavior: reduce ? 'auto' : 'smooth',
        });
    }
  }, [turns.length, conversationId, scroller]);

  const byId = useRef(new Map<string, Turn>());
  byId.current = new Map(turns.map((t) => [t.id, t]));
  /** The sentence backing chip n: of the checked sentence it sits in, or of the extract. */
  const supportOf = useCallback((turnId: string, n: number, sentence?: number): Support | undefined => {
    const t = byId.current.get(turnId);
    const support = sentence !== undefined ? t?.checked?.sentences[sentence]?.support : t?.extract?.support;
    return support && support.passage === n ? support : undefined;
  }, []);
  const resolve = useCallback(
    (turnId: string, n: number, sentence?: number) => {
      const t = byId.current.get(turnId);
      const passage = t?.passages[n - 1];
      if (!t || !passage) return undefined;
      const support = supportOf(turnId, n, sentence);
      if (support) return { passage, quote: support.quote };
      const r = bestSentences(t.searchedFor ?? t.question, passage.text, 1)[0];
      const quote = r ? passage.text.slice(r.start, r.end) : passage.text.slice(0, 220);
      return { passage, quote: quote.length > 320 ? `${quote.slice(0, 317)}…` : quote };
    },
    [supportOf],
  );

  // Chips are buttons (Enter and Space click them); one listener serves them all, also those
  // inside a rendered Markdown answer, which are not React elements.
  const onOpenSource = useRef(p.onOpenSource);
  onOpenSource.current = p.onOpenSource;
  useEffect(() => {
    const root = scroller.current;
    if (!root) return;
    const click = (e: Event) => {
      const chip = (e.target as Element | null)?.closest?.<HTMLElement>('[data-cite]');
      if (!chip?.dataset.turn || !root.contains(chip)) return;
      const n = Number(chip.dataset.cite);
      const sentence = chip.closest('[data-sentence]')?.getAttribute('data-sentence');
      onOpenSource.current(
        chip.dataset.turn,
        n,
        chip,
        supportOf(chip.dataset.turn, n, sentence ? Number(sentence) : undefined),
      );
    };
    root.addEventListener('click', click);
    return () => root.removeEventListener('click', click);
  }, [scroller, supportOf]);

  return (
    <>
      <div className="conversation-scroll" ref={scroller}>
        <div className="conversation-column">
          {turns.length === 0 ? (
            <Empty
              documentCount={p.documentCount}
              loading={p.loading}
              samples={p.samples}
              onAsk={p.onAsk}
              onAddFiles={p.onAddFiles}
              adding={p.adding}
            />
          ) : (
            <section aria-label="Conversation" className="turns">
              {turns.map((t) => (
                <TurnView
                  key={t.id}
                  turn={t}
                  {...(p.engineName(t.engine) ? { engineName: p.engineName(t.engine)! } : {})}
                  onSwitchEngine={p.onSwitchEngine}
                />
              ))}
            </section>
          )}
        </div>
        <CitationPreview container={scroller} resolve={resolve} />
      </div>
      <div className="composer-slot" ref={composer}>
        {p.children}
      </div>
    </>
  );
}
