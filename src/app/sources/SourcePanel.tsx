import { ChevronLeft, ChevronRight, FileX, X } from 'lucide-react';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { RemoteLibrary } from '../../client/library';
import type { ContextPassage, DocumentRecord } from '../../core';
import { DocIcon } from '../library/DocIcon';
import { bestSentences, docTypeOf } from '../conversation/Passages';
import { where } from '../conversation/place';
import { RichText } from '../conversation/RichText';
import { ImagePage } from './ImagePage';
import { PdfPage, type PageHighlight } from './PdfPage';
import { SourceGuide } from './SourceGuide';
import { TextView } from './TextView';
import { TableSource } from '../conversation/table/TableSource';
import type { SourceTarget } from './useSource';
import { counted } from '../ui/format';
import './sources.css';

interface Props {
  target: SourceTarget;
  library: () => Promise<RemoteLibrary | null>;
  documents: DocumentRecord[];
  /** Changes each time a citation or document is opened (not on ‹ ›): the panel then takes focus. */
  opened: number;
  onClose: () => void;
  onStep: (delta: number) => void;
}

/** Line boxes an OCR'd page may carry with its passage (fractions of the page), when valid. */
function ocrBoxes(p: ContextPassage): PageHighlight | null {
  const boxes = (p.location as { boxes?: unknown }).boxes;
  if (!Array.isArray(boxes) || !boxes.length) return null;
  const rects = boxes
    .map((b) => b as Record<string, unknown>)
    .map((b) => ({
      ...(typeof b.page === 'number' ? { page: b.page } : {}),
      left: Number(b.left ?? b.x),
      top: Number(b.top ?? b.y),
      width: Number(b.width ?? b.w),
      height: Number(b.height ?? b.h),
    }))
    .filter((r) => [r.left, r.top, r.width, r.height].every((v) => Number.isFinite(v) && v >= 0 && v <= 1));
  return rects.length ? { kind: 'boxes', boxes: rects } : null;
}

type Loaded = { text?: string; original?: Uint8Array; missing: boolean };

/** Reads what the panel needs from the library: the document's text, and its original for a PDF. */
function useDocument(library: Props['library'], docId: string, wantOriginal: boolean, exists: boolean) {
  const [loaded, setLoaded] = useState<{ docId: string } & Loaded>();
  useEffect(() => {
    let live = true;
    if (!exists) {
      setLoaded({ docId, missing: true });
      return;
    }
    void library().then(async (lib) => {
      const [text, original] = await Promise.all([
        lib?.getDocumentText(docId),
        wantOriginal ? lib?.getOriginal(docId) : undefined,
      ]);
      if (live)
        setLoaded({
          docId,
          ...(text !== undefined ? { text } : {}),
          ...(original ? { original } : {}),
          missing: text === undefined,
        });
    });
    return () => {
      live = false;
    };
  }, [library, docId, wantOriginal, exists]);
  return loaded?.docId === docId ? loaded : undefined;
}

/**
 * The source beside the answer: the cited passage in its document — a PDF page fit to the panel
 * with the passage's lines boxed, or the document's text with the passage marked — scrolled into
 * view, with ‹ › through the answer's other sources. Esc closes it.
 */
export default function SourcePanel(props: Props) {
  const { target } = props;
  return target.kind === 'table' ? (
    <TableSource answer={target.answer} library={props.library} opened={props.opened} onClose={props.onClose} />
  ) : (
    <PassageSource {...props} target={target} />
  );
}

