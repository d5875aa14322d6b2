import * as Dropdown from '@radix-ui/react-dropdown-menu';
import { Check } from 'lucide-react';
import type { ReactElement, ReactNode } from 'react';

/**
 * Menus are Radix DropdownMenus, non-modal: a modal one locks scrolling by injecting a <style>
 * element, which the Content-Security-Policy refuses (and the app shell does not scroll anyway).
 */
export function Menu({
  trigger,
  children,
  align = 'end',
  label,
  onOpen,
}: {
  trigger: ReactElement;
  children: ReactNode;
  align?: 'start' | 'end';
  label?: string;
  onOpen?: () => void;
}) {
  return (
    <Dropdown.Root modal={false} {...(onOpen ? { onOpenChange: (open: boolean) => open && onOpen() } : {})}>
      <Dropdown.Trigger asChild>{trigger}</Dropdown.Trigger>
      <Dropdown.Portal>
        <Dropdown.Content
          className="menu"
          align={align}
          sideOffset={6}
          collisionPadding={8}
          {...(label ? { 'aria-label': label } : {})}
        >
          {children}
        </Dropdown.Content>
      </Dropdown.Portal>
    </Dropdown.Root>
  );
}

export function MenuItem({
  icon,
  children,
  onSelect,
  danger,
  disabled,
}: {
  icon?: ReactNode;
  children: ReactNode;
  onSelect: () => void;
  danger?: boolean;
  disabled?: boolean;
}) {
  return (
    <Dropdown.Item
      className={danger ? 'menu-item menu-item-danger' : 'menu-item'}
      onSelect={onSelect}
      disabled={!!disabled}
    >
      {icon}
      <span>{children}</span>
    </Dropdown.Item>
  );
}

export function MenuRadio<V extends string>({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: V;
  options: { value: V; label: string; icon?: ReactNode }[];
  onChange: (v: V) => void;
}) {
  return (
    <Dropdown.Group aria-label={label}>
      <Dropdown.Label className="menu-label">{label}</Dropdown.Label>
      <Dropdown.RadioGroup value={value} onValueChange={(v) => onChange(v as V)}>
        {options.map((o) => (
          <Dropdown.RadioItem key={o.value} value={o.value} className="menu-item">
            {o.icon}
            <span>{o.label}</span>
            <Dropdown.ItemIndicator className="menu-check">
              <Check size={16} aria-hidden />
            </Dropdown.ItemIndicator>
          </Dropdown.RadioItem>
        ))}
      </Dropdown.RadioGroup>
    </Dropdown.Group>
  );
}

/** A ticked item; `keepOpen` lets several be ticked without the menu closing in between. */
export function MenuCheckbox({
  checked,
  onChange,
  children,
  disabled,
  keepOpen,
}: {
  checked: boolean;
  onChange: (on: boolean) => void;
  children: ReactNode;
  disabled?: boolean;
  keepOpen?: boolean;
}) {
  return (
    <Dropdown.CheckboxItem
      className="menu-item"
      checked={checked}
      disabled={!!disabled}
      onCheckedChange={(on) => onChange(on === true)}
      {...(keepOpen ? { onSelect: (e: Event) => e.preventDefault() } : {})}
    >
      <span>{children}</span>
      <Dropdown.ItemIndicator className="menu-check">
        <Check size={16} aria-hidden />
      </Dropdown.ItemIndicator>
    </Dropdown.CheckboxItem>
  );
}

export const MenuSeparator = () => <Dropdown.Separator className="menu-separator" />;
