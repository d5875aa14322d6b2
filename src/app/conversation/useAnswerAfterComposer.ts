import { type RefObject, useEffect } from 'react';

/** The elements Tab stops at inside `root`, in document order. */
function tabStops(root: Element): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>('*')].filter(
    (e) =>
      e.tabIndex >= 0 &&
      !(e as HTMLButtonElement).disabled &&
      !e.closest('[inert]') &&
      e.checkVisibility({ visibilityProperty: true }),
  );
}

/**
 * Tab order around the question box: … older answers → question box → Send → the newest answer →
 * what follows (the source panel), and the same backwards. In document order the question box is
 * last, so Tab from it left the page and came back through the whole library to the OLDEST answer;
 * the answer just asked for is the one a person wants next. The conversation stays in reading
 * order in the document (a screen reader reads it as written); only Tab's path changes.
 */
export function useAnswerAfterComposer(
  conversation: RefObject<HTMLElement | null>,
  composer: RefObject<HTMLElement | null>,
) {
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key !== 'Tab' || e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
      const newest = conversation.current?.querySelector('.turn:last-of-type');
      if (!newest || !composer.current) return;
      const box = tabStops(composer.current);
      const answer = tabStops(newest);
      const here = document.activeElement;
      if (!box.length || !answer.length || !(here instanceof HTMLElement)) return;
      const goTo = (to: HTMLElement) => {
        e.preventDefault();
        to.focus();
      };
      // To go on past the newest answer in document order, focus stands where the answer would be
      // in the document and the browser's own Tab moves on from there (also out of the page).
      const continueFrom = (from: HTMLElement) => from.focus({ preventScroll: true });
      if (!e.shiftKey) {
        if (here === box.at(-1)) goTo(answer[0]!);
        else if (here === answer.at(-1)) continueFrom(box.at(-1)!);
      } else if (here === answer[0]) goTo(box.at(-1)!);
      else if (here === box[0]) continueFrom(answer[0]!);
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [conversation, composer]);
}
