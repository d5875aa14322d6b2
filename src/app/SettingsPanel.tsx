import { EMBEDDING_MODELS } from '../core';
import type { Settings } from './settings';

export function SettingsPanel({ settings, onChange, reembed }: { settings: Settings; onChange: (s: Settings) => void; reembed: { done: number; total: number } | null }) {
  const set = <K extends keyof Settings>(key: K, value: Settings[K]) => onChange({ ...settings, [key]: value });
  return (
    <details className="settings">
      <summary>Settings</summary>
      <label>
        Search model{' '}
        <select value={settings.embeddingModel} onChange={(e) => set('embeddingModel', e.target.value)}>
          {EMBEDDING_MODELS.map((m) => (
            <option key={m.id} value={m.id}>
              {m.label} — {m.downloadMB} MB
            </option>
          ))}
        </select>
      </label>
      {reembed && (
        <p role="status">
          Re-embedding your library for the new model: <progress value={reembed.done} max={reembed.total || 1} aria-label="Re-embedding" /> {reembed.done} of {reembed.total} documents
        </p>
      )}
      <label>
        Passage size (tokens, for documents added from now on){' '}
        <input type="number" min={64} max={480} step={16} value={settings.chunkTokens} onChange={(e) => set('chunkTokens', Math.max(64, Math.min(480, Number(e.target.value) || 240)))} />
      </label>
      <label>
        Passages per question{' '}
        <input type="number" min={1} max={20} value={settings.passages} onChange={(e) => set('passages', Math.max(1, Math.min(20, Number(e.target.value) || 6)))} />
      </label>
      <label>
        <input type="checkbox" checked={settings.hybrid} onChange={(e) => set('hybrid', e.target.checked)} /> Keyword and meaning search combined (off: meaning only)
      </label>
    </details>
  );
}
