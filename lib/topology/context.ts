/** What the resolve functions share while turning raw YAML data into the model. */
import { dict } from '../util/own.js';
import type { Diagnostic } from './diagnostic.js';
import type { SourceLocation } from './model.js';
import type { Salvaged } from './salvage.js';
import type { RawTopology } from './schema.js';
import { pathText } from './shape.js';
import { locate, type DataPath, type YamlSource } from './source.js';
import { valueProblem, type ValueKind } from './value-rules.js';

export class ResolveContext {
  readonly source: YamlSource;
  readonly raw: RawTopology;
  readonly written: Salvaged['written'];
  readonly diagnostics: Diagnostic[] = [];
  #carriers: Map<string, string[]> | undefined;
  #hostsAndRoles: readonly string[] | undefined;

  constructor(source: YamlSource, salvaged: Salvaged) {
    this.source = source;
    this.raw = salvaged.raw;
    this.written = salvaged.written;
  }

  /** The hosts whose `roles` name `role`, in the order they are written (indexed on first use: asked for each host that depends on a role). */
  carriersOf(role: string): readonly string[] {
    if (!this.#carriers) {
      this.#carriers = new Map();
      for (const [name, host] of Object.entries(this.raw.hosts)) {
        for (const r of new Set(host.roles ?? [])) {
          const list = this.#carriers.get(r);
          if (list) list.push(name);
          else this.#carriers.set(r, [name]);
        }
      }
    }
    return this.#carriers.get(role) ?? [];
  }

  /** Every host and role name written, as one list (kept: suggestions are looked up in it by identity). */
  get hostsAndRoles(): readonly string[] {
    return (this.#hostsAndRoles ??= [...this.written.hosts, ...this.written.roles]);
  }

  /** Location of a path in the topology file. */
  at(path: DataPath, options: { key?: boolean } = {}): SourceLocation {
    return locate(this.source, path, options);
  }

  error(location: SourceLocation, message: string): void {
    this.diagnostics.push({ severity: 'error', message, location });
  }

  /** Reports the value at `path` unless it is what `kind` allows (it goes into a command: value-rules.ts). */
  checkValue(path: DataPath, kind: ValueKind, value: string): void {
    const problem = valueProblem(kind, value, pathText(path));
    if (problem !== undefined) this.error(this.at(path), problem);
  }
}

/** Stringifies a vars mapping (YAML may give numbers and booleans). */
export function stringVars(vars: Readonly<Record<string, string | number | boolean>> | undefined): Record<string, string> {
  const out = dict<string>();
  for (const [k, v] of Object.entries(vars ?? {})) out[k] = String(v);
  return out;
}
