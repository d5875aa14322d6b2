import { EMBEDDING_MODELS } from '../../core';
import { usePersisted } from '../persisted';
import { Dialog } from '../ui/Dialog';
import { ModelServers, type ModelServersApi } from './ModelServers';
import { settingsState, themeState, type Settings, type Theme } from './settings';
import './settings.css';

export function SettingsDialog({
  open,
  onOpenChange,
  reembed,
  servers,
}: {
  open: boolean;
  onOpenChange: (o: boolean) => void;
  reembed: { done: number; total: number } | null;
  servers: ModelServersApi;
}) {
  const [settings, setSettings] = usePersisted(settingsState);
  const [theme, setTheme] = usePersisted(themeState);
  const set = <K extends keyof Settings>(key: K, value: Settings[K]) => setSettings({ ...settings, [key]: value });
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="Settings"
      description="Changes apply at once and are kept in this browser."
      footer={
        <button type="button" className="btn btn-primary" onClick={() => onOpenChange(false)}>
          Done
        </button>
      }
    >
      <fieldset className="settings-group">
        <legend className="caps-label">Search</legend>
        <label className="field">
          <span className="field-label">Search model</span>
          <select
            className="select"
            value={settings.embeddingModel}
            onChange={(e) => set('embeddingModel', e.target.value)}
          >
            {EMBEDDING_MODELS.map((m) => (
              <option key={m.id} value={m.id}>
                {m.label} — {m.downloadMB} MB
              </option>
            ))}
          </select>
          <span className="field-help">
            Changing it downloads the new model once and re-embeds your library with it.
          </span>
        </label>
        {reembed && (
          <p role="status" className="field-help">
            Re-embedding your library for the new model:{' '}
            <progress
              className="bar"
              value={reembed.done}
              max={reembed.total || 1}
              aria-label="Re-embedding progress"
            />{' '}
            {reembed.done} of {reembed.total} documents
          </p>
        )}
        <label className="checkbox">
          <input type="checkbox" checked={settings.hybrid} onChange={(e) => set('hybrid', e.target.checked)} />
          <span>
            Keyword and meaning search combined
            <span className="field-help"> (off: meaning only)</span>
          </span>
        </label>
        <label className="field">
          <span className="field-label">Passages per question</span>
          <input
            className="input input-number"
            type="number"
            min={1}
            max={20}
            value={settings.passages}
            onChange={(e) => set('passages', Math.max(1, Math.min(20, Number(e.target.value) || 6)))}
          />
        </label>
        <label className="field">
          <span className="field-label">Passage size (tokens, for documents added from now on)</span>
          <input
            className="input input-number"
            type="number"
            min={64}
            max={480}
            step={16}
            value={settings.chunkTokens}
            onChange={(e) => set('chunkTokens', Math.max(64, Math.min(480, Number(e.target.value) || 240)))}
          />
          <span className="field-help">Re-index a document from its ⋯ menu to apply a new size to it.</span>
        </label>
      </fieldset>
      <ModelServers api={servers} />
      <fieldset className="settings-group">
        <legend className="caps-label">Appearance</legend>
        <div className="segmented" role="radiogroup" aria-label="Theme">
          {(['system', 'light', 'dark'] as Theme[]).map((t) => (
            <label key={t} className={theme === t ? 'segment on' : 'segment'}>
              <input type="radio" name="theme" value={t} checked={theme === t} onChange={() => setTheme(t)} />
              {t === 'system' ? 'As the system' : t === 'light' ? 'Light' : 'Dark'}
            </label>
          ))}
        </div>
      </fieldset>
    </Dialog>
  );
}
