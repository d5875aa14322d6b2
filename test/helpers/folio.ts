import { spawn } from 'node:child_process';
import path from 'node:path';
import { MODELS_DIR } from '../../scripts/lib/paths';

/** The command line as a person runs it: `bin/folio.js` in a child process, models from ../shared. */
export const FOLIO_BIN = path.resolve('bin/folio.js');
export const FOLIO_ENV = { ...process.env, FOLIO_MODELS: MODELS_DIR } as Record<string, string>;

export function runFolio(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [FOLIO_BIN, ...args], { env: FOLIO_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
