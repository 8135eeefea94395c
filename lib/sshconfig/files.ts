/**
 * Reads ssh_config files into trees: each file is parsed once, `Host` and `Match` lines are
 * checked, and every `Include` is expanded where it is written (globs, in sorted order; relative
 * paths against ~/.ssh for user files, /etc/ssh for system ones; at most 16 levels, as
 * OpenSSH's READCONF_MAX_DEPTH). Which entries apply to a host is resolve.ts's business. The file
 * system comes in through `ConfigReader`, so this stays testable without one.
 */
import path from 'node:path';
import { parseConfig } from './parse.js';
import { expandHome } from '../util/home.js';

/** The file system as the ssh_config reader needs it. */
export interface ConfigReader {
  /** The file's text; undefined when there is no such file. */
  read(file: string): string | undefined;
  /** Absolute paths matching a glob(3) pattern, sorted; none when nothing matches. */
  glob(pattern: string): readonly string[];
}

export type MatchCriterion =
  | { readonly name: 'all' | 'canonical' | 'final'; readonly negate: boolean }
  | { readonly name: 'exec' | 'host' | 'originalhost' | 'user' | 'localuser'; readonly negate: boolean; readonly arg: string };

export type ConfigEntry =
  | { readonly kind: 'host'; readonly patterns: readonly string[]; readonly line: number }
  | { readonly kind: 'match'; readonly criteria: readonly MatchCriterion[]; readonly line: number }
  | { readonly kind: 'include'; readonly files: readonly ConfigFile[]; readonly line: number }
  | { readonly kind: 'option'; readonly keyword: string; readonly args: readonly string[]; readonly line: number };

export interface ConfigFile {
  readonly path: string;
  readonly entries: readonly ConfigEntry[];
}

/** OpenSSH's READCONF_MAX_DEPTH. */
export const MAX_INCLUDE_DEPTH = 16;

const WITH_ARG = new Set(['exec', 'host', 'originalhost', 'user', 'localuser']);

/** A Match line's criteria, or why OpenSSH would refuse it. */
export function parseMatch(args: readonly string[]): { criteria: MatchCriterion[] } | { error: string } {
  const criteria: MatchCriterion[] = [];
  for (let i = 0; i < args.length; i++) {
    const raw = args[i] as string;
    const negate = raw.startsWith('!');
    const name = (negate ? raw.slice(1) : raw).toLowerCase();
    if (name === 'all' || name === 'canonical' || name === 'final') {
      if (name === 'all' && (criteria.some((c) => c.name !== 'canonical' && c.name !== 'final') || i < args.length - 1)) return { error: `'all' cannot be combined with other Match attributes` };
      criteria.push({ name, negate });
    } else if (WITH_ARG.has(name)) {
      const arg = args[++i];
      if (arg === undefined) return { error: `Match ${name} needs an argument` };
      criteria.push({ name: name as 'host', negate, arg });
    } else {
      return { error: `unsupported Match attribute '${name}' (orchestrate reads all, canonical, final, exec, host, originalhost, user, localuser)` };
    }
  }
  if (criteria.length === 0) return { error: 'Match needs a condition' };
  return { criteria };
}

/** Loads config files with their includes; each file read once per loader (one loader per run). */
export class ConfigLoader {
  readonly #reader: ConfigReader;
  readonly #home: string;
  readonly #files = new Map<string, ConfigFile | undefined>();
  readonly #errors: string[] = [];

  constructor(reader: ConfigReader, home: string) {
    this.#reader = reader;
    this.#home = home;
  }

  /** `file:line: message` problems found so far. OpenSSH refuses a config that has any. */
  get errors(): readonly string[] {
    return this.#errors;
  }

  /** The file's tree, or undefined when it does not exist. `user`: a user file (Include is relative to ~/.ssh). */
  load(file: string, user: boolean): ConfigFile | undefined {
    return this.#load(file, user, 0);
  }

  #load(file: string, user: boolean, depth: number): ConfigFile | undefined {
    const key = `${user ? 'u' : 's'}:${file}`;
    if (this.#files.has(key)) return this.#files.get(key);
    this.#files.set(key, undefined);
    const text = this.#reader.read(file);
    if (text === undefined) return undefined;
    const parsed = parseConfig(text);
    for (const e of parsed.errors) this.#errors.push(`${file}:${e.line}: ${e.message}`);
    const entries: ConfigEntry[] = [];
    for (const l of parsed.lines) {
      if (l.keyword === 'host') entries.push({ kind: 'host', patterns: l.args, line: l.line });
      else if (l.keyword === 'match') {
        const m = parseMatch(l.args);
        if ('error' in m) this.#errors.push(`${file}:${l.line}: ${m.error}`);
        else entries.push({ kind: 'match', criteria: m.criteria, line: l.line });
      } else if (l.keyword === 'include') {
        entries.push({ kind: 'include', files: this.#include(file, l.line, l.args, user, depth), line: l.line });
      } else entries.push({ kind: 'option', keyword: l.keyword, args: l.args, line: l.line });
    }
    const loaded = { path: file, entries };
    this.#files.set(key, loaded);
    return loaded;
  }

  #include(from: string, line: number, args: readonly string[], user: boolean, depth: number): ConfigFile[] {
    if (depth + 1 > MAX_INCLUDE_DEPTH) {
      this.#errors.push(`${from}:${line}: too many recursive configuration includes (more than ${MAX_INCLUDE_DEPTH})`);
      return [];
    }
    const out: ConfigFile[] = [];
    for (const arg of args) {
      if (arg.startsWith('~') && !user) {
        this.#errors.push(`${from}:${line}: bad include path ${arg} (a system file cannot include from ~)`);
        continue;
      }
      const base = user ? path.join(this.#home, '.ssh') : '/etc/ssh';
      const pattern = arg.startsWith('~') ? expandHome(arg, this.#home) : path.isAbsolute(arg) ? arg : path.join(base, arg);
      for (const f of this.#reader.glob(pattern)) {
        const loaded = this.#load(f, user, depth + 1);
        if (loaded) out.push(loaded);
      }
    }
    return out;
  }
}
