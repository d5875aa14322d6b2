import * as RadixTooltip from '@radix-ui/react-tooltip';
import { type ReactElement, type ReactNode, useEffect, useState } from 'react';

export const TooltipProvider = ({ children }: { children: ReactNode }) => (
  <RadixTooltip.Provider delayDuration={350} skipDelayDuration={200}>
    {children}
  </RadixTooltip.Provider>
);

/** A short hint on hover and keyboard focus; the trigger keeps its own accessible name. */
export function Tooltip({
  content,
  children,
  side = 'top',
}: {
  content: ReactNode;
  children: ReactElement;
  side?: 'top' | 'bottom' | 'left' | 'right';
}) {
  const [open, setOpen] = useState(false);
  // A hint may be hovered (it stays while the pointer moves onto it): Radix closes it on the next
  // pointer move outside. A pointer that leaves the window makes no next move, so a hint by the
  // window's edge (New conversation, at the top) stayed up; leaving the window or the window
  // losing focus closes it.
  useEffect(() => {
    if (!open) return;
    const close = () => setOpen(false);
    document.documentElement.addEventListener('pointerleave', close);
    window.addEventListener('blur', close);
    return () => {
      document.documentElement.removeEventListener('pointerleave', close);
      window.removeEventListener('blur', close);
    };
  }, [open]);
  return (
    <RadixTooltip.Root open={open} onOpenChange={setOpen}>
      <RadixTooltip.Trigger asChild>{children}</RadixTooltip.Trigger>
      <RadixTooltip.Portal>
        <RadixTooltip.Content className="tooltip" side={side} sideOffset={6} collisionPadding={8}>
          {content}
        </RadixTooltip.Content>
      </RadixTooltip.Portal>
    </RadixTooltip.Root>
  );
}
