import { ArrowUp, Square } from 'lucide-react';
import {
  forwardRef,
  useImperativeHandle,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import './conversation.css';

interface Props {
  busy: boolean;
  /** Why a question cannot be sent yet, in words; null when it can. */
  blocked: string | null;
  placeholder: string;
  onAsk: (question: string) => void;
  onStop: () => void;
  /** Where the question will be searched ("Ask in: All documents ▾"), shown above the box. */
  scope?: ReactNode;
}

export interface ComposerHandle {
  focus(): void;
  ask(question: string): void;
}

/** The box grows with its text, up to 200 px: measured as it is typed (the DOM already holds it). */
function grow(el: HTMLTextAreaElement) {
  el.style.height = 'auto';
  el.style.height = `${Math.min(el.scrollHeight, 200)}px`;
}

/**
 * The question box, always at the bottom. Enter sends, Shift+Enter starts a new line, Esc stops
 * the answer being written. It grows with what is typed, up to a few lines.
 */
export const Composer = forwardRef<ComposerHandle, Props>(function Composer(
  { busy, blocked, placeholder, onAsk, onStop, scope },
  ref,
) {
  const [query, setQuery] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  const send = (text = query) => {
    if (!text.trim() || busy) return;
    if (blocked) return setNotice(blocked);
    setNotice(null);
    onAsk(text.trim());
    setQuery('');
    // Back to one line (the text is gone).
    if (box.current) box.current.style.height = '';
  };
  useImperativeHandle(ref, () => ({ focus: () => box.current?.focus(), ask: (q) => send(q) }));

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      send();
    } else if (e.key === 'Escape') onStop();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    send();
  };
  return (
    <form className="composer" onSubmit={submit} aria-label="Ask">
      {scope}
      <div className={notice ? 'composer-box has-notice' : 'composer-box'}>
        <textarea
          ref={box}
          id="question"
          aria-label="Ask a question"
          aria-describedby="composer-hint"
          placeholder={placeholder}
          value={query}
          rows={1}
          onChange={(e) => {
            setQuery(e.target.value);
            grow(e.currentTarget);
            if (notice) setNotice(null);
          }}
          onKeyDown={onKeyDown}
        />
        {busy ? (
          <button type="button" className="composer-send stop" onClick={onStop} aria-label="Stop">
            <Square size={14} fill="currentColor" aria-hidden />
          </button>
        ) : (
          <button
            type="submit"
            className="composer-send"
            aria-label="Send"
            aria-disabled={!query.trim() || !!blocked}
            title={blocked ?? (query.trim() ? 'Send (Enter)' : 'Type a question first')}
          >
            <ArrowUp size={18} aria-hidden />
          </button>
        )}
      </div>
      <p
        id="composer-hint"
        className={notice ? 'composer-hint notice' : 'composer-hint'}
        role={notice ? 'alert' : undefined}
      >
        {notice ?? (
          <>
            <kbd>Enter</kbd> sends · <kbd>Shift</kbd>+<kbd>Enter</kbd> new line · <kbd>Esc</kbd> stops · <kbd>/</kbd>{' '}
            jumps here
          </>
        )}
      </p>
    </form>
  );
});
