import { Archive, BookOpen, Gauge, ListChecks, Monitor, Moon, MoreHorizontal, Settings, Sun } from 'lucide-react';
import { usePersisted } from '../persisted';
import { Menu, MenuItem, MenuRadio, MenuSeparator } from '../ui/Menu';
import { themeState, type Theme } from './settings';

export type AppDialog = 'settings' | 'backup' | 'check' | 'device';

/** Settings, backup and the tools live here, off the main page. */
export function AppMenu({
  onOpen,
  onMenuOpen,
  onOpenLibraryFile,
}: {
  onOpen: (d: AppDialog) => void /** The menu opened: a dialog is likely next (its code can be fetched now). */;
  onMenuOpen?: () => void;
  onOpenLibraryFile?: () => void;
}) {
  const [theme, setTheme] = usePersisted(themeState);
  return (
    <Menu
      label="Folio menu"
      {...(onMenuOpen ? { onOpen: onMenuOpen } : {})}
      trigger={
        <button type="button" className="icon-btn" aria-label="Folio menu">
          <MoreHorizontal size={18} aria-hidden />
        </button>
      }
    >
      <MenuItem icon={<Settings size={16} aria-hidden />} onSelect={() => onOpen('settings')}>
        Settings…
      </MenuItem>
      <MenuItem icon={<Archive size={16} aria-hidden />} onSelect={() => onOpen('backup')}>
        Backup and restore…
      </MenuItem>
      {onOpenLibraryFile && (
        <MenuItem icon={<BookOpen size={16} aria-hidden />} onSelect={onOpenLibraryFile}>
          Open a library file…
        </MenuItem>
      )}
      <MenuSeparator />
      <MenuItem icon={<ListChecks size={16} aria-hidden />} onSelect={() => onOpen('check')}>
        Check retrieval…
      </MenuItem>
      <MenuItem icon={<Gauge size={16} aria-hidden />} onSelect={() => onOpen('device')}>
        Device and timings…
      </MenuItem>
      <MenuSeparator />
      <MenuRadio<Theme>
        label="Theme"
        value={theme}
        onChange={setTheme}
        options={[
          { value: 'system', label: 'As the system', icon: <Monitor size={16} aria-hidden /> },
          { value: 'light', label: 'Light', icon: <Sun size={16} aria-hidden /> },
          { value: 'dark', label: 'Dark', icon: <Moon size={16} aria-hidden /> },
        ]}
      />
    </Menu>
  );
}
