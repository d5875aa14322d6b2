import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import type { ContextPassage } from '../../core';
import { DocIcon } from '../library/DocIcon';
import { docTypeOf } from './Passages';
import { where } from './place';
import './conversation.css';

export interface PreviewContent {
  passage: ContextPassage;
  quote: string;
}

interface Shown extends PreviewContent {
  chip: HTMLElement;
}

const ID = 'citation-preview';

/**
 * The quoted passage behind a citation chip, on hover and on keyboard focus (NotebookLM's chip
 * preview). One listener on the conversation serves every chip, also those inside rendered
 * Markdown; the chip is described by the preview while it shows.
 */
export function CitationPreview({
  container,
  resolve,
}: {
  container: RefObject<HTMLElement | null>;
  resolve: (turnId: string, n: number, sentence?: number) => PreviewContent | undefined;
}) {
  const [shown, setShown] = useState<Shown | null>(null);
  const [pos, setPos] = useState<{ left: number; top: number; above: boolean } | null>(null);
  const card = useRef<HTMLDivElement>(null);
  const hideTimer = useRef(0);
  const resolveRef = useRef(resolve);
  resolveRef.current = resolve;

  useEffect(() => {
    const root = container.current;
    if (!root) return;
    const show = (e: Event) => {
      const chip = (e.target as Element | null)?.closest?.<HTMLElement>('[data-cite]');
      if (!chip || !root.contains(chip)) return;
      window.clearTimeout(hideTimer.current);
      const sentence = chip.closest('[data-sentence]')?.getAttribute('data-sentence');
      const content = resolveRef.current(
        chip.dataset.turn ?? '',
        Number(chip.dataset.cite),
        sentence ? Number(sentence) : undefined,
      );
      if (content) setShown({ ...content, chip });
    };
    const hide = (e: Event) => {
      const next = (e as FocusEvent | PointerEvent).relatedTarget as Node | null;
      if (next && (card.current?.contains(next) || (next as Element).closest?.('[data-cite]'))) return;
      hideTimer.current = window.setTimeout(() => setShown(null), 120);
    };
    const key = (e: KeyboardEvent) => e.key === 'Escape' && setShown(null);
    // Follows its chip while the conversation scrolls; gone once the chip is out of view.
    const scrolled = () =>
      setShown((s) => {
        if (!s) return s;
        const r = s.chip.getBoundingClientRect();
        const box = root.getBoundingClientRect();
        return r.bottom < box.top || r.top > box.bottom ? null : { ...s };
      });
    root.addEventListener('pointerover', show);
    root.addEventListener('focusin', show);
    root.addEventListener('pointerout', hide);
    root.addEventListener('focusout', hide);
    root.addEventListener('keydown', key);
    root.addEventListener('scroll', scrolled, { passive: true });
    return () => {
      root.removeEventListener('pointerover', show);
      root.removeEventListener('focusin', show);
      root.removeEventListener('pointerout', hide);
      root.removeEventListener('focusout', hide);
      root.removeEventListener('keydown', key);
      root.removeEventListener('scroll', scrolled);
    };
  }, [container]);

  // Placed above the chip, or below when there is no room; kept inside the window.
  useLayoutEffect(() => {
    if (!shown) return setPos(null);
    const r = shown.chip.getBoundingClientRect();
    const h = card.current?.offsetHeight ?? 120;
    const w = card.current?.offsetWidth ?? 320;
    const above = r.top > h + 16;
    setPos({
      left: Math.min(Math.max(8, r.left + r.width / 2 - w / 2), window.innerWidth - w - 8),
      top: above ? r.top - h - 8 : r.bottom + 8,
      above,
    });
    shown.chip.setAttribute('aria-describedby', ID);
    return () => shown.chip.removeAttribute('aria-describedby');
  }, [shown]);

  if (!shown) return null;
  const place = where(shown.passage);
  return (
    <div
      ref={card}
      id={ID}
      role="tooltip"
      className="cite-preview"
      style={pos ? { left: pos.left, top: pos.top } : { left: -9999, top: 0 }}
      onPointerEnter={() => window.clearTimeout(hideTimer.current)}
      onPointerLeave={() => (hideTimer.current = window.setTimeout(() => setShown(null), 120))}
    >
      <div className="cite-preview-head">
        <DocIcon type={docTypeOf(shown.passage.docName)} size={14} />
        <div className="cite-preview-title">
          <span className="cite-preview-doc one-line">{shown.passage.docName}</span>
          {place && <span className="cite-preview-where subtle">{place}</span>}
        </div>
      </div>
      <p className="cite-preview-quote">“{shown.quote}”</p>
      <p className="cite-preview-hint">Click to open it in the document</p>
    </div>
  );
}
