// Test support: a throwaway real OpenSSH sshd on 127.0.0.1 for integration tests.
//
// Everything (keys, config, authorized_keys, known_hosts, pid file) lives in a fresh temp dir that
// stop() removes. Nothing outside it is touched, except that a root run creates Debian's privilege
// separation directory /run/sshd (mode 0755) when it is missing, because sshd refuses to start without it.
// sshd logs to stderr (-e), which is captured; log() returns it (it includes the per-connection
// processes' lines, e.g. authentication and "no more sessions").
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** sshd re-execs itself, so it must be started by absolute path. */
const SSHD = '/usr/sbin/sshd';
/** Debian's compiled-in privilege separation chroot; required when sshd runs as root. */
const PRIVSEP_DIR = '/run/sshd';
const ADDRESS = '127.0.0.1';
const READY_DEADLINE_MS = 5000;
/** Fallback interval between readiness probes (each probe is also triggered by new sshd output). */
const PROBE_INTERVAL_MS = 10;
const KILL_GRACE_MS = 2000;

export interface OpensshServer {
  readonly address: string;
  readonly port: number;
  readonly user: string;
  readonly dir: string;
  /** ed25519 private key (OpenSSH format) authorised for `user`. */
  readonly clientKeyPath: string;
  /** known_hosts file containing exactly this server's host key as '[127.0.0.1]:PORT ssh-ed25519 AAAA…'. */
  readonly knownHostsPath: string;
  /** 'ssh-ed25519 AAAA…' (the host public key, without comment). */
  readonly hostKeyLine: string;
  /** sshd's log so far (captured stderr). */
  log(): string;
  /** SIGTERMs sshd, its per-connection processes and their remote commands; waits for sshd (SIGKILL after 2 s); removes the temp dir. Idempotent. */
  stop(): Promise<void>;
}

export interface OpensshOptions {
  /** Let bash source the login user's ~/.bashrc for each command (as a real host would). @default false */
  readonly userRc?: boolean;
  /** sshd MaxSessions (per connection); default 10, as in OpenSSH. */
  readonly maxSessions?: number;
  /**
   * Extra sshd_config lines. sshd keeps the FIRST value it reads for a keyword, so these lines are written
   * before the defaults and therefore override them; a `Match` line and everything after it goes at the end.
   */
  readonly extraConfig?: readonly string[];
  /**
   * Sign the host key with this CA (`ssh-keygen -s ca -I orchestrate-test -h -n principals -V
   * validity`) before sshd starts, and serve the certificate (HostCertificate).
   */
  readonly hostCertificate?: { readonly ca: string; readonly principals: string; readonly validity: string };
}

function findOnPath(name: string): string | undefined {
  for (const d of (process.env['PATH'] ?? '').split(path.delimiter)) {
    if (d === '') continue;
    const p = path.join(d, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && (process.getuid() === 0 || process.geteuid?.() === 0);
}

/** Why a real sshd cannot be started here, or undefined when it can. */
export function opensshUnavailable(): string | undefined {
  if (process.platform === 'win32') return 'a throwaway OpenSSH sshd is not supported on Windows';
  try {
    fs.accessSync(SSHD, fs.constants.X_OK);
  } catch {
    return `${SSHD} not found or not executable (install openssh-server)`;
  }
  if (findOnPath('ssh-keygen') === undefined) return 'ssh-keygen not found on PATH (install openssh-client)';
  let info: os.UserInfo<string>;
  try {
    info = os.userInfo();
  } catch (err) {
    return `cannot determine the current user (no passwd entry?): ${(err as Error).message}`;
  }
  if (/\/(nologin|false)$/.test(info.shell ?? '')) {
    return `user ${info.username} has login shell ${String(info.shell)}, so sshd cannot run commands for it`;
  }
  if (isRoot()) {
    // sshd as root insists on the privilege separation directory; we create it when missing.
    if (!fs.existsSync(PRIVSEP_DIR)) {
      try {
        fs.accessSync(path.dirname(PRIVSEP_DIR), fs.constants.W_OK);
      } catch {
        return `running as root, ${PRIVSEP_DIR} (sshd's privilege separation directory) is missing and ${path.dirname(PRIVSEP_DIR)} is not writable`;
      }
    }
  }
  // Not root: sshd runs unprivileged (no privsep chroot needed) and can only log in as the current user,
  // which is exactly what we use. Nothing else to check.
  return undefined;
}

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(0, ADDRESS, () => resolve());
  });
  const addr = srv.address();
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  if (addr === null || typeof addr === 'string') throw new Error('could not determine a free port');
  return addr.port;
}

