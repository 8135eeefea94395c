/**
 * ssh_config for one run: each file read and parsed once, each (alias, files) resolved once.
 * By default ~/.ssh/config then /etc/ssh/ssh_config, as ssh reads them; a file given instead
 * (`-F`, a topology's `ssh_config`) is read alone, as `ssh -F` does; `none` reads nothing.
 */
import path from 'node:path';
import { ConfigLoader, type ConfigFile, type ConfigReader } from './files.js';
import { resolveConfig, type LocalFacts, type ResolvedConfig, type Setting } from './resolve.js';
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
  readonly #loaded = new Map<string, { files: readonly ConfigFile[]; paths: readonly string[] }>();
  /** Settings by the lines they came from: hosts that resolve to the same lines share them (10,000 hosts under one `Host *`). */
  readonly #settings = new Map<string, SshConfigSettings>();

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
    const loaded = this.#load(file);
    const result = { settings: this.#settingsOf(resolveConfig(alias, loaded.files, this.#local)), files: loaded.paths };
    this.#resolved.set(key, result);
    return result;
  }

  #load(file: string | undefined): { files: readonly ConfigFile[]; paths: readonly string[] } {
    const key = file ?? '';
    let loaded = this.#loaded.get(key);
    if (!loaded) {
      const files = this.topFiles(file).map((f) => this.#loader.load(f.path, f.user)).filter((f): f is ConfigFile => f !== undefined);
      loaded = { files, paths: files.map((f) => f.path) };
      this.#loaded.set(key, loaded);
    }
    return loaded;
  }

  /** settingsOf depends only on the lines obtained, the HostName when one is set, and the errors met. */
  #settingsOf(r: ResolvedConfig): SshConfigSettings {
    const lines = (list: Iterable<Setting>): string => [...list].map((s) => `${s.file}:${s.line}`).join('\u0000');
    const key = [lines(r.options.values()), lines(r.identityFiles), r.options.has('hostname') ? r.hostName : '', ...r.errors].join('\u0001');
    let settings = this.#settings.get(key);
    if (!settings) {
      settings = settingsOf(r);
      this.#settings.set(key, settings);
    }
    return settings;
  }
}
