/**
 * The ssh_config values orchestrate uses, interpreted as ssh interprets them (readconf.c):
 * yes/no flags, ports, times (`30`, `1m30s`), ProxyJump hops, StrictHostKeyChecking as a host-key
 * policy. Each keeps where it was written. Keywords that would change how ssh reaches a host
 * but that orchestrate does not follow are reported, never silently dropped. Pure.
 */
import type { ResolvedConfig, Setting } from './resolve.js';

/** A value and the `file:line` it came from. */
export interface Sourced<T> {
  readonly value: T;
  readonly at: string;
}

/** One hop of a ProxyJump list: `[user@]host[:port]` or `ssh://[user@]host[:port]`. */
export interface JumpHop {
  readonly host: string;
  readonly user?: string;
  readonly port?: number;
}

export type ConfigHostKeyPolicy = 'strict' | 'accept-new' | 'off';

export interface SshConfigSettings {
  /** HostName, %h expanded and lowercased, when one applies. */
  readonly hostName?: Sourced<string>;
  readonly user?: Sourced<string>;
  readonly port?: Sourced<number>;
  /** IdentityFile values as written (tokens and `~` not expanded: that needs the final user and port). */
  readonly identityFiles: readonly Sourced<string>[];
  readonly identitiesOnly?: Sourced<boolean>;
  /** IdentityAgent as written: `none`, `SSH_AUTH_SOCK`, or a path. */
  readonly identityAgent?: Sourced<string>;
  /** Hops in the order they are passed through; empty for `ProxyJump none`. */
  readonly proxyJump?: Sourced<readonly JumpHop[]>;
  readonly userKnownHostsFiles?: Sourced<readonly string[]>;
  readonly globalKnownHostsFiles?: Sourced<readonly string[]>;
  /** `ask` is `strict`: orchestrate never prompts. */
  readonly hostKeyPolicy?: Sourced<ConfigHostKeyPolicy>;
  readonly hashKnownHosts?: Sourced<boolean>;
  readonly connectTimeoutMs?: Sourced<number>;
  /** ServerAliveInterval; 0 turns keepalives off. */
  readonly serverAliveIntervalMs?: Sourced<number>;
  readonly serverAliveCountMax?: Sourced<number>;
  /** Keywords in effect that orchestrate does not follow (`file:line: message`). */
  readonly warnings: readonly string[];
  /** Values ssh would refuse, and settings orchestrate cannot honour (ProxyCommand). */
  readonly errors: readonly string[];
}

const at = (s: Setting): string => `${s.file}:${s.line}`;

const UNSUPPORTED: Readonly<Record<string, readonly [string, string]>> = {
  certificatefile: ['CertificateFile', 'client certificates are not offered; the key alone is'],
  pkcs11provider: ['PKCS11Provider', 'PKCS#11 keys are not offered (load them into ssh-agent)'],
  securitykeyprovider: ['SecurityKeyProvider', 'security-key middleware is not used (load the key into ssh-agent)'],
  hostkeyalias: ['HostKeyAlias', 'known_hosts is looked up by the host name, not the alias'],
  knownhostscommand: ['KnownHostsCommand', 'the command is not run; known_hosts files are read'],
};

/** convtime: `90`, `1m30s`, units s m h d w; undefined when invalid. */
export function parseTime(v: string): number | undefined {
  if (/^\d+$/.test(v)) return Number(v);
  if (!/^(\d+[smhdwSMHDW])+$/.test(v)) return undefined;
  const unit: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
  let total = 0;
  for (const m of v.matchAll(/(\d+)([a-zA-Z])/g)) total += Number(m[1]) * (unit[(m[2] ?? 's').toLowerCase()] ?? 1);
  return total;
}

/** A ProxyJump list, or what is wrong with it. */
export function parseJump(v: string): JumpHop[] | string {
  if (v.toLowerCase() === 'none') return [];
  const hops: JumpHop[] = [];
  for (const raw of v.split(',')) {
    const s = raw.startsWith('ssh://') ? raw.slice(6).replace(/\/$/, '') : raw;
    const atSign = s.lastIndexOf('@');
    const user = atSign >= 0 ? s.slice(0, atSign) : undefined;
    const rest = atSign >= 0 ? s.slice(atSign + 1) : s;
    const m = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d+))?$/.exec(rest);
    const host = m?.[1] ?? m?.[2];
    if (!m || host === undefined || user === '') return `invalid ProxyJump hop '${raw}'`;
    const port = m[3] === undefined ? undefined : Number(m[3]);
    if (port !== undefined && (port < 1 || port > 65535)) return `invalid port in ProxyJump hop '${raw}'`;
    hops.push({ host, ...(user === undefined ? {} : { user }), ...(port === undefined ? {} : { port }) });
  }
  return hops;
}

