import { Server, Trash2 } from 'lucide-react';
import { useState } from 'react';
import type { EnginesApi } from '../engines/EnginesMenu';
import { MessageText } from '../ui/MessageText';

export type ModelServersApi = Pick<EnginesApi, 'added' | 'options' | 'active' | 'forget'>;

/**
 * Settings › "Model servers on this computer": every address added in the engines menu (the only
 * places, besides the app's own, that Folio ever contacts), what each offers, and Forget.
 */
export function ModelServers({ api }: { api: ModelServersApi }) {
  const [said, setSaid] = useState<string | null>(null);
  const forget = async (kind: string, value: string) => {
    try {
      const wasInUse = await api.forget(kind, value);
      setSaid(
        `Forgot ${value}: Folio no longer contacts it.${wasInUse ? ' It was writing your answers, so answers are passages only now; choose another engine in the answer engine menu.' : ''}`,
      );
    } catch (err) {
      setSaid((err as Error).message);
    }
  };
  return (
    <fieldset className="settings-group">
      <legend className="caps-label">Model servers on this computer</legend>
      <p className="field-help">
        The only addresses Folio contacts besides its own. The one in use receives your question, the conversation and
        the passages found; nothing else, and nothing leaves this computer.
      </p>
      {api.added.length ? (
        <ul className="server-list" aria-label="Model servers on this computer">
          {api.added.map((a) => {
            const offered = api.options.filter((o) => o.kind === a.kind && o.from === a.value);
            const models = offered.filter((o) => o.state.kind !== 'unavailable');
            const reason = offered.find((o) => o.state.kind === 'unavailable')?.state;
            const inUse = models.find((o) => o.id === api.active.id);
            return (
              <li key={`${a.kind} ${a.value}`} className="server-row" aria-label={a.value}>
                <Server size={16} aria-hidden className="server-icon" />
                <div className="server-main">
                  <div className="server-title">
                    <span className="server-name">{a.name ?? 'Model server'}</span>
                    <code className="server-address">{a.value}</code>
                  </div>
                  <p className={reason ? 'server-state unreachable' : 'server-state'}>
                    {reason?.kind === 'unavailable' ? (
                      <MessageText text={reason.reason} />
                    ) : models.length ? (
                      `${models.length === 1 ? 'Model' : `${models.length} models`}: ${models.map((m) => m.name).join(', ')}${inUse ? ` · ${inUse.name} in use` : ''}`
                    ) : (
                      'Not asked yet: its models are listed once the answer engine menu has loaded.'
                    )}
                  </p>
                </div>
                <button
                  type="button"
                  className="btn btn-sm"
                  onClick={() => void forget(a.kind, a.value)}
                  aria-label={`Forget ${a.value}`}
                >
                  <Trash2 size={14} aria-hidden />
                  Forget
                </button>
              </li>
            );
          })}
        </ul>
      ) : (
        <p className="muted">
          None added. In the answer engine menu, “A model server on this computer” takes the address of Ollama, LM
          Studio, llama.cpp’s server, Jan or vLLM running here.
        </p>
      )}
      {said && (
        <p role="status" className="server-said">
          {said}
        </p>
      )}
    </fieldset>
  );
}
