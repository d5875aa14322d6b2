import 'fake-indexeddb/auto';
import fs from 'node:fs';
import path from 'node:path';
import {
  createTransformersEmbedder,
  openLibrary,
  type Embedder,
  type FileInput,
  type LibraryOptions,
} from '../../src/core';
import { FIXTURES_DIR, MODELS_DIR } from './paths';

let shared: Promise<Embedder> | undefined;

/** The real MiniLM model from ../shared/models, loaded once per test file. */
export function realEmbedder(): Promise<Embedder> {
  if (process.env.FOLIO_UNIT_TESTS)
    throw new Error(
      'Unit tests (test/unit, `npm run test:fast`) run on the stub embedder (test/helpers/stubEmbedder.ts): a test that needs the real model belongs in test/node.',
    );
  shared ??= createTransformersEmbedder({ localModelPath: MODELS_DIR, dtype: 'q8' });
  return shared;
}

export function fixture(rel: string): FileInput {
  return { name: path.basename(rel), data: new Uint8Array(fs.readFileSync(path.join(FIXTURES_DIR, rel))) };
}

let counter = 0;
/** A fresh library in its own fake-indexeddb database. */
export async function freshLibrary(opts: Partial<LibraryOptions> = {}) {
  const name = opts.name ?? `test-${process.pid}-${++counter}`;
  return openLibrary({ ...opts, embedder: opts.embedder ?? (await realEmbedder()), name });
}
