import { useEffect, useRef, useState } from 'react';
import { RichText } from '../conversation/RichText';
import './sources.css';

/** Characters shown on each side of the passage at first; more on request. */
const AROUND = 4000;

/**
 * The document's text around a passage, tables as tables, the passage marked and scrolled into
 * view. A long document shows a window of it, widened on request. The parent keys it by document
 * and passage, so another passage starts afresh (its own window, scrolled to its mark).
 */
export function TextView({ text, start, end }: { text: string; start: number; end: number }) {
  const [before, setBefore] = useState(AROUND);
  const [after, setAfter] = useState(AROUND);
  // The window starts and ends at paragraph breaks where it can.
  const from = start - before <= 0 ? 0 : Math.max(0, text.lastIndexOf('\n\n', start - before) + 2 || start - before);
  const to =
    end + after >= text.length
      ? text.length
      : text.indexOf('\n\n', end + after) < 0
        ? text.length
        : text.indexOf('\n\n', end + after);
  const box = useRef<HTMLDivElement>(null);
  // Once, when shown: widening the window later must not move what the reader is looking at.
  useEffect(() => {
    box.current?.querySelector('#source-mark')?.scrollIntoView({ block: 'center' });
  }, []);
  return (
    <div className="text-view" ref={box}>
      {from > 0 && (
        <button type="button" className="btn btn-ghost btn-sm more-text" onClick={() => setBefore(before + AROUND * 2)}>
          Show earlier text
        </button>
      )}
      <RichText
        text={text.slice(from, to)}
        offset={from}
        ranges={end > start ? [{ start, end, id: 'source-mark' }] : []}
      />
      {to < text.length && (
        <button type="button" className="btn btn-ghost btn-sm more-text" onClick={() => setAfter(after + AROUND * 2)}>
          Show later text
        </button>
      )}
    </div>
  );
}
