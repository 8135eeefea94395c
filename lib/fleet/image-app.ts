/**
 * orchestrate as the fleet image carries it: this installation's package.json, bin/, build/lib/
 * and playbooks/, plus its production dependencies as Node resolves them from here, copied into
 * a directory of the image's build context (`app/`). The image build then downloads nothing: no
 * npm registry, no CA bundle, no `npm ci` in the build (docs/ci.md).
 */
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import path from 'node:path';

/** What of the package goes into the image (the rest of package.json's `files` is not needed to run it). */
const APP_PARTS = ['package.json', 'bin', 'build/lib', 'playbooks'] as const;

interface Manifest {
  readonly name?: string;
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
}

function manifest(dir: string): Manifest {
  return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Manifest;
}

/** Where Node finds package `name` from `dir`: the nearest node_modules/NAME above it (real path), if any. */
export function resolvePackage(name: string, dir: string): string | undefined {
  for (let at = dir; ; at = path.dirname(at)) {
    const candidate = path.join(at, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return realpathSync(candidate);
    if (path.dirname(at) === at) return undefined;
  }
}

/**
 * The production dependencies of the package at `root`, placed as npm would hoist them: each at
 * the top of app/node_modules unless another version of the same name is there already, then
 * beside the package that needs it. Keys are paths under app/, values the directories copied.
 */
export function productionTree(root: string): Map<string, string> | string {
  const placed = new Map<string, string>();
  const visit = (from: string, fromPlace: string): string | undefined => {
    const own = manifest(from);
    const optional = new Set(Object.keys(own.optionalDependencies ?? {}));
    for (const name of new Set([...Object.keys(own.dependencies ?? {}), ...optional])) {
      const dir = resolvePackage(name, from);
      if (dir === undefined) {
        if (optional.has(name)) continue;
        return `${name}, a dependency of ${own.name ?? from}, is not installed (run npm ci in ${root})`;
      }
      const top = path.join('node_modules', name);
      const beside = path.join(fromPlace, 'node_modules', name);
      let place: string;
      if (!placed.has(top)) place = top;
      else if (placed.get(top) === dir) continue;
      else if (placed.get(beside) === dir) continue;
      else place = beside;
      placed.set(place, dir);
      const problem = visit(dir, place);
      if (problem !== undefined) return problem;
    }
    return undefined;
  };
  const problem = visit(root, '');
  return problem ?? placed;
}

/** Copies the package at `root` and its production dependencies to `dest` (replacing it); returns what is wrong, if anything. */
export function copyApp(root: string, dest: string): string | undefined {
  if (!existsSync(path.join(root, 'build', 'lib', 'cli', 'bin.js'))) return `orchestrate is not built in ${root} (no build/lib/cli/bin.js): run npm run build there first`;
  const tree = productionTree(root);
  if (typeof tree === 'string') return tree;
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  for (const part of APP_PARTS) {
    if (existsSync(path.join(root, part))) cpSync(path.join(root, part), path.join(dest, part), { recursive: true, dereference: true });
  }
  for (const [place, dir] of tree) {
    // A package's own node_modules are placed (or left out, if dev-only) by the walk above.
    cpSync(dir, path.join(dest, place), { recursive: true, dereference: true, filter: (src) => path.relative(dir, src).split(path.sep)[0] !== 'node_modules' });
  }
  return undefined;
}
