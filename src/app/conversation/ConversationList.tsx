import { Download, MessageSquare, MoreHorizontal, Pencil, Plus, Trash2 } from 'lucide-react';
import { useState, type KeyboardEvent } from 'react';
import { ConfirmDialog } from '../ui/Dialog';
import { Menu, MenuItem, MenuSeparator } from '../ui/Menu';
import { conversationTitle, type Conversation } from './conversationStore';
import './conversation.css';
import '../library/library.css';

interface Props {
  conversations: Conversation[];
  currentId: string | undefined;
  onSelect: (id: string) => void;
  onNew: () => void;
  onRename: (id: string, title: string) => void;
  onExport: (c: Conversation) => void;
  onDelete: (c: Conversation) => void;
}

const when = (t: number) => {
  const d = new Date(t);
  const today = new Date();
  return d.toDateString() === today.toDateString()
    ? d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
    : d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
};

/** The rename field takes the focus when "Rename" opens it (the person asked for it; not on page load). */
const takeFocus = (el: HTMLInputElement | null) => {
  el?.focus();
  el?.select();
};

/** The conversations, newest first: open, rename in place, export, delete (asked once). */
export function ConversationList({ conversations, currentId, onSelect, onNew, onRename, onExport, onDelete }: Props) {
  const [editing, setEditing] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<Conversation | null>(null);
  const finish = (c: Conversation, value: string | null) => {
    if (value !== null) onRename(c.id, value);
    setEditing(null);
  };
  return (
    <section className="sidebar-section conversations" aria-labelledby="conversations-heading">
      <div className="section-head">
        <h2 id="conversations-heading" className="section-title caps-label">
          Conversations
        </h2>
        <button type="button" className="btn btn-ghost btn-sm" onClick={onNew}>
          <Plus size={14} aria-hidden />
          New
        </button>
      </div>
      <ul className="conv-list" aria-label="Conversations">
        {conversations.map((c) => (
          <li key={c.id} className={c.id === currentId ? 'conv-row current' : 'conv-row'}>
            {editing === c.id ? (
              <input
                className="input conv-rename"
                aria-label="Conversation name"
                defaultValue={conversationTitle(c)}
                ref={takeFocus}
                onKeyDown={(e: KeyboardEvent<HTMLInputElement>) => {
                  if (e.key === 'Enter') finish(c, e.currentTarget.value);
                  if (e.key === 'Escape') finish(c, null);
                }}
                onBlur={(e) => finish(c, e.currentTarget.value)}
              />
            ) : (
              <button
                type="button"
                className="conv-open"
                aria-current={c.id === currentId ? 'true' : undefined}
                onClick={() => onSelect(c.id)}
              >
                <MessageSquare size={14} aria-hidden />
                <span className="conv-title one-line">{conversationTitle(c)}</span>
                <small className="conv-when">{c.turns.length ? when(c.updatedAt) : ''}</small>
              </button>
            )}
            <Menu
              label={`Actions for ${conversationTitle(c)}`}
              trigger={
                <button
                  type="button"
                  className="icon-btn icon-btn-sm"
                  aria-label={`Actions for conversation ${conversationTitle(c)}`}
                >
                  <MoreHorizontal size={16} aria-hidden />
                </button>
              }
            >
              <MenuItem icon={<Pencil size={16} aria-hidden />} onSelect={() => setEditing(c.id)}>
                Rename
              </MenuItem>
              <MenuItem
                icon={<Download size={16} aria-hidden />}
                onSelect={() => onExport(c)}
                disabled={!c.turns.length}
              >
                Export as Markdown
              </MenuItem>
              <MenuSeparator />
              <MenuItem
                icon={<Trash2 size={16} aria-hidden />}
                danger
                onSelect={() => setConfirm(c)}
                disabled={!c.turns.length}
              >
                Delete…
              </MenuItem>
            </Menu>
          </li>
        ))}
      </ul>
      <ConfirmDialog
        open={!!confirm}
        onCancel={() => setConfirm(null)}
        title="Delete this conversation?"
        description={`“${confirm ? conversationTitle(confirm) : ''}” and its ${confirm?.turns.length ?? 0} answers are deleted from this browser. Your documents stay.`}
        confirm="Delete"
        icon={<Trash2 size={16} aria-hidden />}
        onConfirm={() => confirm && onDelete(confirm)}
      />
    </section>
  );
}
