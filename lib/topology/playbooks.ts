/**
 * Finds and reads role playbooks (steps and checks per role, in YAML). Files are read through the
 * injected reader, each once. Pure apart from the reader.
 */
import path from 'node:path';
import type { Diagnostic } from './diagnostic.js';
import { PlaybookSchema, type RawPlaybook } from './schema.js';
import { checkShape } from './shape.js';
import { parseYamlSource, type YamlSource } from './source.js';

/**
 * A file's text; undefined when it does not exist or cannot be read; `refused` (why) when it was
 * not read at all: not a regular file, or over LIMITS.fileBytes (lib/cli/files.ts).
 */
export type SourceText = string | undefined | { readonly refused: string };

/** Reads files for the loader (the CLI's reads from disk; tests hand in memory). */
export interface SourceReader {
  read(file: string): SourceText;
}

/** A file that was refused, as the diagnostic that says so (at its first line). */
export function refusal(file: string, text: { readonly refused: string }): Diagnostic {
  return { severity: 'error', message: text.refused, location: { file, line: 1, col: 1 } };
}

export interface LoadedPlaybook {
  readonly file: string;
  /** Absent when the file was refused unread. */
  readonly source?: YamlSource;
  readonly playbook?: RawPlaybook;
}

export class PlaybookLibrary {
  readonly #reader: SourceReader;
  readonly #dirs: readonly string[];
  readonly #loaded = new Map<string, LoadedPlaybook>();
  readonly diagnostics: Diagnostic[] = [];

  /** `dirs` are searched in order: the topology's own playbook folder first, then the built-in one. */
  constructor(reader: SourceReader, dirs: readonly string[]) {
    this.#reader = reader;
    this.#dirs = dirs;
  }

  get searched(): readonly string[] {
    return this.#dirs;
  }

  /** The playbook called `name` (`db-master`, `examples/wcs`), from the first folder that has it. */
  find(name: string): LoadedPlaybook | undefined {
    if (path.isAbsolute(name) || name.split(/[\\/]/).includes('..')) return undefined;
    for (const dir of this.#dirs) {
      const file = path.join(dir, `${name}.yaml`);
      const cached = this.#loaded.get(file);
      if (cached) return cached;
      const text = this.#reader.read(file);
      if (typeof text === 'string') return this.#parse(file, text);
      if (text !== undefined) {
        this.diagnostics.push(refusal(file, text));
        const refused: LoadedPlaybook = { file };
        this.#loaded.set(file, refused);
        return refused;
      }
    }
    return undefined;
  }

  #parse(file: string, text: string): LoadedPlaybook {
    const parsed = parseYamlSource(file, text);
    this.diagnostics.push(...parsed.diagnostics);
    let playbook: RawPlaybook | undefined;
    if (parsed.syntaxOk) {
      const shape = checkShape(parsed.source, PlaybookSchema);
      this.diagnostics.push(...shape.diagnostics);
      playbook = shape.value;
    }
    const loaded: LoadedPlaybook = playbook ? { file, source: parsed.source, playbook } : { file, source: parsed.source };
    this.#loaded.set(file, loaded);
    return loaded;
  }
}
