/**
 * Which ssh_config values apply to one host name, with OpenSSH's semantics (readconf.c, ssh.c):
 * files in order, `Host` patterns against the name as given, `Match` criteria against what is
 * known so far, the first value obtained wins (IdentityFile adds up, duplicates dropped; the
 * first of ProxyJump and ProxyCommand wins), and a second, final pass when a `Match final` or
 * `Match canonical` line asks for one (Host patterns then match the HostName). Values are kept
 * as written, with the file and line each came from; settings.ts interprets them.
 */
import type { ConfigEntry, ConfigFile, MatchCriterion } from './files.js';
import { matchHostLine, matchPatternList } from './patterns.js';
import { expandTokens, type TokenContext } from './tokens.js';

/** A value as written, and where. */
export interface Setting {
  readonly args: readonly string[];
  readonly file: string;
  readonly line: number;
}

/** What ssh knows locally; `exec` runs a `Match exec` command (true: exit status 0). */
export interface LocalFacts {
  readonly user: string;
  readonly home: string;
  readonly hostName: string;
  readonly uid: number;
  readonly exec: (command: string) => boolean;
}

export interface ResolvedConfig {
  /** The name looked up (the alias). */
  readonly alias: string;
  /** HostName with %h expanded, lowercased; the alias when none is set. */
  readonly hostName: string;
  /** First value of each keyword (lowercase), except identityfile. */
  readonly options: ReadonlyMap<string, Setting>;
  /** Every IdentityFile obtained, in order, as written (tokens not expanded). */
  readonly identityFiles: readonly Setting[];
  /** `file:line: message` problems met while resolving (a bad token in Match exec). */
  readonly errors: readonly string[];
}

const LISTS = new Set(['identityfile']);
const PROXIES = new Set(['proxyjump', 'proxycommand']);

class Resolution {
  readonly options = new Map<string, Setting>();
  readonly lists = new Map<string, Setting[]>();
  readonly errors: string[] = [];
  wantFinal = false;
  /** In the final pass: the host name found by the first one (ssh.c sets it as HostName). */
  finalHost: string | undefined;
  readonly #alias: string;
  readonly #local: LocalFacts;

  constructor(alias: string, local: LocalFacts) {
    this.#alias = alias;
    this.#local = local;
  }

  /** The host `Match host` compares: HostName so far (%h expanded), else the alias. */
  currentHost(final: boolean): string {
    if (this.finalHost !== undefined) return this.finalHost;
    const h = this.options.get('hostname');
    if (!h) return final ? this.#alias.toLowerCase() : this.#alias;
    const v = (h.args[0] ?? '').replaceAll('%%', '\u0000').replaceAll('%h', this.#alias).replaceAll('\u0000', '%');
    return final ? v.toLowerCase() : v;
  }

  pass(files: readonly ConfigFile[], host: string, final: boolean): void {
    for (const f of files) this.#walk(f, host, final);
  }

  #walk(file: ConfigFile, host: string, final: boolean): void {
    let active = true;
    for (const e of file.entries) {
      if (e.kind === 'host') active = matchHostLine(host, e.patterns);
      else if (e.kind === 'match') active = this.#match(e.criteria, final, file.path, e.line);
      else if (e.kind === 'include') {
        // Entries of an included file never apply under an inactive block (SSHCONF_NEVERMATCH);
        // its own Host and Match lines do not change the including file's state.
        if (active) for (const inc of e.files) this.#walk(inc, host, final);
      } else if (active) this.#set(e, file.path);
    }
  }

  #set(e: Extract<ConfigEntry, { kind: 'option' }>, file: string): void {
    const setting = { args: e.args, file, line: e.line };
    if (LISTS.has(e.keyword)) {
      const list = this.lists.get(e.keyword) ?? [];
      if (!list.some((s) => s.args[0] === e.args[0]) && list.length < 100) list.push(setting);
      this.lists.set(e.keyword, list);
    } else if (PROXIES.has(e.keyword)) {
      if (!this.options.has('proxyjump') && !this.options.has('proxycommand')) this.options.set(e.keyword, setting);
    } else if (!this.options.has(e.keyword) && !(e.keyword === 'hostname' && this.finalHost !== undefined)) {
      this.options.set(e.keyword, setting);
    }
  }

  #match(criteria: readonly MatchCriterion[], final: boolean, file: string, line: number): boolean {
    let result = true;
    for (const c of criteria) {
      let ok: boolean;
      switch (c.name) {
        case 'all': ok = true; break;
        case 'final':
        case 'canonical':
          if (c.name === 'final') this.wantFinal = true;
          ok = final;
          break;
        // match_hostname: host names compare case-insensitively here (unlike on Host lines).
        case 'host': ok = matchPatternList(this.currentHost(final).toLowerCase(), c.arg, true) === 1; break;
        case 'originalhost': ok = matchPatternList(this.#alias.toLowerCase(), c.arg, true) === 1; break;
        case 'user': ok = matchPatternList(this.options.get('user')?.args[0] ?? this.#local.user, c.arg, false) === 1; break;
        case 'localuser': ok = matchPatternList(this.#local.user, c.arg, false) === 1; break;
        case 'exec':
          // ssh skips the command when an earlier criterion already failed.
          if (!result) continue;
          ok = this.#exec(c.arg, final, file, line);
          break;
      }
      if (ok === c.negate) result = false;
    }
    return result;
  }

  #exec(command: string, final: boolean, file: string, line: number): boolean {
    const ctx: TokenContext = {
      host: this.currentHost(final), originalHost: this.#alias, port: Number(this.options.get('port')?.args[0] ?? 22),
      remoteUser: this.options.get('user')?.args[0] ?? this.#local.user, localUser: this.#local.user, home: this.#local.home,
      localHost: this.#local.hostName, uid: this.#local.uid, jump: this.options.get('proxyjump')?.args[0] ?? '',
    };
    const expanded = expandTokens(command, ctx);
    if ('error' in expanded) {
      this.errors.push(`${file}:${line}: Match exec: ${expanded.error}`);
      return false;
    }
    return this.#local.exec(expanded.value);
  }
}

/** The ssh_config values for `alias` from `files` (already loaded, in the order ssh reads them). */
export function resolveConfig(alias: string, files: readonly ConfigFile[], local: LocalFacts): ResolvedConfig {
  const r = new Resolution(alias, local);
  r.pass(files, alias, false);
  const canonicalize = r.options.get('canonicalizehostname')?.args[0]?.toLowerCase();
  const final = r.wantFinal || canonicalize === 'yes' || canonicalize === 'always';
  const hostName = r.currentHost(true);
  if (final) {
    r.finalHost = hostName;
    r.pass(files, hostName, true);
  }
  return { alias, hostName, options: r.options, identityFiles: r.lists.get('identityfile') ?? [], errors: r.errors };
}
