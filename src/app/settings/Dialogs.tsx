import type { OpenedInfo } from '../../core';
import type { EvalQuestion, EvalReport } from '../../core';
import type { AppDialog } from './AppMenu';
import { BackupDialog } from './BackupDialog';
import type { ModelServersApi } from './ModelServers';
import { SettingsDialog } from './SettingsDialog';
import { ToolsDialog } from './ToolsDialog';

export interface DialogsProps {
  open: AppDialog | null;
  onOpen: (d: AppDialog | null) => void;
  reembed: { done: number; total: number } | null;
  /** The model servers added in the engines menu, listed in Settings. */
  servers: ModelServersApi;
  onExport: () => Promise<Blob>;
  onImport: (file: File) => Promise<string>;
  /** Why the library cannot be backed up or checked right now, or null. */
  unavailable: string | null;
  evaluate: (qs: EvalQuestion[], k: number) => Promise<EvalReport>;
  info: OpenedInfo | null;
  lastAnswerMs: number | undefined;
}

/** The app's dialogs, loaded the first time one is opened (they are not needed to start). */
export default function Dialogs(p: DialogsProps) {
  const close = (o: boolean) => !o && p.onOpen(null);
  return (
    <>
      <SettingsDialog open={p.open === 'settings'} onOpenChange={close} reembed={p.reembed} servers={p.servers} />
      <BackupDialog
        open={p.open === 'backup'}
        onOpenChange={close}
        onExport={p.onExport}
        onImport={p.onImport}
        disabled={p.unavailable}
      />
      <ToolsDialog
        open={p.open === 'check' || p.open === 'device'}
        onOpenChange={close}
        tab={p.open === 'device' ? 'device' : 'check'}
        onTab={(t) => p.onOpen(t)}
        evaluate={p.evaluate}
        disabled={!!p.unavailable}
        info={p.info}
        lastAnswerMs={p.lastAnswerMs}
      />
    </>
  );
}
