import { useCallback, useRef, useState } from 'react';
import type { ContextPassage, DocumentRecord } from '../../core';

/** What the source panel shows: a cited passage (with its siblings for ‹ ›) or a whole document. */
export type SourceTarget =
  | { kind: 'citation'; turnId: string; n: number; passages: ContextPassage[]; query: string }
  | { kind: 'document'; doc: DocumentRecord };

/**
 * The source panel's state. Closing returns focus to what opened it (the citation chip), as a
 * dialog does, so keyboard users continue where they were.
 */
export function useSource() {
  const [target, setTarget] = useState<SourceTarget | null>(null);
  const opener = useRef<HTMLElement | null>(null);
  const open = useCallback((t: SourceTarget, from?: HTMLElement | null) => {
    opener.current = from ?? (document.activeElement as HTMLElement | null);
    setTarget(t);
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
  return { target, open, close, step, opener };
}
