import { useEffect, useRef, useState, type MouseEvent } from 'react';
import type { RemoteLibrary } from '../client/library';
import type { ContextPassage } from '../core';
import { renderAnswer } from './markdown';
import { PdfPage } from './PdfPage';
import { where, type Turn } from './useAnswer';

/** The passage shown in its document, highlighted, when a citation is clicked. */
function SourceViewer({ source, n, library, onClose }: { source: ContextPassage; n: number; library: () => Promise<RemoteLibrary | null>; onClose: () => void }) {
  const [context, setContext] = useState<{ before: string; passage: string; after: string } | null>(null);
  const [original, setOriginal] = useState<Uint8Array | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let live = true;
    void library().then(async (lib) => {
      if (source.location.page) {
        const bytes = await lib?.getOriginal(source.docId);
        if (live && bytes) setOriginal(bytes);
      }
      const text = (await lib?.getDocumentText(source.docId)) ?? source.text;
      const { start, end } = source.location;
      const before = text.slice(Math.max(0, start - 600), start);
      if (live) setContext({ before: (start > 600 ? '…' : '') + before, passage: text.slice(start, end), after: text.slice(end, end + 600) + (end + 600 < text.length ? '…' : '') });
    });
    return () => {
      live = false;
    };
  }, [source, library]);
  useEffect(() => {
    ref.current?.querySelector('mark')?.scrollIntoView?.({ block: 'center' });
    ref.current?.focus();
  }, [context]);
  return (
    <div className="source-viewer" role="dialog" aria-label={`Source ${n}`} tabIndex={-1} ref={ref} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <header>
        <strong>
          [{n}] {source.docName}
        </strong>
        {where(source) && <span> · {where(source)}</span>}
        <button type="button" onClick={onClose} aria-label="Close source">
          Close
        </button>
      </header>
      {original && source.location.page && <PdfPage bytes={original} page={source.location.page} passage={source.text} />}
      <p className="source-text">
        {context ? (
          <>
            {context.before}
            <mark>{context.passage}</mark>
            {context.after}
          </>
        ) : (
          source.text
        )}
      </p>
    </div>
  );
}

export function Conversation({ turns, library, onSwitchModel }: { turns: Turn[]; library: () => Promise<RemoteLibrary | null>; onSwitchModel?: (model: string) => void }) {
  const [open, setOpen] = useState<{ turn: number; n: number } | null>(null);
  const onCite = (turn: number) => (e: MouseEvent) => {
    const n = Number((e.target as HTMLElement).closest('[data-cite]')?.getAttribute('data-cite'));
    if (n) setOpen({ turn, n });
  };
  return (
    <ol className="conversation">
      {turns.map((t, i) => (
        <li key={t.id ?? i} className="turn">
          <p className="question">{t.question}</p>
          {t.searchedFor && <p className="note">Searched for: {t.searchedFor}</p>}
          {t.status === 'retrieving' && <p role="status">Searching your documents…</p>}
          {t.answer && (
            // Sanitised HTML (see markdown.ts); clicks on [n] open that source.
            <div className="answer" aria-live="polite" onClick={onCite(i)} dangerouslySetInnerHTML={{ __html: renderAnswer(t.answer, t.sources.length) }} />
          )}
          {t.status === 'stopped' && <p className="note">Stopped.</p>}
          {t.status === 'error' && (
            <p role="alert" className="error">
              {t.error}{' '}
              {t.fallbackModel && onSwitchModel && (
                <button type="button" onClick={() => onSwitchModel(t.fallbackModel!)}>
                  Switch to {t.fallbackModel}
                </button>
              )}
            </p>
          )}
          {t.sources.length > 0 && (
            <ol className="sources" aria-label="Sources">
              {t.sources.map((s, n) => (
                <li key={n}>
                  <button type="button" className="cite" data-cite={n + 1} onClick={() => setOpen({ turn: i, n: n + 1 })} aria-label={`Source ${n + 1}`}>
                    [{n + 1}]
                  </button>{' '}
                  <cite>{s.docName}</cite>
                  {where(s) && <span> · {where(s)}</span>}
                  {t.highlights?.[n] && (
                    <p className="passage">
                      {t.highlights[n]!.sentences.map((sentence, k) => (sentence.highlight ? <mark key={k}>{sentence.text}</mark> : <span key={k}>{sentence.text}</span>))}
                    </p>
                  )}
                </li>
              ))}
            </ol>
          )}
          {open?.turn === i && t.sources[open.n - 1] && <SourceViewer source={t.sources[open.n - 1]!} n={open.n} library={library} onClose={() => setOpen(null)} />}
        </li>
      ))}
    </ol>
  );
}
