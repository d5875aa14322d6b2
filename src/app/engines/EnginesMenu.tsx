import * as Popover from '@radix-ui/react-popover';
import { ChevronDown, Loader2, Sparkles, Zap } from 'lucide-react';
import { lazy, Suspense, useEffect, useState, type DragEvent } from 'react';
import { prefetchWhenIdle } from '../idle';
import { GROUPS } from './engineText';
import type { useEngines } from './useEngines';
import './engines.css';

export type EnginesApi = ReturnType<typeof useEngines>;
export type ModelFile = ReturnType<typeof useModelFile>;

const loadPanel = () => import('./EnginesPanel');
const EnginesPanel = lazy(loadPanel);

/** The header button: the engine in use and its state, opening the menu. */
function triggerLabel(api: EnginesApi): { text: string; busy: boolean } {
  const { active, options } = api;
  const o = options.find((x) => x.id === active.id);
  const name = o?.kind === 'passages' ? 'Passages only' : (o?.name ?? 'Passages only');
  if (active.status === 'loading' && o) {
    const s = o.state;
    const pct =
      s.kind === 'downloading' && s.total
        ? ` ${Math.round((100 * s.loaded) / s.total)}%`
        : s.kind === 'loading' && s.progress
          ? ` ${Math.round(s.progress * 100)}%`
          : '';
    return { text: `${name} · ${s.kind === 'downloading' ? 'downloading' : 'loading'}${pct}`, busy: true };
  }
  return { text: name, busy: false };
}

/**
 * "Use a model file you already have": a .gguf (or every part of a split one) picked or dropped
 * is checked and kept, then loaded. What happened is said under the picker, by the file's name.
 */
function useModelFile(api: EnginesApi) {
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const take = async (files: File[]) => {
    if (!files.length) return;
    const name = files.length === 1 ? files[0]!.name : `${files[0]!.name} and ${files.length - 1} more`;
    setMessage({ text: `Checking ${name}…`, error: false });
    try {
      const added = await api.addModelFile(files);
      setMessage({ text: `${added.name} is kept in this browser and loading.`, error: false });
      void api.use(added.id);
    } catch (err) {
      setMessage({ text: (err as Error).message, error: true });
    }
  };
  // Said while the menu is open; not left behind for the next time it opens.
  return { message, take, clear: () => setMessage(null) };
}

export function EnginesMenu({ api, compact }: { api: EnginesApi; compact?: boolean }) {
  const { text, busy } = triggerLabel(api);
  useEffect(() => {
    prefetchWhenIdle(loadPanel, 300);
  }, []);
  const [dragOver, setDragOver] = useState(false);
  const file = useModelFile(api);
  // A model file dropped on the menu is taken here: useFileDrop leaves [data-own-drop] alone, and
  // drag events stop here so the window's "Drop to add to your library" does not show over it.
  const onDrop = (e: DragEvent) => {
    const files = [...e.dataTransfer.files];
    setDragOver(false);
    if (!files.length) return;
    e.preventDefault();
    void file.take(files);
  };
  const groups = GROUPS.map((g) => ({ g, items: api.options.filter((o) => o.group === g) })).filter(
    (x) => x.items.length || x.g === 'file',
  );
  return (
    <Popover.Root onOpenChange={(open) => !open && file.clear()}>
      <Popover.Trigger asChild>
        <button
          type="button"
          className={`engine-trigger${api.failed ? ' has-error' : ''}`}
          aria-label={`Answer engine: ${text}`}
        >
          {busy ? (
            <Loader2 size={16} className="spin" aria-hidden />
          ) : api.current.kind === 'passages' ? (
            <Zap size={16} aria-hidden />
          ) : (
            <Sparkles size={16} aria-hidden />
          )}
          <span className="engine-trigger-text one-line">
            {compact && api.current.kind === 'passages' ? 'Passages' : text}
          </span>
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
          onDragEnter={(e) => e.stopPropagation()}
          onDragOver={(e) => {
            if ([...e.dataTransfer.types].includes('Files')) {
              e.preventDefault();
              setDragOver(true);
            }
          }}
          onDragLeave={(e) => {
            e.stopPropagation();
            if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragOver(false);
          }}
          onDrop={onDrop}
        >
          <Suspense fallback={<p className="muted engines-loading">Loading the engines…</p>}>
            <EnginesPanel api={api} file={file} groups={groups} />
          </Suspense>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
