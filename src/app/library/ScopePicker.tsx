import * as Dropdown from '@radix-ui/react-dropdown-menu';
import { ChevronDown, Library } from 'lucide-react';
import type { CollectionInfo } from '../../core';
import { MenuCheckbox } from '../ui/Menu';
import type { CollectionsApi } from './useCollections';
import './collections.css';

/** What the scope is called: "All documents", a collection's name, two names, or how many. */
export function scopeLabel(scope: string[] | null, collections: CollectionInfo[]): string {
  if (!scope) return 'All documents';
  const names = scope.map((id) => collections.find((c) => c.id === id)?.name).filter((n): n is string => !!n);
  if (names.length <= 2) return names.join(' + ');
  return `${names.length} collections`;
}

/**
 * "Ask in: All documents ▾" above the question box: where the next question is searched. Ticking
 * collections asks in any of them; "All documents" clears the choice.
 */
export function ScopePicker({ api }: { api: CollectionsApi }) {
  const { collections, scope, setScope } = api;
  if (!collections.length) return null;
  const toggle = (id: string, on: boolean) => {
    const next = on ? [...(scope ?? []), id] : (scope ?? []).filter((x) => x !== id);
    setScope(next.length ? next : null);
  };
  const label = scopeLabel(scope, collections);
  return (
    <div className="scope-bar">
      <Dropdown.Root modal={false}>
        <Dropdown.Trigger asChild>
          <button
            type="button"
            className="scope-button"
            aria-label={`Ask in: ${label}. Change where questions are asked`}
          >
            <Library size={13} aria-hidden />
            <span>Ask in:</span>
            <strong>{label}</strong>
            <ChevronDown size={13} aria-hidden />
          </button>
        </Dropdown.Trigger>
        <Dropdown.Portal>
          <Dropdown.Content
            className="menu"
            align="start"
            side="top"
            sideOffset={6}
            collisionPadding={8}
            aria-label="Ask in"
          >
            <Dropdown.Label className="menu-label">Ask in</Dropdown.Label>
            <MenuCheckbox checked={scope === null} onChange={() => setScope(null)}>
              All documents
            </MenuCheckbox>
            <Dropdown.Separator className="menu-separator" />
            {collections.map((c) => (
              <MenuCheckbox key={c.id} checked={!!scope?.includes(c.id)} onChange={(on) => toggle(c.id, on)} keepOpen>
                {c.name}
              </MenuCheckbox>
            ))}
          </Dropdown.Content>
        </Dropdown.Portal>
      </Dropdown.Root>
    </div>
  );
}
