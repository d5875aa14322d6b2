import { ChevronLeft, ChevronRight } from 'lucide-react';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { platform } from '#platform';
import { lineBoxes, passageItems, type Rect } from './pdfBoxes';
import './sources.css';

/** What to mark on the page: the passage's text (found among the page's text runs), or boxes given as fractions of the page (OCR). */
export type PageHighlight =
  | {
      kind: 'text';
      passage: string;
      /** Sentences marked more strongly (those that answer). */
      strong?: string[];
      /** The one sentence that answers best: a passage crossing pages opens on the page that holds it. */
      anchor?: string;
    }
  | { kind: 'boxes'; boxes: (Rect & { page?: number })[] };

type Box = Rect & { strong?: boolean };

type PdfDocument = Awaited<ReturnType<Awaited<ReturnType<typeof platform.loadPdfjs>>['getDocument']>['promise']>;

/** One pdf.js document per original, kept while the panel shows it. */
function usePdf(bytes: Uint8Array) {
  const [doc, setDoc] = useState<{ pdf: PdfDocument; pdfjs: Awaited<ReturnType<typeof platform.loadPdfjs>> } | null>(
    null,
  );
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

type PdfText = Extract<
  Awaited<ReturnType<Awaited<ReturnType<PdfDocument['getPage']>>['getTextContent']>>['items'][number],
  { str: string }
>;
const textItems = async (pdf: PdfDocument, n: number): Promise<PdfText[]> =>
  (await (await pdf.getPage(n)).getTextContent()).items.filter((it): it is PdfText => 'str' in it);

/** Pages searched for the answering sentence of a passage that crosses pages (a cap for runaway ranges). */
const MAX_SPAN = 30;

/**
 * The page a passage opens on: its first, unless it runs over several pages and its answering
 * sentence stands on a later one (a ten-page passage cited for its fifth page opens there). Null
 * while the pages are being read, so the first page is not drawn only to jump away.
 */
function useOpeningPage(
  doc: { pdf: PdfDocument } | null,
  page: number,
  lastPage: number,
  anchor: string | undefined,
): number | null {
  const last = Math.min(lastPage, page + MAX_SPAN);
  const [found, setFound] = useState<{ pdf: PdfDocument; key: string; page: number } | null>(null);
  const key = `${page}:${last}:${anchor}`;
  useEffect(() => {
    if (!doc || last <= page || !anchor) return;
    let live = true;
    void (async () => {
      let best = page;
      let most = 0;
      for (let n = page; n <= last && live; n++) {
        const matched = passageItems(await textItems(doc.pdf, n), anchor).size;
        if (matched > most) [best, most] = [n, matched];
      }
      if (live) setFound({ pdf: doc.pdf, key: `${page}:${last}:${anchor}`, page: best });
    })().catch(() => live && setFound({ pdf: doc.pdf, key: `${page}:${last}:${anchor}`, page }));
    return () => {
      live = false;
    };
  }, [doc, page, last, anchor]);
  if (last <= page || !anchor) return page;
  return doc && found?.pdf === doc.pdf && found.key === key ? found.page : null;
}

/**
 * A PDF page rendered with pdf.js at the width of the panel (sharp on high-density screens), the
 * cited lines boxed, and scrolled so they are in view. The file is parsed by pdf.js's own worker;
 * only drawing happens here. Other pages of the document can be browsed.
 */
export function PdfPage({
  bytes,
  page,
  lastPage = page,
  highlight,
}: {
  bytes: Uint8Array;
  page: number;
  lastPage?: number | undefined;
  highlight: PageHighlight | null;
}) {
  const { doc, error } = usePdf(bytes);
  const opening = useOpeningPage(doc, page, lastPage, highlight?.kind === 'text' ? highlight.anchor : undefined);
  // ‹ › browse other pages; another passage starts again from its own opening page.
  const [browsed, setBrowsed] = useState<{ from: PageHighlight | null; page: number } | null>(null);
  const shownPage = browsed && browsed.from === highlight ? browsed.page : (opening ?? page);
  const setShownPage = (n: number) => setBrowsed({ from: highlight, page: n });
  // The passage's own pages: each holds a part of it to box.
  const inPassage = (n: number) => n >= page && n <= lastPage;
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
    if (!doc || !width || !canvas.current || opening === null) return;
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
        task = p.render({
          canvas: c,
          canvasContext: c.getContext('2d')!,
          viewport,
          transform: ratio !== 1 ? [ratio, 0, 0, ratio, 0, 0] : undefined,
        });
        await task.promise;
        let boxes: Box[] = [];
        if (highlight?.kind === 'boxes') {
          boxes = highlight.boxes
            .filter((b) => (b.page ?? shownPage) === shownPage)
            .map((b) => ({
              left: b.left * viewport.width,
              top: b.top * viewport.height,
              width: b.width * viewport.width,
              height: b.height * viewport.height,
              strong: true,
            }));
        } else if (highlight?.kind === 'text' && shownPage >= page && shownPage <= lastPage) {
          const items = await textItems(doc.pdf, shownPage);
          const rect = (i: number): Rect => {
            const it = items[i]!;
            const t = doc.pdfjs.Util.transform(viewport.transform, it.transform) as number[];
            const h = Math.hypot(t[2]!, t[3]!);
            return { left: t[4]!, top: t[5]! - h * 0.9, width: it.width * viewport.scale, height: h * 1.2 };
          };
          const strong = new Set((highlight.strong ?? []).flatMap((sentence) => [...passageItems(items, sentence)]));
          const rest = [...passageItems(items, highlight.passage)].filter((i) => !strong.has(i));
          boxes = [
            ...lineBoxes(rest.map(rect)),
            ...lineBoxes([...strong].map(rect)).map((b) => ({ ...b, strong: true })),
          ];
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
  }, [doc, width, shownPage, page, lastPage, opening, highlight]);

  // Once drawn, the boxed lines are what the reader came for.
  useEffect(() => {
    if (drawn?.boxes.length) focus.current?.scrollIntoView({ block: 'center' });
  }, [drawn]);

  // The bar in the margin and the scroll target: the answering sentences, else the whole passage.
  const focusBoxes = drawn?.boxes.some((b) => b.strong) ? drawn.boxes.filter((b) => b.strong) : (drawn?.boxes ?? []);
  const union = focusBoxes.length
    ? focusBoxes.reduce(
        (u, b) => ({
          top: Math.min(u.top, b.top),
          bottom: Math.max(u.bottom, b.top + b.height),
          left: Math.min(u.left, b.left),
        }),
        { top: Infinity, bottom: -Infinity, left: Infinity },
      )
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
            {/* The figure's name says which page this is; its words are in "The passage" below. */}
            <canvas ref={canvas} />
            {!drawn && <div className="pdf-loading" aria-hidden="true" />}
            {drawn?.boxes.map((b) => (
              // Boxes are whole lines: no two of one kind start at the same point.
              <div
                key={`${b.strong ? 's' : 'p'}${Math.round(b.left)},${Math.round(b.top)}`}
                className={b.strong ? 'pdf-highlight strong' : 'pdf-highlight'}
                style={{ left: b.left - 2, top: b.top - 1, width: b.width + 4, height: b.height + 2 }}
              />
            ))}
            {union && (
              <div
                ref={focus}
                className="pdf-focus"
                style={{ top: union.top, height: union.bottom - union.top, left: Math.max(2, union.left - 12) }}
                aria-hidden="true"
              />
            )}
          </>
        )}
      </div>
      <figcaption className="pdf-caption">
        {pages > 1 && (
          <button
            type="button"
            className="icon-btn icon-btn-sm"
            aria-label="Previous page"
            disabled={shownPage <= 1}
            onClick={() => setShownPage(shownPage - 1)}
          >
            <ChevronLeft size={16} aria-hidden />
          </button>
        )}
        <span>
          Page {shownPage}
          {pages ? ` of ${pages}` : ''}
          {drawn && inPassage(drawn.page) && highlight?.kind === 'text' && !drawn.boxes.length
            ? ' · the passage could not be located on the page image'
            : ''}
        </span>
        {pages > 1 && (
          <button
            type="button"
            className="icon-btn icon-btn-sm"
            aria-label="Next page"
            disabled={shownPage >= pages}
            onClick={() => setShownPage(shownPage + 1)}
          >
            <ChevronRight size={16} aria-hidden />
          </button>
        )}
      </figcaption>
    </figure>
  );
}
