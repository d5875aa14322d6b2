import { Download, Menu as MenuIcon, SquarePen } from 'lucide-react';
import type { ReactNode } from 'react';
import { Tooltip } from '../ui/Tooltip';
import './conversation.css';

interface Props {
  title: string;
  canExport: boolean;
  onExport: () => void;
  onNew: () => void;
  /** Narrow layouts: opens the library drawer. */
  onOpenLibrary?: () => void;
  /** The answer engines menu. */
  engines: ReactNode;
}

/** The bar above the conversation: its name, the answer engine, new and export. */
export function ConversationHeader({ title, canExport, onExport, onNew, onOpenLibrary, engines }: Props) {
  return (
    <header className="conv-header">
      {onOpenLibrary && (
        <button type="button" className="icon-btn" aria-label="Open library" onClick={onOpenLibrary}>
          <MenuIcon size={20} aria-hidden />
        </button>
      )}
      <h1 className="conv-heading one-line" title={title}>
        {title}
      </h1>
      <div className="conv-header-actions">
        <Tooltip content="New conversation">
          <button type="button" className="icon-btn" aria-label="New conversation" onClick={onNew}>
            <SquarePen size={18} aria-hidden />
          </button>
        </Tooltip>
        <Tooltip
          content={canExport ? 'Export this conversation as Markdown' : 'Nothing to export yet: ask a question first'}
        >
          <button
            type="button"
            className="icon-btn"
            aria-label="Export as Markdown"
            aria-disabled={!canExport}
            onClick={() => canExport && onExport()}
          >
            <Download size={18} aria-hidden />
          </button>
        </Tooltip>
        {engines}
      </div>
    </header>
  );
}
