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

test('this repository: app, client, scripts and test helpers use the core only through its door; the core imports nothing above it', () => {
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
