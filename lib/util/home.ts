import os from 'node:os';
import path from 'node:path';

/** Expands a leading `~` to the home directory, as ssh does for IdentityFile and UserKnownHostsFile. */
export function expandHome(p: string, home: string = os.homedir()): string {
  if (p === '~') return home;
  if (p.startsWith('~/')) return path.join(home, p.slice(2));
  return p;
}