function PassageSource({
  target,
  library,
  documents,
  opened,
  onClose,
  onStep,
}: Props & { target: Exclude<SourceTarget, { kind: 'table' }> }) {
  const passage = target.kind === 'citation' ? target.passages[target.n - 1] : undefined;
  const docId = target.kind === 'citation' ? (passage?.docId ?? '') : target.doc.id;
  const record = documents.find((d) => d.id === docId);
  const name = target.kind === 'citation' ? (passage?.docName ?? '') : target.doc.name;
  const type = record?.type ?? docTypeOf(name);
  const page = target.kind === 'citation' ? passage?.location.page : type === 'pdf' ? 1 : undefined;
  const loaded = useDocument(library, docId, !!page && (type === 'pdf' || type === 'image'), !!record);
  // A checked sentence's chip marks the sentence that backs it; other chips, the best-matching ones.
  const support = target.kind === 'citation' && target.support?.passage === target.n ? target.support : undefined;
  const marks = useMemo(
    () =>
      passage && target.kind === 'citation'
        ? support
          ? [{ start: support.start, end: support.end }]
          : bestSentences(target.query, passage.text, 2)
        : [],
    [passage, target, support],
  );
  const highlight = useMemo<PageHighlight | null>(() => {
    if (!passage) return null;
    const boxes = ocrBoxes(passage);
    if (boxes) return boxes;
    const best = support
      ? { start: support.start, end: support.end }
      : target.kind === 'citation'
        ? bestSentences(target.query, passage.text, 1)[0]
        : undefined;
    return {
      kind: 'text',
      passage: passage.text,
      strong: marks.map((r) => passage.text.slice(r.start, r.end)),
      ...(best ? { anchor: passage.text.slice(best.start, best.end) } : {}),
    };
  }, [passage, marks, target, support]);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (opened) heading.current?.focus({ preventScroll: true });
  }, [opened]);

  const place = passage
    ? where(passage)
    : target.kind === 'document'
      ? `${record?.pageCount ? `${counted(record.pageCount, 'page')} · ` : ''}${counted(record?.chunkCount ?? 0, 'passage')}`
      : '';
  const label = target.kind === 'citation' ? `Source ${target.n} of ${target.passages.length}` : 'Document';
  return (
    <div className="source">
      <div className="source-header">
        <h2 className="source-title" ref={heading} tabIndex={-1} id="source-title">
          {label}
        </h2>
        {target.kind === 'citation' && target.passages.length > 1 && (
          <span className="source-steps">
            <button
              type="button"
              className="icon-btn icon-btn-sm"
              aria-label="Previous source"
              disabled={target.n <= 1}
              onClick={() => onStep(-1)}
            >
              <ChevronLeft size={16} aria-hidden />
            </button>
            <button
              type="button"
              className="icon-btn icon-btn-sm"
              aria-label="Next source"
              disabled={target.n >= target.passages.length}
              onClick={() => onStep(1)}
            >
              <ChevronRight size={16} aria-hidden />
            </button>
          </span>
        )}
        <button type="button" className="icon-btn source-close" aria-label="Close source" onClick={onClose}>
          <X size={18} aria-hidden />
        </button>
      </div>
      <div className="source-doc">
        <DocIcon type={type} size={16} />
        <div className="source-doc-text">
          <span className="source-doc-name one-line" title={name}>
            {name}
          </span>
          {place && <span className="source-doc-place">{place}</span>}
        </div>
      </div>
      <div className="source-body">
        {target.kind === 'document' && record && <SourceGuide docId={docId} docName={name} library={library} />}
        {!loaded && <div className="source-loading" aria-hidden="true" />}
        {loaded?.missing && (
          <>
            <div className="callout callout-warning" role="status">
              <FileX size={18} aria-hidden />
              <div className="callout-body">
                <p>
                  <strong>{name} is no longer in your library.</strong> It was removed after this answer was written, so
                  it can't be opened.
                  {passage ? ' This is the passage as it was quoted:' : ''}
                </p>
              </div>
            </div>
            {passage && <RichText className="source-quote" text={passage.text} ranges={marks} />}
          </>
        )}
        {loaded && !loaded.missing && page && loaded.original && type === 'image' && (
          <ImagePage
            key={docId}
            bytes={loaded.original}
            name={name}
            boxes={highlight?.kind === 'boxes' ? highlight.boxes : []}
          />
        )}
        {loaded && !loaded.missing && page && loaded.original && type !== 'image' && (
          <PdfPage
            key={docId}
            bytes={loaded.original}
            page={page}
            lastPage={passage?.location.pageEnd}
            highlight={highlight}
          />
        )}
        {loaded && !loaded.missing && page && passage && (
          <section className="source-passage" aria-label="Passage text">
            <h3 className="source-subtitle caps-label">The passage</h3>
            <RichText text={passage.text} ranges={marks.length ? marks : []} />
          </section>
        )}
        {loaded && !loaded.missing && !page && loaded.text !== undefined && (
          <TextView
            key={`${docId}:${passage?.location.start ?? 0}:${passage?.location.end ?? 0}:${support?.start ?? ''}`}
            text={loaded.text}
            start={(passage?.location.start ?? 0) + (support?.start ?? 0)}
            end={support && passage ? passage.location.start + support.end : (passage?.location.end ?? 0)}
          />
        )}
      </div>
    </div>
  );
}
