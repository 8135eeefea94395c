/**
 * Really stopping a remote command. Without a pty, closing an SSH channel leaves the command
 * running, and OpenSSH refuses channel signals for root logins (dependencies.md §2.3). So every
 * command first prints its process group id (sshd starts each session in a new session and
 * process group, so the shell's `$$` is the group id); to stop it, a second channel kills the
 * whole group: TERM, then KILL after a grace period.
 */

export const PGID_MARKER = '__orchestrate_pgid=';

/** The command as sent: it reports its process group on the first stdout line, then runs unchanged. */
export function wrapCommand(command: string): string {
  return `echo ${PGID_MARKER}$$; ${command}`;
}

/** Inverse of wrapCommand, for simulated hosts: the user's command, or undefined if not wrapped. */
export function unwrapCommand(sent: string): string | undefined {
  const prefix = `echo ${PGID_MARKER}$$; `;
  return sent.startsWith(prefix) ? sent.slice(prefix.length) : undefined;
}

/**
 * TERM the group, wait up to `graceMs` for it to go, then KILL whatever is left. Exits 0 once the
 * group is gone, 1 if something survived. Zombies do not count as alive (`kill -0` would say they
 * are, and a container's init may be slow to reap them), so `ps` decides when it is there.
 */
export function killGroupCommand(pgid: number, graceMs: number): string {
  const tries = Math.max(1, Math.round(graceMs / 100));
  const byPs = `ps -eo pgid=,stat= | awk -v g=${pgid} '$1==g && $2 !~ /^Z/ {f=1} END {exit !f}'`;
  return [
    `alive() { if ps -eo pgid=,stat= >/dev/null 2>&1; then ${byPs}; else kill -0 -- -${pgid} 2>/dev/null; fi; }`,
    `kill -TERM -- -${pgid} 2>/dev/null`,
    `i=0; while alive && [ $i -lt ${tries} ]; do sleep 0.1; i=$((i+1)); done`,
    `if alive; then kill -KILL -- -${pgid} 2>/dev/null; sleep 0.1; fi`,
    '! alive',
  ].join('; ');
}

/**
 * Splits the marker line off the start of stdout. Feed chunks in order; output is passed on once
 * the first line is known not to be (or to have been) the marker.
 */
export class PgidReader {
  pgid: number | undefined;
  #pending: string | undefined = '';

  /** Returns the part of `chunk` that is the command's own output. */
  push(chunk: string): string {
    if (this.#pending === undefined) return chunk;
    this.#pending += chunk;
    const nl = this.#pending.indexOf('\n');
    if (nl < 0) {
      if (PGID_MARKER.startsWith(this.#pending.slice(0, PGID_MARKER.length)) && this.#pending.length < 64) return '';
      return this.flush();
    }
    const first = this.#pending.slice(0, nl);
    const rest = this.#pending.slice(nl + 1);
    this.#pending = undefined;
    if (first.startsWith(PGID_MARKER)) {
      const n = Number(first.slice(PGID_MARKER.length));
      if (Number.isInteger(n) && n > 1) this.pgid = n;
      return rest;
    }
    return `${first}\n${rest}`;
  }

  /** Whatever is still held back (at the end of the output). */
  flush(): string {
    const held = this.#pending ?? '';
    this.#pending = undefined;
    return held;
  }
}
