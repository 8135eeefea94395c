/** The file-system side of loading: reading topology and playbook files, finding the built-in playbooks. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SourceReader } from '../topology/index.js';

export const fileReader: SourceReader = {
  read(file: string): string | undefined {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  },
};

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
