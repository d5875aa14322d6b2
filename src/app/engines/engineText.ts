import { formatBytes, type EngineGroup, type EngineOption } from '../../core';
import { secondsText } from '../library/IndexingProgress';

export const GROUP_LABEL: Record<EngineGroup, string> = {
  instant: 'Instant',
  'built-in': "This browser's built-in model",
  gpu: 'Graphics card',
  processor: 'Processor',
  server: 'A model server on this computer',
  file: 'Your model file',
};

export const GROUPS: EngineGroup[] = ['instant', 'built-in', 'gpu', 'processor', 'server', 'file'];

/** The state as a person reads it: "Downloading 41% · 213 MB of 520 MB · 2 min left". */
export function stateText(o: EngineOption): string {
  const s = o.state;
  switch (s.kind) {
    case 'ready':
      return o.kind === 'passages' ? 'Ready' : 'Downloaded';
    case 'not-downloaded':
      return 'Not downloaded';
    case 'downloading': {
      const pct = s.total ? Math.round((100 * s.loaded) / s.total) : 0;
      return [
        `Downloading ${pct}%`,
        s.total ? `${formatBytes(s.loaded)} of ${formatBytes(s.total)}` : formatBytes(s.loaded),
        s.secondsLeft !== undefined ? `${secondsText(s.secondsLeft)} left` : '',
      ]
        .filter(Boolean)
        .join(' · ');
    }
    case 'loading':
      return `Loading into memory${s.progress ? ` ${Math.round(s.progress * 100)}%` : '…'}`;
    case 'unavailable':
      return `Can't run here: ${s.reason}`;
    case 'error':
      return s.message;
  }
}
