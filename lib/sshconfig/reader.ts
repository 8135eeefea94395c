/**
 * The real file system and shell for ssh_config: files read as text (a missing file is no
 * file), Include globs expanded as glob(3) does (`*`, `?`, `[…]` in any part; a leading dot only
 * matched by a dot; sorted), `Match exec` run by $SHELL -c with no input and output discarded.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ConfigReader } from './files.js';

const WILD = /[*?[]/;

function componentRegex(part: string): RegExp {
  let re = '';
  for (let i = 0; i < part.length; i++) {
    const c = part[i] as string;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = part.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        const body = part.slice(i + 1, end);
        re += `[${body.startsWith('!') ? `^${body.slice(1)}` : body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

/** glob(3) over the real file system. */
export function globFiles(pattern: string): string[] {
  if (!WILD.test(pattern)) return [pattern];
  const parts = pattern.split('/');
  let dirs = [parts[0] === '' ? '/' : '.'];
  for (const part of parts.slice(parts[0] === '' ? 1 : 0)) {
    if (part === '') continue;
    const next: string[] = [];
    for (const dir of dirs) {
      if (!WILD.test(part)) { next.push(path.join(dir, part)); continue; }
      const re = componentRegex(part);
      let names: string[] = [];
      try { names = readdirSync(dir); } catch { names = []; }
      for (const n of names.sort()) if (re.test(n) && (!n.startsWith('.') || part.startsWith('.'))) next.push(path.join(dir, n));
    }
    dirs = next;
  }
  return dirs;
}

export const fsConfigReader: ConfigReader = {
  read(file) {
    try {
      return readFileSync(file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return undefined;
      throw e;
    }
  },
  glob: globFiles,
};

/** Runs a `Match exec` command as ssh does: the user's shell, `-c`; true when it exits 0. */
export function execMatch(command: string): boolean {
  const shell = process.env['SHELL'] ?? '/bin/sh';
  return spawnSync(shell, ['-c', command], { stdio: 'ignore', timeout: 30_000 }).status === 0;
}
