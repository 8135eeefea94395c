/**
 * The exit codes of every command (docs/cli.md, "Exit codes"). `degraded`: every required host
 * is up, but a quorum gate lost members on the way.
 */
export const EXIT = { ok: 0, failed: 1, invalid: 2, refused: 3, degraded: 4, cancelled: 130 } as const;
