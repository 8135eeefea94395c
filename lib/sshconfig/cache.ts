/**
 * ssh_config for one run: each file read and parsed once, each (alias, files) resolved once.
 * By default ~/.ssh/config then /etc/ssh/ssh_config, as ssh reads them; a file given instead
 * (`-F`, a topology's `ssh_config`) is read alone, as `ssh -F` does; `none` reads nothing.
 */
import path from 'node:path';
import { ConfigLoader, type ConfigFile, type ConfigReader } from './files.js';
import { resolveConfig, type LocalFacts } from './resolve.js';
import { settingsOf, type SshConfigSettings } from './settings.js';

export const SYSTEM_CONFIG = '/etc/ssh/ssh_config';

export interface HostConfig {
  readonly settings: SshConfigSettings;
  /** The top files that exist and were read, in order (for messages). */
  readonly files: readonly string[];
}

export class SshConfigCache {
  readonly #loader: ConfigLoader;
  readonly #local: LocalFacts;
  readonly #systemFile: string;
  readonly #resolved = new Map<string, HostConfig>();

  constructor(options: { reader: ConfigReader; local: LocalFacts; systemFile?: string }) {
    this.#loader = new ConfigLoader(options.reader, options.local.home);
    this.#local = options.local;
    this.#systemFile = options.systemFile ?? SYSTEM_CONFIG;
  }

  /** Problems in the files read so far (`file:line: message`); ssh refuses a config that has any. */
  get errors(): readonly string[] {
    return this.#loader.errors;
  }

  /** The files ssh would read: `file` undefined means the user's and the system's. */
  topFiles(file: string | undefined): { path: string; user: boolean }[] {
    if (file === 'none') return [];
    if (file !== undefined) return [{ path: file, user: true }];
    return [{ path: path.join(this.#local.home, '.ssh', 'config'), user: true }, { path: this.#systemFile, user: false }];
  }

  /** The settings for `alias` from `file` (see topFiles). */
  lookup(alias: string, file: string | undefined): HostConfig {
    const key = `${file ?? ''}\u0000${alias}`;
    const hit = this.#resolved.get(key);
    if (hit) return hit;
    const loaded = this.topFiles(file).map((f) => this.#loader.load(f.path, f.user)).filter((f): f is ConfigFile => f !== undefined);
    const result = { settings: settingsOf(resolveConfig(alias, loaded, this.#local)), files: loaded.map((f) => f.path) };
    this.#resolved.set(key, result);
    return result;
  }
}
