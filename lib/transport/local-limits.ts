/**
 * Errors that say the controller ran out of something (file descriptors, memory, local ports),
 * so that they are reported as the controller's problem, naming the limit, and never as an
 * unreachable host.
 */
import { readFileSync } from 'node:fs';

const LOCAL = new Set(['EMFILE', 'ENFILE', 'ENOMEM', 'ENOBUFS', 'EADDRNOTAVAIL', 'EAGAIN']);

export function isLocalResourceError(code: string | undefined): boolean {
  return code !== undefined && LOCAL.has(code);
}

let openFilesLimit: string | undefined;

/** The soft limit on open files of this process, from /proc/self/limits (Linux), or undefined. */
export function openFilesSoftLimit(): string | undefined {
  if (openFilesLimit !== undefined) return openFilesLimit || undefined;
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    openFilesLimit = line?.split(/\s{2,}/)[1]?.trim() ?? '';
  } catch {
    openFilesLimit = '';
  }
  return openFilesLimit || undefined;
}

/** A sentence naming the local limit behind `code`. */
export function describeLocalError(code: string | undefined): string {
  switch (code) {
    case 'EMFILE': {
      const limit = openFilesSoftLimit();
      return `the controller has too many open files (EMFILE${limit === undefined ? '' : `, ulimit -n is ${limit}`}): raise the limit or lower --concurrency`;
    }
    case 'ENFILE':
      return 'the controller\'s system-wide file table is full (ENFILE): lower --concurrency';
    case 'ENOMEM':
    case 'ENOBUFS':
      return `the controller is out of memory (${code}): lower --concurrency`;
    case 'EADDRNOTAVAIL':
      return 'the controller has no free local port (EADDRNOTAVAIL): too many connections at once; lower --concurrency';
    case 'EAGAIN':
      return 'the controller could not start a process (EAGAIN, the process limit): lower --concurrency';
    default:
      return `the controller ran out of a resource (${code ?? 'unknown'})`;
  }
}

// Read now: once the descriptors are used up, reading /proc/self/limits would fail with EMFILE too.
openFilesSoftLimit();

/**
 * A host name the resolver does not know (ENOTFOUND): final, and what to do about it. `configFiles`:
 * the ssh_config files that were read for it (none of them gave it a HostName).
 */
export function unknownName(address: string, configFiles?: readonly string[]): string {
  if (configFiles === undefined) return `${address}: no such host name (the resolver says ENOTFOUND); ssh_config was not read for it: give the host's address, or a name the resolver knows`;
  const read = configFiles.length === 0 ? 'no ssh_config file was read' : `not a Host in ${configFiles.join(' or ')} either`;
  return `${address}: no such host name (the resolver says ENOTFOUND; ${read}): give the host's address, a name the resolver knows, or a Host entry with a HostName`;
}
