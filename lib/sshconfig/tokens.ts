/**
 * `%` tokens and `~` in ssh_config values, as ssh expands them (ssh.c, percent_expand and
 * tilde_expand_filename; `~` is util/home.ts): %% %C %d %h %i %j %k %L %l %n %p %r %u. `${VAR}` environment
 * references for IdentityAgent. Pure: the local facts come in `TokenContext`.
 */
import { createHash } from 'node:crypto';

/** What the tokens stand for. */
export interface TokenContext {
  /** %h: the remote host name (after HostName). */
  readonly host: string;
  /** %n: the name as given (the alias). */
  readonly originalHost: string;
  /** %p */
  readonly port: number;
  /** %r */
  readonly remoteUser: string;
  /** %u */
  readonly localUser: string;
  /** %d and `~` */
  readonly home: string;
  /** %l; %L is its part before the first dot. */
  readonly localHost: string;
  /** %i */
  readonly uid: number;
  /** %j: the ProxyJump value, empty when none. */
  readonly jump: string;
  /** %k: HostKeyAlias, or the alias. */
  readonly hostKeyAlias?: string;
}

/** A value with its tokens expanded, or the first token ssh does not know there. */
export function expandTokens(value: string, c: TokenContext, allowed = 'CdhijkLlnpru'): { value: string } | { error: string } {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] as string;
    if (ch !== '%') { out += ch; continue; }
    const t = value[++i];
    if (t === '%') { out += '%'; continue; }
    if (t === undefined || !allowed.includes(t)) return { error: `unknown token %${t ?? ''} in '${value}'` };
    out += tokenValue(t, c);
  }
  return { value: out };
}

function tokenValue(t: string, c: TokenContext): string {
  switch (t) {
    case 'C': return createHash('sha1').update(`${c.localHost}${c.host}${c.port}${c.remoteUser}${c.jump}`).digest('hex');
    case 'd': return c.home;
    case 'h': return c.host;
    case 'i': return String(c.uid);
    case 'j': return c.jump;
    case 'k': return c.hostKeyAlias ?? c.originalHost;
    case 'L': return c.localHost.split('.')[0] ?? '';
    case 'l': return c.localHost;
    case 'n': return c.originalHost;
    case 'p': return String(c.port);
    case 'r': return c.remoteUser;
    default: return c.localUser;
  }
}

/** `${VAR}` references (IdentityAgent); undefined when a variable is not set. */
export function expandEnv(value: string, env: Readonly<Record<string, string | undefined>>): string | undefined {
  let missing = false;
  const out = value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, name: string) => {
    const v = env[name];
    if (v === undefined) missing = true;
    return v ?? '';
  });
  return missing ? undefined : out;
}
