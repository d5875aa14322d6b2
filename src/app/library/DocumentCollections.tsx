import * as Dropdown from '@radix-ui/react-dropdown-menu';
import { ChevronRight, FolderPlus } from 'lucide-react';
import type { CollectionInfo, DocumentRecord } from '../../core';
import { MenuCheckbox } from '../ui/Menu';
import './collections.css';

/**
 * A document's "Collections ▸" submenu in its ⋯ menu: tick a collection to put the document in
 * it, untick to take it out (it stays in the library). Collections from library files are listed
 * but cannot be changed here.
 */
export function DocumentCollections({
  doc,
  collections,
  onToggle,
}: {
  doc: DocumentRecord;
  collections: CollectionInfo[];
  onToggle: (collectionId: string, docId: string, member: boolean) => void;
}) {
  if (!collections.length) return null;
  return (
    <Dropdown.Sub>
      <Dropdown.SubTrigger className="menu-item menu-sub-trigger">
        <FolderPlus size={16} aria-hidden />
        <span>Collections</span>
        <ChevronRight size={16} aria-hidden className="menu-chevron" />
      </Dropdown.SubTrigger>
      <Dropdown.Portal>
        <Dropdown.SubContent
          className="menu"
          sideOffset={4}
          collisionPadding={8}
          aria-label={`Collections of ${doc.name}`}
        >
          {collections.map((c) => (
            <MenuCheckbox
              key={c.id}
              checked={!!doc.collections?.includes(c.id)}
              disabled={!!c.readOnly}
              onChange={(on) => onToggle(c.id, doc.id, on)}
            >
              {c.name}
            </MenuCheckbox>
          ))}
        </Dropdown.SubContent>
      </Dropdown.Portal>
    </Dropdown.Sub>
  );
}
