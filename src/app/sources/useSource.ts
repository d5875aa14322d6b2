import { useCallback, useRef, useState } from 'react';
import type { ContextPassage, DocumentRecord, Support } from '../../core';
import type { ComputedTable } from '../conversation/table/tableActions';

/** What the source panel shows: a cited passage (with its siblings for ‹ ›) or a whole document. */
export type SourceTarget =
  /** `support`: the sentence of passage `support.passage` that backs the cited sentence (marked instead of the best-matching ones). */
  | { kind: 'citation'; turnId: string; n: number; passages: ContextPassage[]; query: string; support?: Support }
  | { kind: 'document'; doc: DocumentRecord }
  /** The rows a computed table answer used (issue 24). */
  | { kind: 'table'; turnId: string; answer: ComputedTable };

/**
 * The source panel's state. Closing returns focus to what opened it (the citation chip), as a
 * dialog does, so keyboard users continue where they were.
 */
export function useSource() {
  const [target, setTarget] = useState<SourceTarget | null>(null);
  // Counts openings (a citation or document chosen), not steps with ‹ ›: the panel takes focus on
  // an opening, while a step leaves it on the button pressed.
  const [opened, setOpened] = useState(0);
  const opener = useRef<HTMLElement | null>(null);
  const open = useCallback((t: SourceTarget, from?: HTMLElement | null) => {
    opener.current = from ?? (document.activeElement as HTMLElement | null);
    setTarget(t);
    setOpened((n) => n + 1);
  }, []);
  const close = useCallback(() => {
    setTarget(null);
    const back = opener.current;
    opener.current = null;
    // After the panel is gone (the chip may sit where the panel's layout moved it).
    requestAnimationFrame(() => back?.isConnected && back.focus());
  }, []);
  const step = useCallback((delta: number) => {
    setTarget((t) => (t?.kind === 'citation' ? { ...t, n: Math.min(t.passages.length, Math.max(1, t.n + delta)) } : t));
  }, []);
  return { target, opened, open, close, step, opener };
}
