import * as RadixDialog from '@radix-ui/react-dialog';
import { X } from 'lucide-react';
import type { ReactNode } from 'react';

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
          // A control marked data-autofocus (Cancel, in a confirmation) takes focus first.
          onOpenAutoFocus={(e) => {
            const first = (e.currentTarget as HTMLElement | null)?.querySelector<HTMLElement>('[data-autofocus]');
            if (first) {
              e.preventDefault();
              first.focus();
            }
          }}
        >
          <div className="dialog-header">
            <RadixDialog.Title className="dialog-title">{title}</RadixDialog.Title>
            <RadixDialog.Close className="icon-btn" aria-label="Close">
              <X size={18} aria-hidden />
            </RadixDialog.Close>
          </div>
          <div className="dialog-body">
            {description && <RadixDialog.Description className="dialog-description">{description}</RadixDialog.Description>}
            {children}
          </div>
          {footer && <div className="dialog-footer">{footer}</div>}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

/** A full-height panel sliding in from one side (the library drawer, sources on a phone). */
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
  side: 'left' | 'right';
  title: string;
  children: ReactNode;
  onCloseAutoFocus?: (e: Event) => void;
}) {
  return (
    <RadixDialog.Root open={open} onOpenChange={onOpenChange}>
      <RadixDialog.Portal>
        <div className="scrim" aria-hidden="true" />
        <RadixDialog.Content className={`sheet sheet-${side}`} aria-describedby={undefined} {...(onCloseAutoFocus ? { onCloseAutoFocus } : {})}>
          <RadixDialog.Title className="visually-hidden">{title}</RadixDialog.Title>
          {children}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

/** "Remove x?" asked once: Cancel, or the (destructive) action. */
export function ConfirmDialog({ open, onCancel, title, description, confirm, icon, onConfirm }: { open: boolean; onCancel: () => void; title: string; description: ReactNode; confirm: string; icon?: ReactNode; onConfirm: () => void }) {
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
