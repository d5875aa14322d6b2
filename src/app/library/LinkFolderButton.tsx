import { FolderSync } from 'lucide-react';
import type { LinkedFoldersApi } from './useLinkedFolders';

/** "Link a folder", under "Add documents": disabled, with the reason, where the browser cannot. */
export function LinkFolderButton({ api, disabled }: { api: LinkedFoldersApi; disabled: string | null }) {
  const why = api.unavailable ?? disabled;
  return (
    <>
      <button
        type="button"
        className="btn btn-ghost btn-sm link-folder"
        onClick={() => void api.link()}
        disabled={!!why || !api.canLink}
        aria-describedby={api.unavailable ? 'link-folder-why' : undefined}
      >
        <FolderSync size={16} aria-hidden />
        Link a folder
      </button>
      {api.unavailable && (
        <small className="sidebar-hint" id="link-folder-why">
          {api.unavailable}
        </small>
      )}
      {api.error && (
        <small className="sidebar-hint link-folder-error" role="alert">
          {api.error}
        </small>
      )}
    </>
  );
}
