/**
 * SSH exec latency through SshTransport (the engine's pooled client): against an in-process
 * simulated host (ssh2 Server, same event loop) and against a throwaway real OpenSSH sshd.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { SshTransport } from '../lib/transport/index.js';
import type { SshEndpoint } from '../lib/topology/index.js';
import { opensshUnavailable, startOpenssh } from '../spec/support/openssh.js';
import { SshFixture } from '../spec/support/ssh-fixture.js';
import { check, row, sample, type GroupResult, type Row } from './stats.js';

interface Plan {
  readonly group: string;
  /** Put before each row's name, to tell apart several servers in one group. */
  readonly prefix: string;
  readonly command: string;
  /** Fresh transports, each timed for connect + first exec. */
  readonly firsts: number;
  readonly sequential: number;
  readonly concurrent: number;
  readonly rounds: number;
}

const EXEC_TIMEOUT_MS = 30_000;

async function execOk(transport: SshTransport, endpoint: SshEndpoint, command: string): Promise<void> {
  const r = await transport.exec(endpoint, command, { signal: new AbortController().signal, timeoutMs: EXEC_TIMEOUT_MS });
  check(r.outcome === 'exited' && r.exitCode === 0, `${command} on ${endpoint.name} exits 0 (got ${r.outcome} ${String(r.exitCode)}: ${r.stderr.trim()})`);
}

/** Connect + first exec, each on a new transport (so a new connection, new host-key check, new auth). */
async function firstExecs(endpoint: SshEndpoint, p: Plan): Promise<number[]> {
  return sample(p.firsts, async () => {
    const transport = new SshTransport();
    try {
      await execOk(transport, endpoint, p.command);
    } finally {
      await transport.close();
    }
  });
}

async function onOneConnection(endpoint: SshEndpoint, p: Plan): Promise<{ seq: number[]; conc: number[] }> {
  // One connection, as the rows say (the engine opens more when channels stay busy; with the
  // pyenv ~/.bashrc of this machine, 40 bash start-ups at once serialise on pyenv's lock).
  const transport = new SshTransport({ maxConnections: 1 });
  try {
    await execOk(transport, endpoint, p.command); // connects
    const seq = await sample(p.sequential, () => execOk(transport, endpoint, p.command));
    const conc = await sample(p.rounds, () => Promise.all(Array.from({ length: p.concurrent }, () => execOk(transport, endpoint, p.command))));
    return { seq, conc };
  } finally {
    await transport.close();
  }
}

async function measureEndpoint(endpoint: SshEndpoint, p: Plan): Promise<Row[]> {
  const firsts = await firstExecs(endpoint, p);
  const { seq, conc } = await onOneConnection(endpoint, p);
  const cap = Math.max(1, endpoint.maxSessions - 2);
  return [
    row(p.group, `${p.prefix}connect + first exec \`${p.command}\``, firsts),
    row(p.group, `${p.prefix}exec \`${p.command}\`, pooled, sequential`, seq, { per: 1, unit: 'execs' }),
    row(p.group, `${p.prefix}${p.concurrent} concurrent execs, 1 connection (wall)`, conc, {
      per: p.concurrent, unit: 'execs', note: `MaxSessions ${endpoint.maxSessions}, ≤ ${cap} channels in flight`,
    }),
  ];
}

export async function runSimulatedSsh(): Promise<GroupResult> {
  const fx = new SshFixture();
  try {
    const host = await fx.host('bench-sim', () => Promise.resolve({ code: 0 }));
    const endpoint = fx.endpoint(host, { maxSessions: 10 });
    const plan: Plan = { group: 'ssh (simulated)', prefix: '', command: 'true', firsts: 20, sequential: 200, concurrent: 100, rounds: 10 };
    const rows = await measureEndpoint(endpoint, plan);
    return { title: 'SSH exec, in-process simulated host', rows, notes: [`${host.connectionsAccepted} connections accepted by the simulated host`] };
  } finally {
    await fx.close();
  }
}

/** Local cost of the login shell `sshd` starts per exec: bare, and with root's ~/.bashrc sourced. */
function localShellRows(): Row[] {
  const run = (script: string): number[] => {
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      const start = performance.now();
      const r = spawnSync('bash', ['-c', script], { stdio: 'ignore' });
      times.push(performance.now() - start);
      check(r.status === 0, `bash -c '${script}' exits 0`);
    }
    return times;
  };
  return [
    row('local shell', '`bash -c true` (spawn, no rc file)', run('true')),
    row('local shell', '`bash -c \'. ~/.bashrc; true\'`', run('. ~/.bashrc >/dev/null 2>&1; true')),
  ];
}

/** One throwaway sshd; `skipRc` makes bash skip ~/.bashrc (it reads it for sshd only at SHLVL < 2). */
async function opensshRows(p: Plan, skipRc: boolean): Promise<Row[]> {
  const server = await startOpenssh({ maxSessions: 10, userRc: !skipRc });
  try {
    const endpoint: SshEndpoint = {
      name: 'bench-openssh', address: server.address, port: server.port, user: server.user, identity: server.clientKeyPath,
      agent: false, knownHosts: [server.knownHostsPath], globalKnownHosts: [], hashKnownHosts: false, hostKeyPolicy: 'strict', maxSessions: 10, connectTimeoutMs: 10_000,
    };
    return await measureEndpoint(endpoint, p);
  } finally {
    await server.stop();
  }
}

export async function runOpenssh(): Promise<GroupResult> {
  const title = 'SSH exec, real OpenSSH sshd on 127.0.0.1';
  const reason = opensshUnavailable();
  if (reason !== undefined) return { title, rows: [], notes: [`skipped: ${reason}`] };
  const bare: Plan = { group: 'OpenSSH', prefix: 'no rc: ', command: 'true', firsts: 10, sequential: 50, concurrent: 40, rounds: 5 };
  const rc: Plan = { group: 'OpenSSH', prefix: 'with ~/.bashrc: ', command: 'true', firsts: 3, sequential: 20, concurrent: 8, rounds: 2 };
  // 8 at once fill the channels of one connection: this machine's pyenv ~/.bashrc takes ~4.7 s for
  // 8 concurrent start-ups (lock contention), so 40 would wait past the connect timeout for a channel.
  const rows = [...(await opensshRows(bare, true)), ...(await opensshRows(rc, false)), ...localShellRows()];
  const shell = os.userInfo().shell ?? 'the login shell';
  return {
    title,
    rows,
    notes: [
      `sshd runs every command as \`${shell} -c …\` for ${os.userInfo().username}. "no rc": sshd_config \`SetEnv SHLVL=1\`, so bash does not source ~/.bashrc (it does so for sshd only as a top-level shell).`,
    ],
  };
}
