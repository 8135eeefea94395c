/**
 * Secrets in text. A command that needs a secret carries the placeholder `{{secret:NAME}}` (the
 * topology's secret variables render to it), in the plan and everywhere the plan goes; the value
 * replaces it only when the command is sent (`fill`). Whatever comes back is masked: each value,
 * and each placeholder, reads `***` (`mask`, `maskDeep`, `maskStream`). Pure: the values are
 * handed in (the CLI reads them from the environment or files).
 *
 * It does not quote values for the shell: a value goes into the command as it is, like any
 * variable.
 */

/** What a secret is shown as. */
export const MASK = '***';

/** A secret's name: as a variable's (util/template.ts). */
export const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

const PLACEHOLDER = /\{\{secret:([A-Za-z_][A-Za-z0-9_.-]*)\}\}/g;
const OPENING = '{{secret:';

/** How a command refers to the secret `name`. */
export function secretPlaceholder(name: string): string {
  return `${OPENING}${name}}}`;
}

/** The secrets `text` refers to, in order of first use. */
export function secretNames(text: string): string[] {
  if (!text.includes(OPENING)) return [];
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ''))];
}

/** A value that may end with the beginning of a secret, streamed: what can be shown now, and what must wait. */
export interface MaskStream {
  /** The masked text that can be shown now; a tail that may begin a secret is held back. */
  push(chunk: string): string;
  /** The rest, masked. */
  end(): string;
}

export class Secrets {
  readonly #values: ReadonlyMap<string, string>;
  /** Longest first, so that a value containing another is masked whole. */
  readonly #masked: readonly string[];

  /** `values` by name; empty values are never masked (they would be everywhere). */
  constructor(values: ReadonlyMap<string, string> = new Map()) {
    this.#values = values;
    this.#masked = [...new Set(values.values())].filter((v) => v !== '').sort((a, b) => b.length - a.length);
  }

  /** The value of each placeholder whose secret is known; others stay as written. */
  fill(text: string): string {
    if (!text.includes(OPENING)) return text;
    return text.replace(PLACEHOLDER, (whole, name: string) => this.#values.get(name) ?? whole);
  }

  /** `fill` over every string of a plain value (a check's URL and headers). */
  fillDeep<T>(value: T): T {
    return mapStrings(value, (s) => this.fill(s));
  }

  /** Every value and every placeholder as `***`. */
  mask(text: string): string {
    let out = text.includes(OPENING) ? text.replace(PLACEHOLDER, MASK) : text;
    for (const v of this.#masked) if (out.includes(v)) out = out.split(v).join(MASK);
    return out;
  }

  /**
   * `mask` over every string of a plain value (an event, a command's result). Keys, and the
   * values of the fields that name things rather than say them (STRUCTURAL: `type`, `status`,
   * `host` …), are left alone: a short value that happens to be a word like `passed` must not
   * break what reads the event.
   */
  maskDeep<T>(value: T): T {
    return mapStrings(value, (s) => this.mask(s));
  }

  /** Masks output that arrives in pieces: a value split between two pieces is still masked. */
  maskStream(): MaskStream {
    let held = '';
    return {
      push: (chunk) => {
        const text = held + chunk;
        const keep = this.#partialTail(text);
        held = text.slice(text.length - keep);
        return this.mask(text.slice(0, text.length - keep));
      },
      end: () => {
        const rest = this.mask(held);
        held = '';
        return rest;
      },
    };
  }

  /** The length of the longest end of `text` that is the beginning (not the whole) of a value. */
  #partialTail(text: string): number {
    let keep = 0;
    for (const v of this.#masked) {
      for (let k = Math.min(v.length - 1, text.length); k > keep; k--) {
        if (text.endsWith(v.slice(0, k))) {
          keep = k;
          break;
        }
      }
    }
    return keep;
  }
}

/** Fields of events and results whose values are names and discriminants, never free text. */
const STRUCTURAL = new Set(['type', 'kind', 'status', 'outcome', 'stream', 'action', 'host', 'step', 'role', 'wave', 'phase', 'version']);

/** `value` with `f` applied to every string in it but STRUCTURAL fields' (arrays and plain objects are copied). */
function mapStrings<T>(value: T, f: (s: string) => string): T {
  if (typeof value === 'string') return f(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => mapStrings(v, f)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, STRUCTURAL.has(k) && typeof v === 'string' ? v : mapStrings(v, f)])) as T;
  }
  return value;
}
