/**
 * The options of `fleet compose` and their defaults: shown in `--help`, so they live apart from
 * the command (which loads the simulated fleet).
 */

/** The options of `fleet compose` (docs/ci.md). */
export interface ComposeFlags {
  readonly out?: string;
  readonly timeScale?: number;
  readonly fault?: readonly string[];
  readonly warm?: boolean;
  readonly portBase?: number;
  readonly runnerAddress?: string;
  readonly subnet?: string;
  readonly baseImage?: string;
}

/** Defaults of `fleet compose`. */
export const COMPOSE_DEFAULTS = { out: 'fleet-compose', timeScale: 0.1, portBase: 2200, runnerAddress: '127.0.0.1', subnet: '172.30.42.0/24' } as const;