function flag(v: string): boolean | undefined {
  const l = v.toLowerCase();
  return l === 'yes' || l === 'true' ? true : l === 'no' || l === 'false' ? false : undefined;
}

function policy(v: string): ConfigHostKeyPolicy | undefined {
  const l = v.toLowerCase();
  if (l === 'yes' || l === 'true' || l === 'ask') return 'strict';
  if (l === 'accept-new') return 'accept-new';
  return l === 'no' || l === 'false' || l === 'off' ? 'off' : undefined;
}

/** The typed settings of a resolved host. */
export function settingsOf(r: ResolvedConfig): SshConfigSettings {
  const errors: string[] = [...r.errors];
  const warnings: string[] = [];
  const out: Record<string, unknown> = {};
  const first = (kw: string): Setting | undefined => r.options.get(kw);
  const take = <T>(kw: string, key: string, parse: (v: string, s: Setting) => T | undefined, what: string): void => {
    const s = first(kw);
    if (!s) return;
    const v = parse(s.args[0] ?? '', s);
    if (v === undefined) errors.push(`${at(s)}: invalid ${what} '${s.args.join(' ')}'`);
    else out[key] = { value: v, at: at(s) };
  };
  const hn = first('hostname');
  if (hn) out['hostName'] = { value: r.hostName, at: at(hn) };
  take('user', 'user', (v) => v, 'User');
  take('port', 'port', (v) => (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 65535 ? Number(v) : undefined), 'Port');
  take('identitiesonly', 'identitiesOnly', flag, 'IdentitiesOnly');
  take('identityagent', 'identityAgent', (v) => v, 'IdentityAgent');
  take('stricthostkeychecking', 'hostKeyPolicy', policy, 'StrictHostKeyChecking');
  take('hashknownhosts', 'hashKnownHosts', flag, 'HashKnownHosts');
  take('connecttimeout', 'connectTimeoutMs', (v) => { const t = parseTime(v); return t === undefined ? undefined : t * 1000; }, 'ConnectTimeout');
  take('serveraliveinterval', 'serverAliveIntervalMs', (v) => { const t = parseTime(v); return t === undefined ? undefined : t * 1000; }, 'ServerAliveInterval');
  take('serveralivecountmax', 'serverAliveCountMax', (v) => (/^\d+$/.test(v) ? Number(v) : undefined), 'ServerAliveCountMax');
  take('userknownhostsfile', 'userKnownHostsFiles', (_v, s) => s.args, 'UserKnownHostsFile');
  take('globalknownhostsfile', 'globalKnownHostsFiles', (_v, s) => s.args, 'GlobalKnownHostsFile');
  const jump = first('proxyjump');
  if (jump) {
    const hops = parseJump(jump.args[0] ?? '');
    if (typeof hops === 'string') errors.push(`${at(jump)}: ${hops}`);
    else out['proxyJump'] = { value: hops, at: at(jump) };
  }
  const command = first('proxycommand');
  if (command && command.args[0]?.toLowerCase() !== 'none') errors.push(`${at(command)}: ProxyCommand is not supported by orchestrate (use ProxyJump, or give the host's address in the topology)`);
  const canon = first('canonicalizehostname');
  if (canon && /^(yes|always)$/i.test(canon.args[0] ?? '')) warnings.push(`${at(canon)}: CanonicalizeHostname is not followed: names are resolved by the system resolver as written`);
  for (const [kw, [name, why]] of Object.entries(UNSUPPORTED)) {
    const s = first(kw);
    if (s && s.args[0]?.toLowerCase() !== 'none') warnings.push(`${at(s)}: ${name} is not followed: ${why}`);
  }
  return { ...out, identityFiles: r.identityFiles.map((s) => ({ value: s.args[0] ?? '', at: at(s) })), warnings, errors } as SshConfigSettings;
}
