/**
 * Tabs (and workers) on one library tell each other when they changed it, over a
 * BroadcastChannel named after the library; each then re-reads what it holds in memory.
 */
export interface ChangeChannel {
  announce(): void;
  close(): void;
}

export function shareChanges(libraryName: string, onRemoteChange: () => void): ChangeChannel {
  const channel = new BroadcastChannel(`folio:${libraryName}`);
  channel.onmessage = () => onRemoteChange();
  return {
    announce: () => channel.postMessage('changed'),
    close: () => channel.close(),
  };
}
