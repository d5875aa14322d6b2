import * as Popover from '@radix-ui/react-popover';
import { AlertCircle, Check, ChevronDown, Cpu, Download, FileUp, Loader2, MonitorSmartphone, Sparkles, Trash2, X, Zap, type LucideIcon } from 'lucide-react';
import { useState, type DragEvent, type FormEvent } from 'react';
import type { EngineGroup, EngineOption } from '../../core';
import { formatBytes } from '../../core';
import { GROUP_LABEL, GROUPS, stateText } from './engineText';
import type { useEngines } from './useEngines';

type EnginesApi = ReturnType<typeof useEngines>;

const GROUP_ICON: Record<EngineGroup, LucideIcon> = { instant: Zap, 'built-in': Sparkles, gpu: MonitorSmartphone, processor: Cpu, file: FileUp };

/** The header button: the engine in use and its state, opening the menu. */
function triggerLabel(api: EnginesApi): { text: string; busy: boolean } {
  const { active, options } = api;
  const o = options.find((x) => x.id === active.id);
  const name = o?.kind === 'passages' ? 'Passages only' : (o?.name ?? 'Passages only');
  if (active.status === 'loading' && o) {
    const s = o.state;
    const pct = s.kind === 'downloading' && s.total ? ` ${Math.round((100 * s.loaded) / s.total)}%` : s.kind === 'loading' && s.progress ? ` ${Math.round(s.progress * 100)}%` : '';
    return { text: `${name} · ${s.kind === 'downloading' ? 'downloading' : 'loading'}${pct}`, busy: true };
  }
  return { text: name, busy: false };
}

function EngineRow({ o, api, quiet }: { o: EngineOption; api: EnginesApi; quiet?: boolean }) {
  const inUse = api.active.id === o.id && api.active.status === 'ready';
  const s = o.state;
  const working = s.kind === 'downloading' || s.kind === 'loading';
  const rowError = api.failed?.id === o.id ? api.failed.message : s.kind === 'error' ? s.message : null;
  const nameId = `engine-${o.id.replace(/\W+/g, '-')}`;
  return (
    <li className={`engine-row${inUse ? ' in-use' : ''}${s.kind === 'unavailable' ? ' unavailable' : ''}`} aria-labelledby={nameId}>
      <div className="engine-main">
        <div className="engine-title">
          <span id={nameId} className="engine-name">
            {o.name}
          </span>
          {o.recommended && <span className="badge badge-accent">Recommended</span>}
          {o.sizeBytes ? <span className="engine-size">{formatBytes(o.sizeBytes)}</span> : null}
        </div>
        <p className="engine-note">{o.note}</p>
        {working && (
          <progress
            className="bar"
            value={s.kind === 'downloading' ? s.loaded : s.kind === 'loading' ? s.progress : undefined}
            max={s.kind === 'downloading' ? s.total || 1 : 1}
            aria-label={`${o.name}: ${stateText(o)}`}
          />
        )}
        {rowError ? (
          <p className="engine-state engine-error" role="alert">
            <AlertCircle size={14} aria-hidden /> {rowError}
          </p>
        ) : (
          !quiet && <p className={s.kind === 'unavailable' ? 'engine-state engine-unavailable' : 'engine-state'}>{inUse ? 'In use' : stateText(o)}</p>
        )}
      </div>
      <div className="engine-actions">
        {inUse && (
          <span className="badge badge-success">
            <Check size={12} aria-hidden /> In use
          </span>
        )}
        {!inUse && !working && s.kind !== 'unavailable' && (s.kind === 'ready' || o.kind === 'passages') && (
          <button type="button" className="btn btn-sm" onClick={() => void api.use(o.id)} aria-label={`Use ${o.name}`}>
            Use
          </button>
        )}
        {!working && (s.kind === 'not-downloaded' || s.kind === 'error') && o.kind !== 'passages' && (
          <button type="button" className="btn btn-sm btn-soft" onClick={() => void api.use(o.id)} aria-label={`${s.kind === 'error' ? 'Try again' : 'Download'} ${o.name}`}>
            <Download size={14} aria-hidden />
            {s.kind === 'error' ? 'Try again' : 'Download'}
          </button>
        )}
        {working && (
          <button type="button" className="btn btn-sm" onClick={() => api.cancel(o.id)} aria-label={`Cancel ${o.name}`}>
            <X size={14} aria-hidden />
            Cancel
          </button>
        )}
        {s.kind === 'ready' && o.kind !== 'passages' && !working && (
          <button type="button" className="icon-btn icon-btn-sm" onClick={() => void api.remove(o.id)} aria-label={`Remove ${o.name} from this browser`} title="Remove from this browser">
            <Trash2 size={15} aria-hidden />
          </button>
        )}
      </div>
    </li>
  );
}

