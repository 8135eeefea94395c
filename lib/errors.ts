/**
 * The few errors that are thrown. Problems a user can fix in a topology are Diagnostics (see
 * topology/), and step failures are events with a result; neither is thrown.
 */

/**
 * `instanceof` by a registered symbol rather than by prototype, so that it also holds for an
 * error from a second copy of this module (the CLI imports each command when it runs; specs that
 * run it in-process load their own copy of the modules).
 */
function brand(name: string): { readonly key: symbol; readonly is: (x: unknown) => boolean } {
  const key = Symbol.for(`orchestrate.${name}`);
  return { key, is: (x) => typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[key] === true };
}

const INTERNAL = brand('InternalError');
const CLI = brand('CliError');

/** An invariant broke: a bug in orchestrate, never a user error. */
export class InternalError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(`Internal error: ${message}`, options);
    this.name = 'InternalError';
    Object.defineProperty(this, INTERNAL.key, { value: true });
  }

  static override [Symbol.hasInstance](x: unknown): boolean {
    return INTERNAL.is(x);
  }
}

/** A problem at the command-line edge, with the exit code and what to try next. */
export class CliError extends Error {
  readonly exitCode: number;
  readonly suggestions: readonly string[];
  constructor(message: string, options: { exitCode?: number; suggestions?: readonly string[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.exitCode = options.exitCode ?? 1;
    this.suggestions = options.suggestions ?? [];
    Object.defineProperty(this, CLI.key, { value: true });
  }

  static override [Symbol.hasInstance](x: unknown): boolean {
    return CLI.is(x);
  }
}
