import { createElement, useEffect, useState } from 'react';
import { importOnce, prefetchWhenIdle } from '../idle';
import './conversation.css';

type Renderer = typeof import('./markdown');
let renderer: Renderer | undefined;
const load = importOnce(() => import('./markdown').then((m) => (renderer = m)));
// Fetched when the page is idle, so a written answer rarely shows as plain text first; it is not
// part of what the page needs to start.
prefetchWhenIdle(load);

/**
 * A model's answer (Markdown) as safe elements with citation chips. The renderer (marked + DOMPurify,
 * ~25 KB) loads the first time a written answer is shown, not with the page.
 */
export function WrittenAnswer({
  markdown,
  sources,
  turnId,
  streaming,
}: {
  markdown: string;
  sources: number;
  turnId: string;
  streaming: boolean;
}) {
  const [r, setR] = useState(renderer);
  useEffect(() => {
    if (r) return;
    let live = true;
    // Unloaded (offline before the app was cached), the answer stays as its plain text: still
    // readable, and the next written answer tries again.
    load().then(
      (m) => live && setR(m),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [r]);
  const className = streaming ? 'answer-text streaming' : 'answer-text';
  if (!r) return <div className={className}>{markdown}</div>;
  // Sanitised (see markdown.ts); citation chips are handled by the conversation's listeners.
  return createElement('div', { className }, ...r.answerElements(markdown, sources, turnId));
}
