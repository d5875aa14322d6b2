import { ChevronLeft, ChevronRight } from 'lucide-react';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { platform } from '#platform';
import { lineBoxes, passageItems, type Rect } from './pdfBoxes';

/** What to mark on the page: the passage's text (found among the page's text runs), or boxes given as fractions of the page (OCR). */
export type PageHighlight = { kind: 'text'; passage: string; /** Sentences marked more strongly (those that answer). */ strong?: string[] } | { kind: 'boxes'; boxes: Rect[] };

type Box = Rect & { strong?: boolean };

type PdfDocument = Awaited<ReturnType<Awaited<ReturnType<typeof platform.loadPdfjs>>['getDocument']>['promise']>;

/** One pdf.js document per original, kept while the panel shows it. */
function usePdf(bytes: Uint8Array) {
  const [doc, setDoc] = useState<{ pdf: PdfDocument; pdfjs: Awaited<ReturnType<typeof platform.loadPdfjs>> } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    let loaded: PdfDocument | undefined;
    void (async () => {
      try {
        const pdfjs = await platform.loadPdfjs();
        loaded = await pdfjs.getDocument({ data: bytes.slice(), isEvalSupported: false }).promise;
        if (live) setDoc({ pdf: loaded, pdfjs });
        else void loaded.destroy();
      } catch (err) {
        if (live) setError((err as Error).message);
      }
    })();
    return () => {
      live = false;
      void loaded?.destroy();
    };
  }, [bytes]);
  return { doc, error };
}

/**
 * A PDF page rendered with pdf.js at the width of the panel (sharp on high-density screens), the
 * cited lines boxed, and scrolled so they are in view. The file is parsed by pdf.js's own worker;
 * only drawing happens here. Other pages of the document can be browsed.
 */
export function PdfPage({ bytes, page, highlight }: { bytes: Uint8Array; page: number; highlight: PageHighlight | null }) {
  const { doc, error } = usePdf(bytes);
  const [shownPage, setShownPage] = useState(page);
  useEffect(() => setShownPage(page), [page]);
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const focus = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [drawn, setDrawn] = useState<{ height: number; boxes: Box[]; page: number } | null>(null);
  const [renderError, setRenderError] = useState<string | null>(null);

  // Fit to the panel's width, following it when the panel or the window is resized.
  useLayoutEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const measure = () => setWidth(Math.floor(el.clientWidth));
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    if (!doc || !width || !canvas.current) return;
    let cancelled = false;
    let task: { cancel(): void; promise: Promise<void> } | undefined;
    void (async () => {
      try {
        const p = await doc.pdf.getPage(shownPage);
        const base = p.getViewport({ scale: 1 });
        const viewport = p.getViewport({ scale: width / base.width });
        const ratio = Math.min(2, window.devicePixelRatio || 1);
        const c = canvas.current;
        if (!c || cancelled) return;
        c.width = Math.floor(viewport.width * ratio);
        c.height = Math.floor(viewport.height * ratio);
        c.style.width = `${viewport.width}px`;
        c.style.height = `${viewport.height}px`;
        task = p.render({ canvas: c, canvasContext: c.getContext('2d')!, viewport, transform: ratio !== 1 ? [ratio, 0, 0, ratio, 0, 0] : undefined });
        await task.promise;
        let boxes: Box[] = [];
        if (highlight?.kind === 'boxes') {
          boxes = highlight.boxes.map((b) => ({ left: b.left * viewport.width, top: b.top * viewport.height, width: b.width * viewport.width, height: b.height * viewport.height, strong: true }));
        } else if (highlight?.kind === 'text' && shownPage === page) {
          const items = (await p.getTextContent()).items.filter((it): it is Extract<typeof it, { str: string }> => 'str' in it);
          const rect = (i: number): Rect => {
            const it = items[i]!;
            const t = doc.pdfjs.Util.transform(viewport.transform, it.transform) as number[];
            const h = Math.hypot(t[2]!, t[3]!);
            return { left: t[4]!, top: t[5]! - h * 0.9, width: it.width * viewport.scale, height: h * 1.2 };
          };
          const strong = new Set((highlight.strong ?? []).flatMap((sentence) => [...passageItems(items, sentence)]));
          const rest = [...passageItems(items, highlight.passage)].filter((i) => !strong.has(i));
          boxes = [...lineBoxes(rest.map(rect)), ...lineBoxes([...strong].map(rect)).map((b) => ({ ...b, strong: true }))];
        }
        if (!cancelled) setDrawn({ height: viewport.height, boxes, page: shownPage });
      } catch (err) {
        if (!cancelled && (err as Error).name !== 'RenderingCancelledException') setRenderError((err as Error).message);
      }
    })();
    return () => {
      cancelled = true;
      task?.cancel();
    };
  }, [doc, width, shownPage, page, highlight]);

  // Once drawn, the boxed lines are what the reader came for.
  useEffect(() => {
    if (drawn?.boxes.length) focus.current?.scrollIntoView({ block: 'center' });
  }, [drawn]);

  // The bar in the margin and the scroll target: the answering sentences, else the whole passage.
  const focusBoxes = drawn?.boxes.some((b) => b.strong) ? drawn.boxes.filter((b) => b.strong) : (drawn?.boxes ?? []);
  const union = focusBoxes.length
    ? focusBoxes.reduce((u, b) => ({ top: Math.min(u.top, b.top), bottom: Math.max(u.bottom, b.top + b.height), left: Math.min(u.left, b.left) }), { top: Infinity, bottom: -Infinity, left: Infinity })
    : null;
  const pages = doc?.pdf.numPages ?? 0;
  const failed = error ?? renderError;
  return (
    <figure className="pdf-page" aria-label={`Page ${shownPage}`}>
      <div className="pdf-canvas" ref={wrap} style={drawn ? { height: drawn.height } : undefined}>
        {failed ? (
          <p className="source-note">This page could not be shown ({failed}).</p>
        ) : (
          <>
            <canvas ref={canvas} aria-hidden="true" />
            {!drawn && <div className="pdf-loading" aria-hidden="true" />}
            {drawn?.boxes.map((b, i) => (
              <div key={i} className={b.strong ? 'pdf-highlight strong' : 'pdf-highlight'} style={{ left: b.left - 2, top: b.top - 1, width: b.width + 4, height: b.height + 2 }} />
            ))}
            {union && <div ref={focus} className="pdf-focus" style={{ top: union.top, height: union.bottom - union.top, left: Math.max(2, union.left - 12) }} aria-hidden="true" />}
          </>
        )}
      </div>
      <figcaption className="pdf-caption">
        {pages > 1 && (
          <button type="button" className="icon-btn icon-btn-sm" aria-label="Previous page" disabled={shownPage <= 1} onClick={() => setShownPage(shownPage - 1)}>
            <ChevronLeft size={16} aria-hidden />
          </button>
        )}
        <span>
          Page {shownPage}
          {pages ? ` of ${pages}` : ''}
          {drawn && drawn.page === page && highlight?.kind === 'text' && !drawn.boxes.length ? ' · the passage could not be located on the page image' : ''}
        </span>
        {pages > 1 && (
          <button type="button" className="icon-btn icon-btn-sm" aria-label="Next page" disabled={shownPage >= pages} onClick={() => setShownPage(shownPage + 1)}>
            <ChevronRight size={16} aria-hidden />
          </button>
        )}
      </figcaption>
    </figure>
  );
}
