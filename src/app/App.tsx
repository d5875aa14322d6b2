import { useEffect, useState, type FormEvent, type KeyboardEvent } from 'react';
import { webLLMChoices } from '../client/generator';
import { servedBySite } from '../client/modelSource';
import { formatBytes, gpuCapabilities, type AddOutcome } from '../core';
import { Conversation } from './Conversation';
import { BackupPanel } from './BackupPanel';
import { DocumentList } from './DocumentList';
import { FirstRun } from './FirstRun';
import { IndexingProgress } from './IndexingProgress';
import { OfflineStatus } from './OfflineStatus';
import { SettingsPanel } from './SettingsPanel';
import { DEFAULT_SETTINGS, loadSettings, saveSettings, type Settings } from './settings';
import { DownloadProgress } from './Progress';
import { EvaluationPanel } from './EvaluationPanel';
import { useAnswer, type Turn } from './useAnswer';
import { useFileDrop } from './useFileDrop';
import { useLibrary } from './useLibrary';

export function App() {
  const [settings, setSettings] = useState(loadSettings);
  const changeSettings = (s: Settings) => {
    saveSettings(s);
    setSettings(s);
  };
  const { reembedding, state, started, start, documents, fileProgress, storage, outcomes, addFiles, removeDocument, reindex, evaluate, library, exportBackup, importBackup, interrupted, resumeInterrupted, discardInterrupted, cancelAdding } =
    useLibrary(settings);
  const { turns, ask, stop, clear, busy, model, chooseModel, restoreTurns } = useAnswer(library, settings);
  const unusable = state.phase === 'error' || state.phase === 'outdated';
  const dragging = useFileDrop((files) => void addFiles(files));
  const [query, setQuery] = useState('');
  const [modelId, setModelId] = useState('onnx-community/Qwen2.5-0.5B-Instruct');
  // WebGPU answer models are offered only when this browser has a GPU adapter. The check needs no
  // WebLLM code; WebLLM itself (2 MB+) loads only when the user asks for its models.
  const [hasGpu, setHasGpu] = useState(false);
  // null until the user asks; then the models this site hosts and this GPU can run (maybe none).
  const [gpuModels, setGpuModels] = useState<{ id: string; vramMB: number }[] | null>(null);
  const [gpuModel, setGpuModel] = useState('');
  useEffect(() => {
    void gpuCapabilities((navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu).then((caps) => setHasGpu(!!caps));
  }, []);
  const showGpuModels = () =>
    void webLLMChoices()
      .then((list) => {
        setGpuModels(list);
        setGpuModel(list[0]?.id ?? '');
      })
      .catch(() => setGpuModels([]));

  // A backup carries what the app keeps beside the library: the conversation and the settings.
  const backup = () => exportBackup({ conversation: turns.filter((t) => t.status === 'done' || t.status === 'stopped'), settings });
  const restore = async (file: File) => {
    const { added, duplicates, extra } = await importBackup(file);
    const saved = (extra ?? {}) as { conversation?: Turn[]; settings?: Partial<Settings> };
    if (saved.settings) changeSettings({ ...DEFAULT_SETTINGS, ...saved.settings });
    if (saved.conversation?.length) restoreTurns(saved.conversation);
    return `Restored ${added} document${added === 1 ? '' : 's'}${duplicates ? ` (${duplicates} already here)` : ''}${saved.conversation?.length ? ` and ${saved.conversation.length} conversation turns` : ''}.`;
  };

  const send = () => {
    if (!query.trim() || busy) return;
    void ask(query.trim());
    setQuery('');
  };
  const onAsk = (e: FormEvent) => {
    e.preventDefault();
    send();
  };
  // Enter sends, Shift+Enter starts a new line, Esc stops the answer.
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      send();
    } else if (e.key === 'Escape') stop();
  };

  return (
    <main className="app">
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          Drop files or folders to add them
        </div>
      )}
      <header>
        <h1>Folio</h1>
        <p>Ask questions about your documents. Everything stays on this device.</p>
      </header>
      <OfflineStatus />
      {!started && <FirstRun onStart={start} local={servedBySite} />}
      {started && state.phase === 'loading' && (
        <div role="status">
          {state.download ? <DownloadProgress label="Search model" loaded={state.download.loaded} total={state.download.total} /> : 'Starting…'}
        </div>
      )}
      {state.phase === 'error' && <p role="alert">Could not start: {state.message}</p>}
      {state.phase === 'outdated' && (
        <p role="alert" className="banner">
          Folio was updated in another tab. Reload this page to keep using your library.{' '}
          <button type="button" onClick={() => location.reload()}>
            Reload
          </button>
        </p>
      )}
      <section aria-labelledby="docs-heading">
        <h2 id="docs-heading">Documents</h2>
        <label className="file-button">
          Add documents
          <input type="file" multiple disabled={unusable} onChange={(e) => void addFiles([...(e.target.files ?? [])])} />
        </label>
        {interrupted.length > 0 && (
          <div role="alert" className="banner">
            <p>
              Adding {interrupted.length === 1 ? 'this file was' : `these ${interrupted.length} files was`} interrupted when Folio was closed: {interrupted.map((f) => f.name).join(', ')}.
              Nothing of {interrupted.length === 1 ? 'it' : 'them'} was saved half-way.
            </p>
            <button type="button" onClick={() => void resumeInterrupted()}>
              Resume adding
            </button>{' '}
            <button type="button" onClick={() => void discardInterrupted()}>
              Forget {interrupted.length === 1 ? 'it' : 'them'}
            </button>
          </div>
        )}
        <IndexingProgress files={Object.values(fileProgress)} onCancel={cancelAdding} />
        {outcomes
          .filter((o): o is Exclude<AddOutcome, { status: 'added' }> => o.status !== 'added')
          .map((o, i) => (
            <p key={`${i}-${o.file}`} role="alert" className="error">
              {o.error.message}
            </p>
          ))}
        {storage && (
          <p className="storage">
            <small>
              Storage: {formatBytes(storage.usage)} used{storage.quota ? ` of ${formatBytes(storage.quota)} available to Folio` : ''}
              {storage.persisted === true && ' · kept until you delete it'}
              {storage.persisted === false && ' · the browser may clear it if the disk runs low on space'}
            </small>
          </p>
        )}
        <DocumentList documents={documents} onReindex={(d) => void reindex(d.id, d.name)} onDelete={(d) => void removeDocument(d.id)} />
      </section>
      <section aria-labelledby="ask-heading">
        <h2 id="ask-heading">Ask</h2>
        <fieldset className="model-choice">
          <legend>Answers</legend>
          <label>
            <input type="radio" name="answer-model" checked={model.choice.kind === 'passages'} onChange={() => void chooseModel({ kind: 'passages' })} /> Best passages only (instant,
            nothing to download)
          </label>
          <label>
            <input type="radio" name="answer-model" checked={model.choice.kind === 'transformers'} onChange={() => void chooseModel({ kind: 'transformers', model: modelId })} /> Written
            answer by a small model in this browser
          </label>
          {hasGpu && gpuModels === null && (
            <button type="button" onClick={showGpuModels}>
              Show models for my graphics card
            </button>
          )}
          {gpuModels?.length === 0 && <p className="note">No graphics-card models are installed with this copy of Folio (see README, “Answer models on the graphics card”).</p>}
          {!!gpuModels?.length && (
            <>
              <label>
                <input type="radio" name="answer-model" checked={model.choice.kind === 'webllm'} onChange={() => void chooseModel({ kind: 'webllm', model: gpuModel })} /> Written answer by
                a larger model on your graphics card (WebLLM)
              </label>
              <label>
                Graphics-card model{' '}
                <select value={gpuModel} onChange={(e) => setGpuModel(e.target.value)}>
                  {gpuModels.map((m) => (
                    <option key={m.id} value={m.id}>
                      {m.id} — needs {m.vramMB} MB of graphics memory
                    </option>
                  ))}
                </select>
              </label>
            </>
          )}
          <label>
            Answer model <input value={modelId} onChange={(e) => setModelId(e.target.value)} spellCheck={false} />
          </label>
          <button type="button" onClick={() => void chooseModel({ kind: 'transformers', model: modelId })}>
            Load answer model
          </button>
          {model.status === 'loading' && (
            <div role="status">
              {model.bytes ? <DownloadProgress label="Answer model" loaded={model.bytes.loaded} total={model.bytes.total} /> : `Loading answer model${model.progress ? ` (${Math.round(model.progress * 100)}%)` : ''}…`}
            </div>
          )}
          {model.status === 'error' && (
            <p role="alert" className="error">
              The answer model could not be loaded: {model.error}
            </p>
          )}
          {model.status === 'ready' && model.choice.kind === 'transformers' && <p role="status">Answer model ready: {model.choice.model}</p>}
        </fieldset>
        <Conversation turns={turns} library={library} onSwitchModel={(m) => void chooseModel({ kind: 'webllm', model: m })} />
        <form onSubmit={onAsk} className="ask">
          <textarea aria-label="Ask a question" value={query} onChange={(e) => setQuery(e.target.value)} onKeyDown={onKeyDown} rows={2} />
          <button type="submit" disabled={unusable || !query.trim() || busy}>
            Send
          </button>
          <button type="button" onClick={stop} disabled={!busy}>
            Stop
          </button>
        </form>
        {turns.length > 0 && (
          <button type="button" onClick={clear}>
            Clear conversation
          </button>
        )}
      </section>
      <SettingsPanel settings={settings} onChange={changeSettings} reembed={reembedding} />
      <BackupPanel onExport={backup} onImport={restore} disabled={state.phase !== 'ready'} />
      <EvaluationPanel evaluate={evaluate} disabled={state.phase !== 'ready'} />
    </main>
  );
}
