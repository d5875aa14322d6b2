import { useEffect, useMemo, useRef, useState } from 'react';
import type { Rect } from './pdfBoxes';

/**
 * A picture of a page (a photo or scan added as an image), fit to the panel's width, with the
 * cited lines boxed where OCR read them. Boxes are fractions of the picture, so they follow it at
 * any width.
 */
export function ImagePage({ bytes, boxes, name }: { bytes: Uint8Array; boxes: Rect[]; name: string }) {
  const url = useMemo(() => URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>])), [bytes]);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  const [state, setState] = useState<'loading' | 'shown' | 'failed'>('loading');
  const focus = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (state === 'shown') focus.current?.scrollIntoView({ block: 'center' });
  }, [state]);
  if (state === 'failed')
    return (
      <p className="source-note">
        This browser cannot show {name} (a format it does not display, such as TIFF); its recognised text is below.
      </p>
    );
  return (
    <figure className="pdf-page" aria-label="The image">
      {/* The boxes are placed on the picture's own frame, not on the panel's (which may be taller). */}
      <div className="pdf-canvas image-frame">
        <img
          src={url}
          alt=""
          className="image-page"
          onLoad={() => setState('shown')}
          onError={() => setState('failed')}
        />
        {state === 'loading' && <div className="pdf-loading" aria-hidden="true" />}
        {state === 'shown' &&
          boxes.map((b, i) => (
            <div
              key={`${b.left},${b.top}`}
              ref={i === 0 ? focus : undefined}
              className="pdf-highlight strong"
              style={{
                left: `${b.left * 100}%`,
                top: `${b.top * 100}%`,
                width: `${b.width * 100}%`,
                height: `${b.height * 100}%`,
              }}
            />
          ))}
      </div>
    </figure>
  );
}
