/**
 * libvirt `virsh` answers: `domstate [--reason]`, `list [--all] [--name]`, the
 * `start | shutdown | destroy` messages and their usual errors. Two libvirt generations: `new`
 * (≥ ~7: quoted names, vshTable columns) and `old` (CentOS 7's 4.5: bare names, fixed
 * `%-5s %-30s` columns). Single values and messages end with an extra empty line, like virsh.
 * domain.md §5.1 (parsing of domstate lives in lib/power/driver.ts).
 */
import type { ToolOutput } from '../../parsers/index.js';

/** `virsh domstate` words (virDomainState). */
export type VirshState = 'no state' | 'running' | 'idle' | 'paused' | 'in shutdown' | 'shut off' | 'crashed' | 'pmsuspended';

/** Which libvirt prints: `new` quotes names, `old` (4.5) does not. */
export type LibvirtGeneration = 'old' | 'new';

/** A domain as `virsh list` shows it. */
export interface VirshDomain {
  readonly name: string;
  /** Running domains have one; inactive ones show `-`. */
  readonly id?: number;
  readonly state: VirshState;
}

/** `virsh domstate <dom>`; with `reason`, the `--reason` form (`shut off (shutdown)`). */
export function formatVirshDomstate(state: VirshState, options: { readonly reason?: string } = {}): string {
  return `${state}${options.reason === undefined ? '' : ` (${options.reason})`}\n\n`;
}

/** Options of `formatVirshList`. */
export interface VirshListOptions {
  /** `--all`: include inactive (shut off) domains. */
  readonly all?: boolean;
  /** `--name`: bare names, one per line. */
  readonly name?: boolean;
  /** @default 'new' */
  readonly libvirt?: LibvirtGeneration;
}

/** `virsh list [--all] [--name]`. */
export function formatVirshList(domains: readonly VirshDomain[], options: VirshListOptions = {}): string {
  const shown = options.all === true ? domains : domains.filter((d) => d.state !== 'shut off');
  if (options.name === true) return `${shown.map((d) => `${d.name}\n`).join('')}\n`;
  const rows = shown.map((d) => [d.id === undefined ? '-' : String(d.id), d.name, d.state]);
  if (options.libvirt === 'old') {
    const line = (r: readonly string[]): string => ` ${(r[0] ?? '').padEnd(5)} ${(r[1] ?? '').padEnd(30)} ${r[2] ?? ''}\n`;
    return `${line(['Id', 'Name', 'State'])}${'-'.repeat(52)}\n${rows.map(line).join('')}\n`;
  }
  // vshTable: each cell is ' ' + cell padded to the column + two blanks; dashes cover it all.
  const table = [['Id', 'Name', 'State'], ...rows];
  const widths = [0, 1, 2].map((c) => Math.max(...table.map((r) => (r[c] ?? '').length)));
  const line = (r: readonly string[]): string => `${r.map((cell, c) => ` ${cell.padEnd(widths[c] ?? 0)}  `).join('')}\n`;
  const dashes = '-'.repeat(widths.reduce((n, w) => n + w + 3, 0));
  return `${line(table[0] ?? [])}${dashes}\n${rows.map(line).join('')}\n`;
}

/** The domain-changing verbs. */
export type VirshAction = 'start' | 'shutdown' | 'destroy';

const DONE: Readonly<Record<VirshAction, string>> = { start: 'started', shutdown: 'is being shutdown', destroy: 'destroyed' };

function named(name: string, libvirt: LibvirtGeneration | undefined): string {
  return libvirt === 'old' ? name : `'${name}'`;
}

/** `Domain 'x' started` (and friends) on stdout, exit 0. */
export function formatVirshAction(action: VirshAction, name: string, options: { readonly libvirt?: LibvirtGeneration } = {}): ToolOutput {
  return { stdout: `Domain ${named(name, options.libvirt)} ${DONE[action]}\n\n`, stderr: '', exitCode: 0 };
}

/** A virsh failure. */
export type VirshError =
  /** `start` on a running domain. */
  | { readonly kind: 'already-active' }
  /** `shutdown` / `destroy` on a domain that is not running. */
  | { readonly kind: 'not-running'; readonly action: 'shutdown' | 'destroy' }
  /** Unknown domain name. */
  | { readonly kind: 'no-domain' };

/** virsh's `error: …` lines on stderr, exit 1. */
export function formatVirshError(name: string, error: VirshError, options: { readonly libvirt?: LibvirtGeneration } = {}): ToolOutput {
  const lines = error.kind === 'already-active'
    ? ['Domain is already active']
    : error.kind === 'not-running'
      ? [`Failed to ${error.action} domain ${named(name, options.libvirt)}`, 'Requested operation is not valid: domain is not running']
      : [`failed to get domain '${name}'`];
  return { stdout: '', stderr: lines.map((l) => `error: ${l}\n`).join(''), exitCode: 1 };
}
