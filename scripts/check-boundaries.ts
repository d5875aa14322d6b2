/**
 * The architecture, checked: `npm run lint` fails when an import crosses a boundary.
 *
 * - app/, client/, workers/, scripts/ and test/helpers/ reach the core only through src/core/index.ts
 *   (its one door) or `#platform`, so the core's public surface is one file a reader can take in.
 * - workers/ hold no logic of their own: each exposes a host the core defines, so they import
 *   nothing of app/ or client/ (the page's side of the protocol).
 * - src/core/ never imports the layers above it (app, client, workers, scripts, tests) nor React:
 *   the same core runs in the worker, in Node tests and on the command line.
 * - src/ (the product: the app, the command line, …) never imports scripts/ or test/; tests
 *   beside the code (*.test.ts) may.
 * - scripts/ never import test/: what a script shares with the tests lives in src/ when it is
 *   product code, else in scripts/lib/.
 * - Benchmarks live under scripts/bench/, their pages too (no file named bench* elsewhere), and
 *   nothing outside it imports them.
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
/** Folders whose files expose a core host, and what they may not import: the page's code, which calls them. */
const WORKERS = 'src/workers';
const ABOVE_WORKERS = ['src/app', 'src/client'];
/** Every folder whose imports are checked. */
const CHECKED = ['src', 'scripts', 'test'];
const BENCH = 'scripts/bench';
const isTest = (rel: string) => /\.test\.tsx?$/.test(rel);

export function checkBoundaries(root: string): Violation[] {
  const violations: Violation[] = [];
  const all = CHECKED.flatMap((dir) => files(root, dir));
  for (const rel of all) {
    if (/^bench/i.test(path.posix.basename(rel)) && !rel.startsWith(`${BENCH}/`))
      violations.push({
        file: rel,
        line: 1,
        specifier: '',
        message: `${rel}: benchmark code and its pages live under ${BENCH}/, apart from the tests and the product.`,
      });
  }
  for (const rel of all.filter((f) => /\.(ts|tsx|mts)$/.test(f) && !f.endsWith('.d.ts'))) {
    const file = path.join(root, rel);
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
      if (!targetRel) continue;
      const page = rel.startsWith(`${WORKERS}/`) && ABOVE_WORKERS.find((d) => targetRel.startsWith(`${d}/`));
      if (page)
        violations.push({
          ...at,
          message: `${rel}:${line} imports '${spec}' (${targetRel}): a worker only exposes a host from the core; ${page}/ is the page's side, which calls the worker. Define what both sides share in the core.`,
        });
      if (rel.startsWith(`${WORKERS}/`) && targetRel.startsWith(`${CORE}/`) && targetRel !== DOOR)
        violations.push({
          ...at,
          message: `${rel}:${line} imports '${spec}' (${targetRel}): workers/ reach the core only through ${DOOR} (or #platform), and expose a host the core exports there.`,
        });
      if (rel.startsWith('src/') && !isTest(rel) && /^(scripts|test)\//.test(targetRel))
        violations.push({
          ...at,
          message: `${rel}:${line} imports '${spec}' (${targetRel}): src/ is the product and never imports scripts/ or test/. Move what they share into src/core/ (or src/cli/ for the command line).`,
        });
      if (rel.startsWith('scripts/') && targetRel.startsWith('test/'))
        violations.push({
          ...at,
          message: `${rel}:${line} imports '${spec}' (${targetRel}): scripts never import the tests. Move what they share into src/core/ if it is product code, else into scripts/lib/.`,
        });
      if (!rel.startsWith(`${BENCH}/`) && targetRel.startsWith(`${BENCH}/`))
        violations.push({
          ...at,
          message: `${rel}:${line} imports '${spec}' (${targetRel}): benchmarks are leaves; nothing outside ${BENCH}/ imports them.`,
        });
      if (
        OUTSIDE_CORE.some((dir) => rel.startsWith(`${dir}/`)) &&
        targetRel.startsWith(`${CORE}/`) &&
        targetRel !== DOOR
      ) {
        violations.push({
          ...at,
          message: `${rel}:${line} imports '${spec}' (${targetRel}): ${OUTSIDE_CORE.map((d) => `${d.replace(/^src\//, '')}/`).join(', ')} reach the core only through ${DOOR} (or #platform). Export what you need from ${DOOR} and import it from there.`,
        });
      }
    }
  }
  return violations;
}

/** Every file under `dir` (relative to the root), as a root-relative path with forward slashes. */
function files(root: string, dir: string): string[] {
  const from = path.join(root, dir);
  if (!fs.existsSync(from)) return [];
  return fs
    .readdirSync(from, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
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
  console.log(
    "boundaries: every import goes through the core's door; the core imports nothing above it; workers only host the core; src/ imports no script or test, scripts no test; benchmarks stay in scripts/bench/.",
  );
}
