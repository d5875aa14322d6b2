import * as Popover from '@radix-ui/react-popover';
import {
  AlertCircle,
  Check,
  Cpu,
  Download,
  FileUp,
  MonitorSmartphone,
  Server,
  Sparkles,
  Trash2,
  X,
  Zap,
  type LucideIcon,
} from 'lucide-react';
import { useState, type FormEvent } from 'react';
import type { EngineGroup, EngineInput, EngineOption } from '../../core';
import { formatBytes } from '../../core';
import type { EnginesApi, ModelFile } from './EnginesMenu';
import { MessageText } from '../ui/MessageText';
import { GROUP_LABEL, stateText } from './engineText';
import './engines.css';

// The menu's contents, in a chunk of their own: the page shows only the trigger until the menu opens
// (the chunk is fetched when the page is idle).

const GROUP_ICON: Record<EngineGroup, LucideIcon> = {
  instant: Zap,
  'built-in': Sparkles,
  gpu: MonitorSmartphone,
  processor: Cpu,
  server: Server,
  file: FileUp,
};

function EngineRow({ o, api, quiet }: { o: EngineOption; api: EnginesApi; quiet?: boolean }) {
  const inUse = api.active.id === o.id && api.active.status === 'ready';
  const s = o.state;
  const working = s.kind === 'downloading' || s.kind === 'loading';
  const rowError = api.failed?.id === o.id ? api.failed.message : s.kind === 'error' ? s.message : null;
  const nameId = `engine-${o.id.replace(/\W+/g, '-')}`;
  return (
    <li
      className={`engine-row${inUse ? ' in-use' : ''}${s.kind === 'unavailable' ? ' unavailable' : ''}`}
      aria-labelledby={nameId}
    >
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
            <AlertCircle size={14} aria-hidden /> <MessageText text={rowError} />
          </p>
        ) : (
          !quiet && (
            <p className={s.kind === 'unavailable' ? 'engine-state engine-unavailable' : 'engine-state'}>
              {inUse ? 'In use' : stateText(o)}
            </p>
          )
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
          <button
            type="button"
            className="btn btn-sm btn-soft"
            onClick={() => void api.use(o.id)}
            aria-label={`${s.kind === 'error' ? 'Try again' : 'Download'} ${o.name}`}
          >
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
        {o.from && !working && (
          <button
            type="button"
            className="icon-btn icon-btn-sm"
            onClick={() => void api.forget(o.kind, o.from!)}
            aria-label={`Forget the model server at ${o.from}`}
            title="Forget this server (Settings lists the servers added)"
          >
            <Trash2 size={15} aria-hidden />
          </button>
        )}
        {s.kind === 'ready' && o.kind !== 'passages' && !o.from && !working && (
          <button
            type="button"
            className="icon-btn icon-btn-sm"
            onClick={() => void api.remove(o.id)}
            aria-label={`Remove ${o.name} from this browser`}
            title="Remove from this browser"
          >
            <Trash2 size={15} aria-hidden />
          </button>
        )}
      </div>
    </li>
  );
}

function ModelFilePicker({ file }: { file: ModelFile }) {
  const { message } = file;
  return (
    <div className="engine-file">
      <label className="btn btn-sm file-button">
        <FileUp size={14} aria-hidden />
        Use a model file you already have…
        <input
          type="file"
          accept=".gguf"
          multiple
          onChange={(e) => void file.take([...(e.target.files ?? [])]).finally(() => (e.target.value = ''))}
        />
      </label>
      <small className="muted">A .gguf file (all parts of a split one); you can also drop it on this menu.</small>
      {message && (
        <p className={message.error ? 'engine-error' : 'muted'} role={message.error ? 'alert' : 'status'}>
          <MessageText text={message.text} />
        </p>
      )}
    </div>
  );
}

/** A kind's field (a hub model's id, a server's address): what is added is listed, and used when it can be at once. */
function EngineInputForm({ input, api }: { input: EngineInput; api: EnginesApi }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const added = await api.add(input.kind, value);
      setValue('');
      setError(null);
      if (added) void api.use(added.id);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <details className="engine-advanced">
      <summary>{input.summary}</summary>
      <form className="engine-custom" onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span className="field-help">{input.help}</span>
          {input.note && <span className="field-help engine-input-note">{input.note}</span>}
          <input
            className="input"
            aria-label={input.label}
            placeholder={input.placeholder}
            value={value}
            onChange={(e) => setValue(e.target.value)}
            spellCheck={false}
            autoComplete="off"
          />
        </label>
        {input.presets?.map((p) => (
          <button key={p.value} type="button" className="btn btn-sm btn-soft" onClick={() => setValue(p.value)}>
            {p.name}
          </button>
        ))}
        <button type="submit" className="btn btn-sm" disabled={!value.trim()}>
          {input.submit}
        </button>
      </form>
      {error && (
        <p className="engine-error" role="alert">
          <MessageText text={error} />
        </p>
      )}
    </details>
  );
}

/** The menu's body: each group's engines with their state and actions, the file picker, each kind's field. */
export default function EnginesPanel({
  api,
  file,
  groups,
}: {
  api: EnginesApi;
  file: ModelFile;
  groups: { g: EngineGroup; items: EngineOption[] }[];
}) {
  return (
    <>
      <div className="engines-head">
        <div>
          <h2 className="engines-title">Answer engine</h2>
          <p className="muted">
            What writes your answers. Nothing downloads until you press Download; switching keeps the conversation.
          </p>
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
          const shared =
            items.length > 1 &&
            first?.kind === 'unavailable' &&
            items.every((o) => o.state.kind === 'unavailable' && o.state.reason === first.reason)
              ? first.reason
              : null;
          return (
            <section key={g} className="engine-group" aria-labelledby={`engine-group-${g}`}>
              <h3 className="engine-group-title caps-label" id={`engine-group-${g}`}>
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
              {g === 'file' && <ModelFilePicker file={file} />}
            </section>
          );
        })}
        {api.inputs.map((input) => (
          <EngineInputForm key={input.kind} input={input} api={api} />
        ))}
      </div>
    </>
  );
}
