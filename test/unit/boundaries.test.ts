import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { checkBoundaries } from '../../scripts/check-boundaries';

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'folio-boundaries-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}

test('this repository: app, client, workers, scripts and test helpers use the core only through its door; the core imports nothing above it; the layers above keep their order', () => {
  expect(checkBoundaries(path.resolve(import.meta.dirname, '../..'))).toEqual([]);
});

test('an import past the door, a core import of the app, and React in the core are each named with the reason', () => {
  const root = tree({
    'src/core/index.ts': "export { x } from './deep/x';\n",
    'src/core/deep/x.ts':
      "import { App } from '../../app/App';\nimport { useState } from 'react';\nexport const x = 1;\n",
    'src/app/App.tsx':
      "import { x } from '../core';\nimport type { Y } from '../core/deep/x';\nexport const App = x;\n",
    'scripts/tool.ts': "import { x } from '../src/core/index';\nconst later = () => import('../src/core/deep/x');\n",
    'src/client/ok.ts': "import { platform } from '#platform';\n",
  });
  const found = checkBoundaries(root);
  expect(found.map((v) => `${v.file}:${v.line} ${v.specifier}`).sort()).toEqual([
    'scripts/tool.ts:2 ../src/core/deep/x',
    'src/app/App.tsx:2 ../core/deep/x',
    'src/core/deep/x.ts:1 ../../app/App',
    'src/core/deep/x.ts:2 react',
  ]);
  expect(found.find((v) => v.file === 'src/app/App.tsx')!.message).toBe(
    "src/app/App.tsx:2 imports '../core/deep/x' (src/core/deep/x.ts): app/, client/, scripts/, test/helpers/ reach the core only through src/core/index.ts (or #platform). Export what you need from src/core/index.ts and import it from there.",
  );
  expect(found.find((v) => v.specifier === '../../app/App')!.message).toMatch(
    /the core never imports src\/app\/, which is built on top of it/,
  );
  expect(found.find((v) => v.specifier === 'react')!.message).toMatch(/framework-free/);
});

test('src/ imports no script or test (the command line importing the eval script is named); tests beside the code may', () => {
  const root = tree({
    'src/core/index.ts': 'export const x = 1;\n',
    'src/cli/main.ts': "const run = () => import('../../scripts/eval');\n",
    'src/app/paths.ts': "import { MODELS_DIR } from '../../test/helpers/paths';\n",
    'src/app/paths.test.ts': "import { FIXTURES_DIR } from '../../scripts/lib/paths';\n",
    'scripts/eval.ts': 'export {};\n',
    'scripts/lib/paths.ts': 'export const FIXTURES_DIR = 1;\n',
    'test/helpers/paths.ts': 'export const MODELS_DIR = 1;\n',
  });
  const found = checkBoundaries(root);
  expect(found.map((v) => `${v.file}:${v.line} ${v.specifier}`).sort()).toEqual([
    'src/app/paths.ts:1 ../../test/helpers/paths',
    'src/cli/main.ts:1 ../../scripts/eval',
  ]);
  expect(found.find((v) => v.file === 'src/cli/main.ts')!.message).toBe(
    "src/cli/main.ts:1 imports '../../scripts/eval' (scripts/eval.ts): src/ is the product and never imports scripts/ or test/. Move what they share into src/core/ (or src/cli/ for the command line).",
  );
});

test('a script importing a test helper is named; tests may import scripts/lib', () => {
  const root = tree({
    'scripts/fuzz.ts': "import { freshLibrary } from '../test/helpers/library';\n",
    'scripts/lib/paths.ts': 'export const FIXTURES_DIR = 1;\n',
    'test/helpers/library.ts': 'export const freshLibrary = 1;\n',
    'test/unit/x.test.ts': "import { FIXTURES_DIR } from '../../scripts/lib/paths';\n",
  });
  const found = checkBoundaries(root);
  expect(found.map((v) => `${v.file}:${v.line} ${v.specifier}`)).toEqual(['scripts/fuzz.ts:1 ../test/helpers/library']);
  expect(found[0]!.message).toMatch(
    /scripts never import the tests\. Move what they share into src\/core\/ if it is product code, else into scripts\/lib\//,
  );
});

test('benchmark code or pages outside scripts/bench/, and imports of a benchmark from outside it, are named', () => {
  const root = tree({
    'scripts/bench/run.ts': "import { peers } from './peers';\n",
    'scripts/bench/peers.ts': 'export const peers = 1;\n',
    'scripts/bench/pages/bench.html': '<script type="module" src="./bench.ts"></script>\n',
    'scripts/bench/pages/bench.ts': 'export {};\n',
    'test/browser/benchPeers.ts': 'export {};\n',
    'test/browser/bench.html': '<p>bench</p>\n',
    'scripts/tune.ts': "import { peers } from './bench/peers';\n",
  });
  const found = checkBoundaries(root);
  expect(found.map((v) => `${v.file}:${v.line} ${v.specifier}`).sort()).toEqual([
    'scripts/tune.ts:1 ./bench/peers',
    'test/browser/bench.html:1 ',
    'test/browser/benchPeers.ts:1 ',
  ]);
  expect(found.find((v) => v.file === 'test/browser/benchPeers.ts')!.message).toBe(
    'test/browser/benchPeers.ts: benchmark code and its pages live under scripts/bench/, apart from the tests and the product.',
  );
  expect(found.find((v) => v.file === 'scripts/tune.ts')!.message).toMatch(
    /benchmarks are leaves; nothing outside scripts\/bench\/ imports them/,
  );
});

test('a worker that imports the page’s code, or the core past its door, is named with the reason', () => {
  const root = tree({
    'src/core/index.ts': "export { Host } from './host';\n",
    'src/core/host.ts': 'export class Host {}\n',
    'src/client/protocol.ts': 'export interface Api { run(): void }\n',
    'src/workers/ok.worker.ts':
      "import * as Comlink from 'comlink';\nimport { Host } from '../core';\nComlink.expose(new Host());\n",
    'src/workers/bad.worker.ts':
      "import type { Api } from '../client/protocol';\nimport { Host } from '../core/host';\nexport const api: Api = new Host() as never;\n",
  });
  const found = checkBoundaries(root);
  expect(found.map((v) => `${v.file}:${v.line} ${v.specifier}`).sort()).toEqual([
    'src/workers/bad.worker.ts:1 ../client/protocol',
    'src/workers/bad.worker.ts:2 ../core/host',
  ]);
  expect(found[0]!.message).toBe(
    "src/workers/bad.worker.ts:1 imports '../client/protocol' (src/client/protocol.ts): a worker only exposes a host from the core; src/client/ is the page's side, which calls the worker. Define what both sides share in the core.",
  );
  expect(found[1]!.message).toMatch(/workers\/.* reach the core only through src\/core\/index\.ts/);
});
