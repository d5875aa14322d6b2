import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MODELS_DIR } from '../../scripts/lib/paths';

/**
 * README's commands, verbatim, in a fresh clone of this repository (issue 23, problem 1): once
 * with a model folder beside the clone, as README assumes (../shared/models), and once without
 * one. The clone gets this checkout's installed packages (linked one by one, so nothing the
 * clone's build writes under node_modules/.cache reaches this checkout); the install itself is
 * what .ci/run does on a fresh machine.
 */
const README = fs.readFileSync('README.md', 'utf8');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'folio-readme-'));
const clone = path.join(work, 'folio');
const children: ChildProcess[] = [];

/** The README line that starts with `prefix`, without its comment. */
function readmeCommand(prefix: string): string {
  const line = README.split('\n').find((l) => l.startsWith(prefix));
  if (!line) throw new Error(`README has no command starting "${prefix}"`);
  return line.replace(/\s+#.*$/, '').trim();
}

/** Runs a README command in the clone until it prints a URL (a server) or exits. */
function run(command: string): Promise<{ code: number | null; out: string; url?: string }> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', command], {
      cwd: clone,
      env: { ...process.env, FOLIO_MODELS: '' },
      detached: true,
    });
    children.push(child);
    let out = '';
    const onData = (d: Buffer) => {
      out += d;
      const url = /(http:\/\/localhost:\d+)\//.exec(stripVTControlCharacters(out))?.[1];
      if (url) resolve({ code: null, out, url });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => resolve({ code, out }));
  });
}

beforeAll(() => {
  execFileSync('git', ['clone', '--quiet', '--no-hardlinks', path.resolve('.'), clone]);
  fs.mkdirSync(path.join(clone, 'node_modules'));
  for (const name of fs.readdirSync('node_modules')) {
    if (name === '.cache' || name === '.vite') continue;
    fs.symlinkSync(path.resolve('node_modules', name), path.join(clone, 'node_modules', name));
  }
});

afterAll(() => {
  for (const c of children) if (c.pid && c.exitCode === null) process.kill(-c.pid, 'SIGTERM');
  fs.rmSync(work, { recursive: true, force: true });
});

describe("README's commands in a fresh clone", () => {
  const buildAndPreview = readmeCommand('FOLIO_MODELS=../shared/models npm run build && npm run preview');

  test('without ../shared beside it: the build stops with one sentence naming the folder', async () => {
    const result = await run(buildAndPreview);
    expect(result.code).toBe(1);
    expect(result.out).toContain(
      `FOLIO_MODELS names the model folder ${path.join(work, 'shared/models')}, which does not exist`,
    );
    expect(result.out).not.toMatch(/TypeError|tokenizer_class| {4}at /);
  }, 120_000);

  test('with the model folder beside it: built, previewed, the model served from the site', async () => {
    fs.mkdirSync(path.join(work, 'shared'));
    fs.symlinkSync(MODELS_DIR, path.join(work, 'shared/models'));
    const result = await run(buildAndPreview);
    expect(result.url, result.out).toBeDefined();
    const page = await fetch(`${result.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    const config = await fetch(`${result.url}/models/Xenova/all-MiniLM-L6-v2/config.json`);
    expect(config.status).toBe(200);
    expect(((await config.json()) as { model_type: string }).model_type).toBe('bert');
    // Nothing but the build's own notes: no warning from npm or Vite.
    expect(result.out).not.toMatch(/npm warn|\(!\)|PLUGIN_TIMINGS/);
  }, 600_000);

  test('npm start serves the app', async () => {
    const result = await run(readmeCommand('FOLIO_MODELS=../shared/models npm start'));
    expect(result.url, result.out).toBeDefined();
    expect((await fetch(`${result.url}/`)).status).toBe(200);
    expect(result.out).not.toMatch(/npm warn|\(!\)/);
  }, 120_000);
});
