import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { diskReader } from '../../src/cli/models';
import { createTransformersEmbedder, DEFAULT_EMBEDDING_MODEL, modelFolderProblem } from '../../src/core';
import { FIXTURES_DIR, MODELS_DIR } from '../../scripts/lib/paths';

/**
 * Issue 23, problem 1: a model folder that lacks the search model (FOLIO_MODELS pointing at no
 * folder, or at one without the model) made the build succeed silently, the app show
 * "Cannot read properties of undefined (reading 'tokenizer_class')" and the CLI print it with a
 * stack trace. Each now says in one sentence what is missing and where it looked.
 */
const MODEL = DEFAULT_EMBEDDING_MODEL.id;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'folio-models-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/**
 * A copy of the real model folder with `drop` (paths inside the model's folder) left out. The
 * source may be reached through symbolic links (the browser tests' model folder links each model
 * in): the copy follows them and holds real files only, so removing from it can never reach the
 * shared folder.
 */
function partialCopy(name: string, drop: string[]): string {
  const root = path.join(tmp, name);
  const dest = path.join(root, MODEL);
  fs.cpSync(fs.realpathSync(path.join(MODELS_DIR, MODEL)), dest, { recursive: true, dereference: true });
  // The shared folder is read-only (as on CI): its copy must be writable to take pieces out of it.
  for (const entry of ['', ...(fs.readdirSync(dest, { recursive: true }) as string[])]) {
    const file = path.join(dest, entry);
    if (fs.lstatSync(file).isSymbolicLink() || !fs.realpathSync(file).startsWith(fs.realpathSync(tmp)))
      throw new Error(`refusing to change ${file}: not a file of this test's own copy`);
    fs.chmodSync(file, 0o755);
  }
  for (const d of drop) fs.rmSync(path.join(dest, d), { recursive: true, force: true });
  return root;
}

describe('modelFolderProblem', () => {
  test('the real model folder has what the search model needs', () => {
    expect(modelFolderProblem(MODELS_DIR, [MODEL], diskReader)).toBeUndefined();
  });

  test('each missing piece is named, with where it was looked for', () => {
    const nowhere = path.join(tmp, 'nowhere');
    expect(modelFolderProblem(nowhere, [MODEL], diskReader)).toBe(
      `FOLIO_MODELS names the model folder ${nowhere}, which does not exist: point FOLIO_MODELS at a folder holding the models in the Hugging Face hub's layout (<org>/<model>/…).`,
    );
    const empty = path.join(tmp, 'empty');
    fs.mkdirSync(empty);
    expect(modelFolderProblem(empty, [MODEL], diskReader)).toContain(`has no ${MODEL}: looked for ${empty}/${MODEL}.`);
    const noTokenizer = partialCopy('no-tokenizer', ['tokenizer.json']);
    expect(modelFolderProblem(noTokenizer, [MODEL], diskReader)).toBe(
      `The model ${MODEL} in ${noTokenizer} (FOLIO_MODELS) is incomplete: tokenizer.json is missing from ${noTokenizer}/${MODEL}.`,
    );
    const noWeights = partialCopy('no-weights', ['onnx']);
    expect(modelFolderProblem(noWeights, [MODEL], diskReader)).toContain('has no ONNX weights');
  });
});

describe('loading a model its folder does not have', () => {
  test('the embedder says which model and where, not a TypeError', async () => {
    const empty = path.join(tmp, 'empty-load');
    fs.mkdirSync(empty);
    const err = await createTransformersEmbedder({ localModelPath: empty, device: 'cpu' }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toBe(
      `The search model ${MODEL} is not in the model folder ${empty}/: its files were not found there.`,
    );
  });

  test('folio index prints one sentence and exits 1', () => {
    const nowhere = path.join(tmp, 'cli-nowhere');
    const run = spawnSync(
      process.execPath,
      ['bin/folio.js', 'index', path.join(FIXTURES_DIR, 'txt'), '--out', path.join(tmp, 'x.folio')],
      {
        env: { ...process.env, FOLIO_MODELS: nowhere },
        encoding: 'utf8',
      },
    );
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(
      `folio: FOLIO_MODELS names the model folder ${nowhere}, which does not exist: point FOLIO_MODELS at a folder holding the models in the Hugging Face hub's layout (<org>/<model>/…).`,
    );
  });

  test('vite build stops with the sentence before building anything', () => {
    const empty = path.join(tmp, 'build-empty');
    fs.mkdirSync(empty);
    const run = spawnSync(
      process.execPath,
      ['node_modules/vite/bin/vite.js', 'build', '--configLoader', 'runner', '--outDir', path.join(tmp, 'dist')],
      { env: { ...process.env, FOLIO_MODELS: empty }, encoding: 'utf8' },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`The model folder ${empty} (FOLIO_MODELS) has no ${MODEL}`);
    expect(fs.existsSync(path.join(tmp, 'dist'))).toBe(false);
  }, 60_000);
});
