import { useEffect, useRef, useState } from 'react';
import { platform } from '#platform';

interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

const norm = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * One PDF page rendered with pdf.js, with the text runs that belong to the cited passage boxed.
 * The file is parsed by pdf.js's own worker; only drawing the canvas happens here.
 */
export function PdfPage({ bytes, page, passage }: { bytes: Uint8Array; page: number; passage: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [boxes, setBoxes] = useState<Box[]>([]);
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    let cleanup: (() => void) | undefined;
    void (async () => {
      try {
        const pdfjs = await platform.loadPdfjs();
        const doc = await pdfjs.getDocument({ data: bytes.slice(), isEvalSupported: false }).promise;
        cleanup = () => void doc.destroy();
        const p = await doc.getPage(page);
        const viewport = p.getViewport({ scale: Math.min(1.5, 720 / p.getViewport({ scale: 1 }).width) });
        const c = canvas.current;
        if (!c || cancelled) return;
        c.width = viewport.width;
        c.height = viewport.height;
        await p.render({ canvas: c, canvasContext: c.getContext('2d')!, viewport }).promise;
        const wanted = norm(passage);
        const found: Box[] = [];
        for (const item of (await p.getTextContent()).items) {
          if (!('str' in item) || norm(item.str).length < 4 || !wanted.includes(norm(item.str))) continue;
          const t = pdfjs.Util.transform(viewport.transform, item.transform) as number[];
          const height = Math.hypot(t[2]!, t[3]!);
          found.push({ left: t[4]!, top: t[5]! - height, width: item.width * viewport.scale, height: height * 1.15 });
        }
        if (!cancelled) {
          setSize({ width: viewport.width, height: viewport.height });
          setBoxes(found);
        }
      } catch (err) {
        if (!cancelled) setError((err as Error).message);
      }
    })();
    return () => {
      cancelled = true;
      cleanup?.();
    };
  }, [bytes, page, passage]);

  // Once drawn, the highlighted place on the page is what the reader came for.
  const figure = useRef<HTMLElement>(null);
  useEffect(() => {
    figure.current?.querySelector('.pdf-highlight')?.scrollIntoView?.({ block: 'center' });
  }, [boxes]);

  if (error) return <p className="error">This page could not be shown ({error}).</p>;
  // Focusable: at phone width the page scrolls, and keyboard users must be able to scroll it.
  return (
    <figure className="pdf-page" aria-label={`Page ${page}`} ref={figure} tabIndex={0}>
      <div className="pdf-canvas" style={size ? { width: size.width, height: size.height } : undefined}>
        <canvas ref={canvas} />
        {boxes.map((b, i) => (
          <div key={i} className="pdf-highlight" style={{ left: b.left, top: b.top, width: b.width, height: b.height }} />
        ))}
      </div>
      <figcaption>
        Page {page}
        {boxes.length ? '' : ' (the passage could not be located on the page image)'}
      </figcaption>
    </figure>
  );
}
