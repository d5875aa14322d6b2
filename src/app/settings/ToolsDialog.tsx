import * as Tabs from '@radix-ui/react-tabs';
import { useEffect, useState } from 'react';
import type { OpenedInfo } from '../../core';
import type { EvalQuestion, EvalReport } from '../../core';
import { Dialog } from '../ui/Dialog';
import { EvaluationPanel } from './EvaluationPanel';
import './settings.css';

export type ToolsTab = 'check' | 'device';

interface GpuInfo {
  vendor?: string;
  architecture?: string;
  shaderF16: boolean;
  maxBufferMB: number;
}

async function gpuInfo(): Promise<GpuInfo | null> {
  const gpu = (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  const adapter = (await gpu?.requestAdapter().catch(() => null)) as
    | {
        features: { has(f: string): boolean };
        limits: { maxBufferSize: number };
        info?: { vendor?: string; architecture?: string };
      }
    | null
    | undefined;
  if (!adapter) return null;
  return {
    ...(adapter.info?.vendor ? { vendor: adapter.info.vendor } : {}),
    ...(adapter.info?.architecture ? { architecture: adapter.info.architecture } : {}),
    shaderF16: adapter.features.has('shader-f16'),
    maxBufferMB: Math.round(adapter.limits.maxBufferSize / 2 ** 20),
  };
}

/** What each opening step measured (OpenedInfo.timings), in words; an unknown step keeps its key. */
const STEPS: Record<string, string> = {
  library: 'Opening the database',
  model: 'Loading the search model',
  warmUp: 'Warming the model up',
  documents: 'Reading the document list',
  readPostings: 'Reading the keyword index',
  indexPostings: 'Building the keyword index',
  readVectors: 'Reading the vectors',
  indexVectors: 'Building the vector index',
};
const duration = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);

function DeviceDetails({ info, lastAnswerMs }: { info: OpenedInfo | null; lastAnswerMs: number | undefined }) {
  const [gpu, setGpu] = useState<GpuInfo | null | undefined>(undefined);
  useEffect(() => void gpuInfo().then(setGpu), []);
  const rows: [string, string][] = [
    ['Search model', info ? `${info.model} (${info.dtype})` : 'not loaded yet'],
    ['Search runs on', info ? (info.device === 'webgpu' ? 'graphics card (WebGPU)' : 'processor (WebAssembly)') : '—'],
    ...(info
      ? Object.entries(info.timings).flatMap(([k, v]) => {
          const step = k.replace(/Ms$/, '');
          return v === undefined ? [] : [[STEPS[step] ?? `Opening: ${step}`, duration(v)] as [string, string]];
        })
      : []),
    ['Last answer', lastAnswerMs !== undefined ? duration(lastAnswerMs) : '—'],
    ['Processor cores', String(navigator.hardwareConcurrency ?? '?')],
    [
      'Memory (as the browser reports it)',
      (navigator as { deviceMemory?: number }).deviceMemory
        ? `${(navigator as { deviceMemory?: number }).deviceMemory} GB or more`
        : 'not reported',
    ],
    ['All cores usable (cross-origin isolated)', self.crossOriginIsolated ? 'yes' : 'no: search runs on one thread'],
    [
      'Graphics card (WebGPU)',
      gpu === undefined
        ? 'checking…'
        : gpu
          ? [gpu.vendor, gpu.architecture].filter(Boolean).join(' ') || 'available'
          : 'not available in this browser',
    ],
    ...(gpu
      ? ([
          ['16-bit shaders (shader-f16)', gpu.shaderF16 ? 'yes' : 'no'],
          ['Largest GPU buffer', `${gpu.maxBufferMB} MB`],
        ] as [string, string][])
      : []),
  ];
  return (
    <table className="details-table">
      <tbody>
        {rows.map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Developer-facing tools, off the main page: the retrieval check, device and timing details. */
export function ToolsDialog({
  open,
  onOpenChange,
  tab,
  onTab,
  evaluate,
  disabled,
  info,
  lastAnswerMs,
}: {
  open: boolean;
  onOpenChange: (o: boolean) => void;
  tab: ToolsTab;
  onTab: (t: ToolsTab) => void;
  evaluate: (qs: EvalQuestion[], k: number) => Promise<EvalReport>;
  disabled: boolean;
  info: OpenedInfo | null;
  lastAnswerMs: number | undefined;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="Tools" wide>
      <Tabs.Root value={tab} onValueChange={(v) => onTab(v as ToolsTab)} className="tabs">
        <Tabs.List className="tab-list" aria-label="Tools">
          <Tabs.Trigger value="check" className="tab">
            Check retrieval
          </Tabs.Trigger>
          <Tabs.Trigger value="device" className="tab">
            Device and timings
          </Tabs.Trigger>
        </Tabs.List>
        <Tabs.Content value="check" className="tab-panel">
          <EvaluationPanel evaluate={evaluate} disabled={disabled} />
        </Tabs.Content>
        <Tabs.Content value="device" className="tab-panel">
          <DeviceDetails info={info} lastAnswerMs={lastAnswerMs} />
        </Tabs.Content>
      </Tabs.Root>
    </Dialog>
  );
}
