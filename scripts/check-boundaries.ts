/**
 * The architecture, checked: `npm run lint` fails when an import crosses a boundary.
 *
 * - app/, client/, workers/, scripts/ and test/helpers/ reach the core only through src/core/index.ts
 *   (its one door) or `#platform`, so the core's public surface is one file a reader can take in.
 * - workers/ hold no logic of their own: each exposes a host the core defines, so they import
 *   nothing of app/ or client/ (the page's side of the protocol).
 * - src/core/ never imports the layers above it (app, client, workers, scripts, tests) nor React:
 *   the same core runs in the worker, in Node tests and on the command line.
 *
 *   npx tsx scripts/check-boundaries.ts [root]
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface Violation {
  file: string;
  line: number;
  specifier: string;
  message: string;
}

/** Folders (relative to the root) whose files may import the core only through its door. */
const OUTSIDE_CORE = ['src/app', 'src/client', 'scripts', 'test/helpers'];
const CORE = 'src/core';
const DOOR = 'src/core/index.ts';
/** What the core may not import: the layers above it, and a UI framework. */
const ABOVE_CORE = ['src/app', 'src/client', 'src/workers', 'scripts', 'test'];
const FRAMEWORKS = ['react', 'react-dom'];
/** Folders whose files expose a core host: the core through its door only, nothing of the page. */
const WORKERS = 'src/workers';
/** What a worker may not import: the page's code, which calls the worker. */
const ABOVE_WORKERS = ['src/app', 'src/client'];

export function checkBoundaries(root: string): Violation[] {
  const violations: Violation[] = [];
  for (const file of [...OUTSIDE_CORE, WORKERS, CORE].flatMap((dir) => sourceFiles(path.join(root, dir)))) {
    const rel = path.relative(root, file).split(path.sep).join('/');
    const text = fs.readFileSync(file, 'utf8');
    for (const imp of ts.preProcessFile(text, true, true).importedFiles) {
      const spec = imp.fileName;
      const line = text.slice(0, imp.pos).split('\n').length;
      const target = spec.startsWith('.') ? resolve(path.dirname(file), spec) : undefined;
      const targetRel = target && path.relative(root, target).split(path.sep).join('/');
      const at = { file: rel, line, specifier: spec };
      if (rel.startsWith(`${CORE}/`)) {
        const above = targetRel && ABOVE_CORE.find((dir) => targetRel.startsWith(`${dir}/`));
        if (above)
          violations.push({
            ...at,
            message: `${rel}:${line} imports '${spec}' (${targetRel}): the core never imports ${above}/, which is built on top of it (the core must run alone in a worker, in Node and on the command line).`,
          });
        if (FRAMEWORKS.some((f) => spec === f || spec.startsWith(`${f}/`)))
          violations.push({
            ...at,
            message: `${rel}:${line} imports '${spec}': the core is framework-free; React belongs in src/app/.`,
          });
        continue;
      }
      if (rel.startsWith(`${WORKERS}/`)) {
        const page = targetRel && ABOVE_WORKERS.find((d) => targetRel.startsWith(`${d}/`));
        if (page)
          violations.push({
            ...at,
            message: `${rel}:${line} imports '${spec}' (${targetRel}): a worker only exposes a host from the core; ${page}/ is the page's side, which calls the worker. Define what both sides share in the core.`,
          });
        if (targetRel?.startsWith(`${CORE}/`) && targetRel !== DOOR)
          violations.push({
            ...at,
            message: `${rel}:${line} imports '${spec}' (${targetRel}): workers/ reach the core only through ${DOOR} (or #platform), and expose a host the core exports there.`,
          });
        continue;
      }
      if (targetRel?.startsWith(`${CORE}/`) && targetRel !== DOOR) {
        violations.push({
          ...at,
          message: `${rel}:${line} imports '${spec}' (${targetRel}): ${OUTSIDE_CORE.map((d) => `${d.replace(/^src\//, '')}/`).join(', ')} reach the core only through ${DOOR} (or #platform). Export what you need from ${DOOR} and import it from there.`,
        });
      }
    }
  }
  return violations;
}

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|tsx|mts)$/.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => path.join(e.parentPath, e.name));
}

/** The file a relative specifier names, as the bundler resolves it. */
function resolve(from: string, spec: string): string {
  const base = path.resolve(from, spec);
  const candidates = [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts'), path.join(base, 'index.tsx')];
  return candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile()) ?? base;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '..'));
  const found = checkBoundaries(root);
  for (const v of found) console.error(v.message);
  if (found.length) {
    console.error(
      `\n${found.length} import${found.length === 1 ? '' : 's'} cross${found.length === 1 ? 'es' : ''} a boundary (scripts/check-boundaries.ts says why).`,
    );
    process.exit(1);
  }
  console.log("boundaries: every import goes through the core's door; the core imports nothing above it.");
}
