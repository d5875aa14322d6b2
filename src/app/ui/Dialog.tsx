import * as RadixDialog from '@radix-ui/react-dialog';
import { X } from 'lucide-react';
import {
  useRef,
  type MouseEvent as ReactMouseEvent,
  type PointerEvent as ReactPointerEvent,
  type ReactNode,
} from 'react';

/**
 * Radix's Dialog without its Overlay part: that part locks page scrolling by injecting a <style>
 * element, which Folio's Content-Security-Policy (style-src 'self') rightly refuses. The app shell
 * never scrolls as a whole, so a plain scrim does the same job. Focus is trapped and returned,
 * Esc closes, the rest of the page is hidden from assistive technology — all Radix's.
 */
interface DialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: ReactNode;
  children?: ReactNode;
  footer?: ReactNode;
  wide?: boolean;
}

export function Dialog({ open, onOpenChange, title, description, children, footer, wide }: DialogProps) {
  return (
    <RadixDialog.Root open={open} onOpenChange={onOpenChange}>
      <RadixDialog.Portal>
        <div className="scrim" aria-hidden="true" />
        <RadixDialog.Content
          className={wide ? 'dialog dialog-wide' : 'dialog'}
          {...(description ? {} : { 'aria-describedby': undefined })}
          // A control marked data-autofocus (Cancel, in a confirmation) takes focus first; otherwise
          // the dialog itself does (a screen reader reads its title, Tab goes on to its controls),
          // rather than its close button, which would show a focus ring nobody asked for.
          onOpenAutoFocus={(e) => {
            const dialog = e.currentTarget as HTMLElement | null;
            if (!dialog) return;
            e.preventDefault();
            (dialog.querySelector<HTMLElement>('[data-autofocus]') ?? dialog).focus();
          }}
        >
          <div className="dialog-header">
            <RadixDialog.Title className="dialog-title">{title}</RadixDialog.Title>
            <RadixDialog.Close className="icon-btn" aria-label="Close">
              <X size={18} aria-hidden />
            </RadixDialog.Close>
          </div>
          <div className="dialog-body">
            {description && (
              <RadixDialog.Description className="dialog-description">{description}</RadixDialog.Description>
            )}
            {children}
          </div>
          {footer && <div className="dialog-footer">{footer}</div>}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

/** A full-height panel sliding in from one side (the library drawer), or up from the bottom (sources on a phone). */
export function Sheet({
  open,
  onOpenChange,
  side,
  title,
  children,
  onCloseAutoFocus,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  side: 'left' | 'right' | 'bottom';
  title: string;
  children: ReactNode;
  onCloseAutoFocus?: (e: Event) => void;
}) {
  const swipe = useSwipeDown(() => onOpenChange(false));
  return (
    <RadixDialog.Root open={open} onOpenChange={onOpenChange}>
      <RadixDialog.Portal>
        <div className="scrim" aria-hidden="true" />
        <RadixDialog.Content
          className={`sheet sheet-${side}`}
          aria-describedby={undefined}
          {...(onCloseAutoFocus ? { onCloseAutoFocus } : {})}
          {...(side === 'bottom' ? swipe : {})}
        >
          <RadixDialog.Title className="visually-hidden">{title}</RadixDialog.Title>
          {side === 'bottom' && <div className="sheet-grab" aria-hidden="true" />}
          {children}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

/** How far from the sheet's top a swipe may start: the grab bar and the header under it. */
const GRAB_ZONE_PX = 120;

/**
 * Swiping a bottom sheet down closes it, as on a phone's own sheets: a drag that starts on its top
 * band (not in the scrolling content, which keeps scrolling) follows the finger, and closes the
 * sheet when let go past a quarter of its height or flicked; otherwise it springs back. Buttons in
 * that band still take taps: only a drag past a few pixels becomes a swipe, and its click is eaten.
 * Keyboard and screen-reader users close it as any dialog (Esc, the close button).
 */
function useSwipeDown(onClose: () => void) {
  const drag = useRef<{ id: number; y: number; t: number; dy: number; moving: boolean } | null>(null);
  const swallowClick = useRef(false);
  const settle = (el: HTMLElement, to: string) => {
    el.style.transition = 'transform var(--duration) var(--ease)';
    el.style.transform = to;
  };
  return {
    onPointerDown(e: ReactPointerEvent<HTMLElement>) {
      swallowClick.current = false;
      if (e.button !== 0 || e.clientY - e.currentTarget.getBoundingClientRect().top > GRAB_ZONE_PX) return;
      drag.current = { id: e.pointerId, y: e.clientY, t: e.timeStamp, dy: 0, moving: false };
    },
    onPointerMove(e: ReactPointerEvent<HTMLElement>) {
      const d = drag.current;
      if (!d || d.id !== e.pointerId) return;
      d.dy = Math.max(0, e.clientY - d.y);
      if (!d.moving && d.dy > 8) {
        d.moving = true;
        e.currentTarget.setPointerCapture(e.pointerId);
        e.currentTarget.style.transition = 'none';
      }
      if (d.moving) e.currentTarget.style.transform = `translateY(${d.dy}px)`;
    },
    onPointerUp(e: ReactPointerEvent<HTMLElement>) {
      const d = drag.current;
      drag.current = null;
      if (!d?.moving || d.id !== e.pointerId) return;
      swallowClick.current = true;
      const el = e.currentTarget;
      const flick = d.dy > 40 && d.dy / Math.max(1, e.timeStamp - d.t) > 0.5;
      if (d.dy > el.getBoundingClientRect().height / 4 || flick) {
        settle(el, 'translateY(100%)');
        const ms = Number.parseFloat(getComputedStyle(el).transitionDuration) * 1000 || 0;
        window.setTimeout(onClose, ms);
      } else settle(el, '');
    },
    onPointerCancel(e: ReactPointerEvent<HTMLElement>) {
      if (drag.current?.moving) settle(e.currentTarget, '');
      drag.current = null;
    },
    onClickCapture(e: ReactMouseEvent<HTMLElement>) {
      if (!swallowClick.current) return;
      swallowClick.current = false;
      e.preventDefault();
      e.stopPropagation();
    },
  };
}

/** "Remove x?" asked once: Cancel, or the (destructive) action. */
export function ConfirmDialog({
  open,
  onCancel,
  title,
  description,
  confirm,
  icon,
  onConfirm,
}: {
  open: boolean;
  onCancel: () => void;
  title: string;
  description: ReactNode;
  confirm: string;
  icon?: ReactNode;
  onConfirm: () => void;
}) {
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => !o && onCancel()}
      title={title}
      description={description}
      footer={
        <>
          <button type="button" className="btn" onClick={onCancel} data-autofocus>
            Cancel
          </button>
          <button
            type="button"
            className="btn btn-danger"
            onClick={() => {
              onConfirm();
              onCancel();
            }}
          >
            {icon}
            {confirm}
          </button>
        </>
      }
    />
  );
}