/** Connects once; resolves true when the peer sends an 'SSH-2.0-' banner, false when refused/closed/timed out. */
function probeBanner(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let buf = '';
    let settled = false;
    const sock = net.connect({ host: ADDRESS, port });
    const done = (ok: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), Math.max(1, timeoutMs));
    sock.setEncoding('latin1');
    sock.on('data', (chunk: string) => {
      buf += chunk;
      if (buf.includes('\n')) done(buf.startsWith('SSH-2.0-'));
      else if (buf.length >= 8 && !buf.startsWith('SSH-2.0-')) done(false);
    });
    sock.on('error', () => done(false));
    sock.on('close', () => done(false));
  });
}

function buildConfig(dir: string, port: number, options: OpensshOptions): string {
  const extra = [...(options.extraConfig ?? [])];
  const matchAt = extra.findIndex((l) => /^\s*match\s/i.test(l));
  const head = matchAt < 0 ? extra : extra.slice(0, matchAt);
  const tail = matchAt < 0 ? [] : extra.slice(matchAt);
  return [
    ...head,
    `Port ${port}`,
    `ListenAddress ${ADDRESS}`,
    `HostKey ${path.join(dir, 'host_ed25519')}`,
    ...(options.hostCertificate ? [`HostCertificate ${path.join(dir, 'host_ed25519-cert.pub')}`] : []),
    `PidFile ${path.join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
    'UsePAM no',
    'StrictModes no',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PubkeyAuthentication yes',
    'PermitRootLogin prohibit-password',
    'AllowTcpForwarding yes',
    'MaxStartups 200',
    `MaxSessions ${options.maxSessions ?? 10}`,
    'LogLevel VERBOSE',
    // Hermetic: bash reads ~/.bashrc for sshd only as a top-level shell; SHLVL=1 makes it skip
    // the login user's rc file (a pyenv init there takes seconds when many commands start at once).
    ...(options.userRc === true ? [] : ['SetEnv SHLVL=1']),
    ...tail,
    '',
  ].join('\n');
}

/**
 * The processes belonging to one sshd instance (Linux /proc only; empty elsewhere):
 * - `sshd`: the listener and its per-connection processes. They are recognised by their stderr (fd 2): with -e
 *   every one of them inherits the socket we capture the log through. The per-connection processes call setsid()
 *   and outlive the listener, so neither the process group nor the parent pid finds them reliably.
 * - `commands`: the descendants of those (remote commands). Without a pty they survive the end of their session.
 */
function scanProcesses(stderrLink: string): { sshd: number[]; commands: number[] } {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return { sshd: [], commands: [] };
  }
  const sshd: number[] = [];
  const children = new Map<number, number[]>();
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const pid = Number(e);
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, 'latin1');
      // "pid (comm) state ppid …": comm may contain spaces and parentheses, so parse after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid);
      if (list === undefined) children.set(ppid, [pid]);
      else list.push(pid);
      if (pid !== process.pid && fs.readlinkSync(`/proc/${e}/fd/2`) === stderrLink) sshd.push(pid);
    } catch {
      // gone, a zombie, or not ours
    }
  }
  const commands: number[] = [];
  const queue = [...sshd];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    for (const c of children.get(pid) ?? []) {
      if (sshd.includes(c) || commands.includes(c)) continue;
      commands.push(c);
      queue.push(c);
    }
  }
  return { sshd, commands };
}

function readlinkOrUndefined(p: string): string | undefined {
  try {
    return fs.readlinkSync(p);
  } catch {
    return undefined;
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

interface Running {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  readonly log: () => string;
  /** readlink of the listener's fd 2, shared by all processes of this sshd (see scanProcesses). */
  stderrLink: string | undefined;
}

function alive(child: ChildProcess): child is ChildProcess & { pid: number } {
  return child.pid !== undefined && child.exitCode === null && child.signalCode === null;
}

// Last-resort cleanup if the test process exits without stop() (not on a fatal signal): one listener for all.
const live = new Map<Running, string>();
let exitHookInstalled = false;
function track(r: Running, dir: string): void {
  live.set(r, dir);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const [run, d] of live) {
      if (alive(run.child)) signal(run.child.pid, 'SIGKILL');
      if (run.stderrLink !== undefined) {
        const { sshd, commands } = scanProcesses(run.stderrLink);
        for (const p of [...commands, ...sshd]) signal(p, 'SIGKILL');
      }
      fs.rmSync(d, { recursive: true, force: true });
    }
  });
}

/** Spawns sshd on `port` and waits for its banner. Rejects (with the log) on early exit or deadline. */
async function launch(configPath: string, port: number, deadline: number): Promise<Running> {
  let log = '';
  const child = spawn(SSHD, ['-D', '-e', '-f', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  let wake: (() => void) | undefined;
  const poke = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  let exitInfo: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, sig) => {
      exitInfo = sig !== null ? `signal ${sig}` : `code ${String(code)}`;
      resolve();
      poke();
    });
  });
  let spawnError: Error | undefined;
  child.once('error', (err) => {
    spawnError = err;
    exitInfo ??= `spawn error: ${err.message}`;
    poke();
  });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    log += chunk;
    poke();
  });
  const running: Running = { child, exited, log: () => log, stderrLink: undefined };

  for (;;) {
    if (exitInfo !== undefined) {
      // 'exit' can precede the last log lines: let the log socket drain before reporting.
      await streamClosed(child.stderr, 500);
      const e = new Error(`sshd exited during startup (${exitInfo}) on port ${port}; log:\n${log}`);
      (e as Error & { addressInUse?: boolean }).addressInUse = /Address already in use|Cannot bind any address/.test(log);
      if (spawnError !== undefined) e.cause = spawnError;
      throw e;
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      await kill(running);
      throw new Error(`sshd did not answer with an SSH-2.0 banner on ${ADDRESS}:${port} within ${READY_DEADLINE_MS} ms; log:\n${log}`);
    }
    if (await probeBanner(port, Math.min(left, 1000))) {
      if (exitInfo === undefined) {
        if (alive(child)) running.stderrLink = readlinkOrUndefined(`/proc/${child.pid}/fd/2`);
        // A forgotten stop() must not keep the test process alive; the 'exit' hook then kills sshd.
        setRef(running, false);
        return running;
      }
      continue; // someone else answered; report sshd's exit
    }
    // Wait for sshd to say something (it logs "Server listening on …" once bound), exit, or the next probe tick.
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        wake = undefined;
        resolve();
      }, PROBE_INTERVAL_MS);
      wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }
}

/** Stops the listener and every per-connection process of this sshd; waits for them (SIGKILL after 2 s). */
async function kill(r: Running): Promise<void> {
  const { child } = r;
  setRef(r, true); // keep the event loop alive while we wait for the exit
  if (r.stderrLink === undefined && alive(child)) r.stderrLink = readlinkOrUndefined(`/proc/${child.pid}/fd/2`);
  const link = r.stderrLink;
  const others = (): number[] => (link === undefined ? [] : scanProcesses(link).sshd.filter((p) => p !== child.pid));
  // Per-connection processes survive the listener's SIGTERM (and may outlive it), and remote commands run
  // without a pty survive their session, so end them all explicitly. Commands are not waited for.
  if (link !== undefined) {
    const { sshd, commands } = scanProcesses(link);
    for (const p of [...commands, ...sshd]) if (p !== child.pid) signal(p, 'SIGTERM');
  }
  if (alive(child)) {
    signal(child.pid, 'SIGTERM');
    const timer = setTimeout(() => {
      if (alive(child)) signal(child.pid, 'SIGKILL');
    }, KILL_GRACE_MS);
    await r.exited;
    clearTimeout(timer);
  }
  // The log socket closes once no sshd process holds it any more: that is when they have all exited.
  if (!(await streamClosed(child.stderr, KILL_GRACE_MS))) {
    for (const p of others()) signal(p, 'SIGKILL');
    await streamClosed(child.stderr, 500);
  }
  child.stderr?.destroy();
}

/** ref()/unref() sshd's process handle and log socket (a net.Socket at runtime). */
function setRef(r: Running, ref: boolean): void {
  const sock = r.child.stderr as (Readable & { ref?: () => void; unref?: () => void }) | null;
  if (ref) {
    r.child.ref();
    sock?.ref?.();
  } else {
    r.child.unref();
    sock?.unref?.();
  }
}

/** Resolves true once `stream` has closed, false if it is still open after `ms`. */
function streamClosed(stream: Readable | null, ms: number): Promise<boolean> {
  if (stream === null || stream.closed) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (closed: boolean): void => {
      clearTimeout(t);
      stream.off('close', onClose);
      resolve(closed);
    };
    const onClose = (): void => done(true);
    const t = setTimeout(() => done(false), ms);
    stream.once('close', onClose);
  });
}

async function keygen(file: string): Promise<void> {
  await execFileAsync('ssh-keygen', ['-t', 'ed25519', '-N', '', '-q', '-f', file]);
}

/** Starts a throwaway sshd on 127.0.0.1 that accepts the generated client key for the current user. */
export async function startOpenssh(options: OpensshOptions = {}): Promise<OpensshServer> {
  const reason = opensshUnavailable();
  if (reason !== undefined) throw new Error(`cannot start a throwaway sshd: ${reason}`);
  const deadline = Date.now() + READY_DEADLINE_MS;
  const user = os.userInfo().username;
  if (isRoot() && !fs.existsSync(PRIVSEP_DIR)) {
    fs.mkdirSync(PRIVSEP_DIR, { mode: 0o755, recursive: true });
    fs.chmodSync(PRIVSEP_DIR, 0o755); // mkdir's mode is subject to the umask
  }

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openssh-test-'));
  try {
    const hostKey = path.join(dir, 'host_ed25519');
    const clientKeyPath = path.join(dir, 'client_ed25519');
    await Promise.all([keygen(hostKey), keygen(clientKeyPath)]);
    const cert = options.hostCertificate;
    if (cert) await execFileAsync('ssh-keygen', ['-q', '-s', cert.ca, '-I', 'orchestrate-test', '-h', '-n', cert.principals, '-V', cert.validity, `${hostKey}.pub`]);
    fs.copyFileSync(`${clientKeyPath}.pub`, path.join(dir, 'authorized_keys'));
    const [type, blob] = fs.readFileSync(`${hostKey}.pub`, 'utf8').trim().split(/\s+/);
    if (type === undefined || blob === undefined) throw new Error(`unexpected host public key in ${hostKey}.pub`);
    const hostKeyLine = `${type} ${blob}`;
    const configPath = path.join(dir, 'sshd_config');

    let port = 0;
    let running: Running | undefined;
    for (let attempt = 0; running === undefined; attempt++) {
      port = await freePort();
      fs.writeFileSync(configPath, buildConfig(dir, port, options));
      try {
        running = await launch(configPath, port, deadline);
      } catch (err) {
        // The port was grabbed between freePort() and sshd's bind: try once more with a new one.
        if (attempt === 0 && (err as { addressInUse?: boolean }).addressInUse === true) continue;
        throw err;
      }
    }
    const r = running;
    track(r, dir);

    const knownHostsPath = path.join(dir, 'known_hosts');
    fs.writeFileSync(knownHostsPath, `[${ADDRESS}]:${port} ${hostKeyLine}\n`);

    let stopping: Promise<void> | undefined;
    return {
      address: ADDRESS,
      port,
      user,
      dir,
      clientKeyPath,
      knownHostsPath,
      hostKeyLine,
      log: r.log,
      stop(): Promise<void> {
        stopping ??= (async () => {
          try {
            await kill(r);
          } finally {
            live.delete(r);
            fs.rmSync(dir, { recursive: true, force: true });
          }
        })();
        return stopping;
      },
    };
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
