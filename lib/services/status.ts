/**
 * Reading service managers' answers: daemontools' svstat line and systemd's StartLimitBurst.
 * Pure.
 */

/** One `svstat DIR` line (daemontools 0.76 svstat.c). */
export interface Svstat {
  readonly dir: string;
  /** `unknown`: supervise is not running, or the directory is not a service. */
  readonly state: 'up' | 'down' | 'unknown';
  readonly pid?: number;
  readonly seconds?: number;
  /** `normally down`: the `down` file exists (not started at boot); `normally up` when the service is down without it. */
  readonly normally?: 'up' | 'down';
  readonly want?: 'up' | 'down';
  readonly paused?: boolean;
  /** The text after the colon, for messages. */
  readonly text: string;
}

const LINE = /^(.*?): (up|down) (?:\(pid (\d+)\) )?(\d+) seconds?(.*)$/;

/**
 *   /service/acd-tel: up (pid 1234) 3601 seconds
 *   /service/acd-tel: up (pid 1234) 5 seconds, normally down, want down
 *   /service/acd-tel: down 12 seconds, normally up
 *   /service/acd-tel: supervise not running
 */
export function parseSvstat(text: string): Svstat | undefined {
  const line = text.split('\n').map((l) => l.trim()).find((l) => l !== '');
  if (line === undefined) return undefined;
  const m = LINE.exec(line);
  if (!m) {
    const colon = line.indexOf(': ');
    if (colon < 0) return undefined;
    return { dir: line.slice(0, colon), state: 'unknown', text: line.slice(colon + 2) };
  }
  const [, dir = '', state, pid, seconds, rest = ''] = m;
  const normally = /normally (up|down)/.exec(rest)?.[1] as 'up' | 'down' | undefined;
  const want = /want (up|down)/.exec(rest)?.[1] as 'up' | 'down' | undefined;
  return {
    dir, state: state as 'up' | 'down', ...(pid === undefined ? {} : { pid: Number(pid) }), seconds: Number(seconds),
    ...(normally ? { normally } : {}), ...(want ? { want } : {}), ...(rest.includes('paused') ? { paused: true } : {}),
    text: line.slice(dir.length + 2),
  };
}

/** `StartLimitBurst=5` (systemctl show -p StartLimitBurst UNIT); undefined when not shown. */
export function parseStartLimitBurst(text: string): number | undefined {
  const m = /^StartLimitBurst=(\d+)\s*$/m.exec(text);
  return m ? Number(m[1]) : undefined;
}