function ModelFilePicker({ api }: { api: EnginesApi }) {
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const take = async (file: File | undefined) => {
    if (!file) return;
    setMessage({ text: `Checking ${file.name}…`, error: false });
    try {
      const added = await api.addModelFile(file);
      setMessage({ text: `${added.name} added.`, error: false });
    } catch (err) {
      setMessage({ text: (err as Error).message, error: true });
    }
  };
  return (
    <div className="engine-file">
      <label className="btn btn-sm file-button">
        <FileUp size={14} aria-hidden />
        Use a model file you already have…
        <input type="file" accept=".gguf" onChange={(e) => void take(e.target.files?.[0]).finally(() => (e.target.value = ''))} />
      </label>
      <small className="muted">A .gguf file; you can also drop it on this menu.</small>
      {message && (
        <p className={message.error ? 'engine-error' : 'muted'} role={message.error ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
    </div>
  );
}

function CustomModel({ api }: { api: EnginesApi }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    try {
      const added = api.addCustom(value);
      setValue('');
      setError(null);
      void api.use(added.id);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <details className="engine-advanced">
      <summary>Advanced: a model from the hub by its id</summary>
      <form className="engine-custom" onSubmit={submit}>
        <label className="field">
          <span className="field-help">A transformers.js text-generation model (owner/name). It downloads when you press Add and download.</span>
          <input className="input" aria-label="Custom model id" placeholder="owner/name" value={value} onChange={(e) => setValue(e.target.value)} spellCheck={false} autoComplete="off" />
        </label>
        <button type="submit" className="btn btn-sm" disabled={!value.trim()}>
          Add and download
        </button>
      </form>
      {error && (
        <p className="engine-error" role="alert">
          {error}
        </p>
      )}
    </details>
  );
}

export function EnginesMenu({ api, compact }: { api: EnginesApi; compact?: boolean }) {
  const { text, busy } = triggerLabel(api);
  const [dragOver, setDragOver] = useState(false);
  const [dropError, setDropError] = useState<string | null>(null);
  // A model file dropped on the menu is taken here (useFileDrop leaves [data-own-drop] alone).
  const onDrop = (e: DragEvent) => {
    const file = [...e.dataTransfer.files][0];
    setDragOver(false);
    if (!file) return;
    e.preventDefault();
    void api
      .addModelFile(file)
      .then((o) => void api.use(o.id))
      .catch((err: Error) => setDropError(err.message));
  };
  const groups = GROUPS.map((g) => ({ g, items: api.options.filter((o) => o.group === g) })).filter((x) => x.items.length || x.g === 'file');
  return (
    <Popover.Root>
      <Popover.Trigger asChild>
        <button type="button" className={`engine-trigger${api.failed ? ' has-error' : ''}`} aria-label={`Answer engine: ${text}`}>
          {busy ? <Loader2 size={16} className="spin" aria-hidden /> : api.current.kind === 'passages' ? <Zap size={16} aria-hidden /> : <Sparkles size={16} aria-hidden />}
          <span className="engine-trigger-text">{compact && api.current.kind === 'passages' ? 'Passages' : text}</span>
          <ChevronDown size={14} aria-hidden />
        </button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          className={dragOver ? 'popover engines drag-over' : 'popover engines'}
          align="end"
          sideOffset={8}
          collisionPadding={8}
          aria-label="Answer engines"
          data-own-drop=""
          onDragOver={(e) => {
            if ([...e.dataTransfer.types].includes('Files')) {
              e.preventDefault();
              setDragOver(true);
            }
          }}
          onDragLeave={() => setDragOver(false)}
          onDrop={onDrop}
        >
          <div className="engines-head">
            <div>
              <h2 className="engines-title">Answer engine</h2>
              <p className="muted">What writes your answers. Nothing downloads until you press Download; switching keeps the conversation.</p>
            </div>
            <Popover.Close className="icon-btn icon-btn-sm" aria-label="Close">
              <X size={16} aria-hidden />
            </Popover.Close>
          </div>
          <div className="engines-body">
            {groups.map(({ g, items }) => {
              const Icon = GROUP_ICON[g];
              // One reason for a whole group ("needs WebGPU") is said once, not on every row.
              const first = items[0]?.state;
              const shared = items.length > 1 && first?.kind === 'unavailable' && items.every((o) => o.state.kind === 'unavailable' && o.state.reason === first.reason) ? first.reason : null;
              return (
                <section key={g} className="engine-group" aria-labelledby={`engine-group-${g}`}>
                  <h3 className="engine-group-title" id={`engine-group-${g}`}>
                    <Icon size={14} aria-hidden /> {GROUP_LABEL[g]}
                  </h3>
                  {shared && <p className="engine-group-note">Can't run here: {shared}</p>}
                  {items.length > 0 && (
                    <ul className="engine-list">
                      {items.map((o) => (
                        <EngineRow key={o.id} o={o} api={api} quiet={!!shared} />
                      ))}
                    </ul>
                  )}
                  {g === 'file' && <ModelFilePicker api={api} />}
                </section>
              );
            })}
            {dropError && (
              <p className="engine-error" role="alert">
                {dropError}
              </p>
            )}
            <CustomModel api={api} />
          </div>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
