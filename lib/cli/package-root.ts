/**
 * Where orchestrate is installed: the package root and its built-in playbooks. Apart from
 * files.ts so that `--help` and `--version` do not load the topology loader (files.ts reads
 * topologies under its limits).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: two levels above lib/cli (source) or build/lib/cli (compiled). */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    dir = path.dirname(dir);
    if (path.basename(dir) !== 'lib' && path.basename(dir) !== 'build') return dir;
  }
  return dir;
}

export const builtinPlaybooks = (): string => path.join(packageRoot(), 'playbooks');
