/** The exit codes of every command (docs/cli.md, "Exit codes"). */
export const EXIT = { ok: 0, failed: 1, invalid: 2, refused: 3, cancelled: 130 } as const;
