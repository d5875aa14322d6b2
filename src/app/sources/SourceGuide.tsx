import { ChevronRight, Sparkle } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { RemoteLibrary } from '../../client/library';
import type { SourceGuide as Guide } from '../../core';
import { where } from '../conversation/place';
import { useWholeActions } from '../conversation/whole/WholeActions';
import { useMedia, WIDE_ENOUGH_FOR_SOURCES } from '../ui/useMedia';
import './sourceGuide.css';

/**
 * A document's source guide, as NotebookLM shows one on opening a source: a few quoted sentences
 * that summarise it, its main topics, and questions its search really answers (each asks it).
 * Read from the library (stored after adding; made now, in the worker, when it is not yet).
 */
export function SourceGuide({
  docId,
  docName,
  library,
}: {
  docId: string;
  docName: string;
  library: () => Promise<RemoteLibrary | null>;
}) {
  const [guide, setGuide] = useState<{ docId: string; guide: Guide | null }>();
  const actions = useWholeActions();
  // Where the panel is a sheet over the conversation, asking closes it so the answer is seen.
  const beside = useMedia(WIDE_ENOUGH_FOR_SOURCES);
  const ask = (q: string) => {
    actions?.ask(q);
    if (!beside) actions?.closeSource?.();
  };
  useEffect(() => {
    let live = true;
    void library()
      .then((lib) => lib?.sourceGuide(docId))
      .catch(() => undefined)
      .then((g) => live && setGuide({ docId, guide: g ?? null }));
    return () => {
      live = false;
    };
  }, [library, docId]);
  const g = guide?.docId === docId ? guide.guide : undefined;
  if (g === null) return null;
  const questions = [`Summarise ${docName}`, ...(g?.questions ?? [])];
  return (
    <details className="source-guide" open aria-busy={!g}>
      <summary>
        <ChevronRight size={16} aria-hidden className="source-guide-chevron" />
        <span className="caps-label">Source guide</span>
      </summary>
      {!g ? (
        <p className="muted source-guide-wait">Reading the document…</p>
      ) : (
        <>
          {g.summary.length > 0 && (
            <p className="source-guide-summary">
              {g.summary.map((s) => (
                <span key={`${s.location.start}:${s.text}`} title={where({ location: s.location })}>
                  {s.text}{' '}
                </span>
              ))}
            </p>
          )}
          {g.topics.length > 0 && (
            <ul className="source-guide-topics" aria-label="Main topics">
              {g.topics.slice(0, 8).map((t) => (
                <li key={t}>{t}</li>
              ))}
            </ul>
          )}
          {actions && (
            <ul className="source-guide-questions" aria-label="Suggested questions">
              {questions.map((q) => (
                <li key={q}>
                  <button type="button" className="sample" disabled={!actions.idle} onClick={() => ask(q)}>
                    <Sparkle size={14} aria-hidden />
                    {q}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </details>
  );
}
