import { X } from 'lucide-react';
import { useEffect, useRef } from 'react';
import type { RemoteLibrary } from '../../../client/library';
import { DocIcon } from '../../library/DocIcon';
import { docTypeOf } from '../Passages';
import type { ComputedTable } from './tableActions';
import { TableRows } from './TableRows';

/** The source panel for a computed answer: its table's name and the rows it used. */
export function TableSource({
  answer,
  library,
  opened,
  onClose,
}: {
  answer: ComputedTable;
  library: () => Promise<RemoteLibrary | null>;
  opened: number;
  onClose: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (opened) heading.current?.focus({ preventScroll: true });
  }, [opened]);
  const c = answer.citation;
  const inDoc = c.table.startsWith(`${c.docName} › `) ? c.table.slice(c.docName.length + 3) : '';
  return (
    <div className="source">
      <div className="source-header">
        <h2 className="source-title" ref={heading} tabIndex={-1} id="source-title">
          Rows used
        </h2>
        <button type="button" className="icon-btn source-close" aria-label="Close source" onClick={onClose}>
          <X size={18} aria-hidden />
        </button>
      </div>
      <div className="source-doc">
        <DocIcon type={docTypeOf(c.docName)} size={16} />
        <div className="source-doc-text">
          <span className="source-doc-name one-line" title={c.docName}>
            {c.docName}
          </span>
          <span className="source-doc-place">
            {[inDoc, c.page ? `sheet ${c.page}` : '', c.headerRow ? `header on row ${c.headerRow}` : '']
              .filter(Boolean)
              .join(' · ')}
          </span>
        </div>
      </div>
      <div className="source-body">
        <TableRows answer={answer} library={library} />
      </div>
    </div>
  );
}
