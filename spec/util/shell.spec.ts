import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { probeCommand } from '../../lib/checks/index.js';
import { moveSteps } from '../../lib/plan/moves.js';
import { powerCommands } from '../../lib/power/index.js';
import { drbdRead, pairSteps } from '../../lib/procedures/index.js';
import { probeCommand as serviceProbe, singleAction, startPlan, stopPlan, startLimitBurst } from '../../lib/services/index.js';
import type { CheckProbe, Host, Pair, ServiceSpec } from '../../lib/topology/index.js';
import { shellJoin, shellQuote } from '../../lib/util/shell.js';

/**
 * The second line of defence: the loader refuses these values (spec/topology/command-values.spec.ts),
 * but the commands quote them as well. Each command is run by sh with every program it calls
 * replaced by a function that prints its arguments; a value that broke out of its quotes would
 * show as a call of its own, and would create the canary file.
 */
describe('util: shell quoting of the values in built-in commands', () => {
  let dir: string;
  let canary: string;
  let bad: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'orchestrate-shell-'));
    canary = path.join(dir, 'pwned');
    bad = `x; touch ${canary}; $(touch ${canary}) \`touch ${canary}\` '"`;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const PROGRAMS = ['bash', 'systemctl', 'mountpoint', 'drbdadm', 'curl', 'pcs', 'virsh', 'qm', 'svc', 'svstat', 'rm', 'touch', 'pkill', 'pgrep'];

  /** The calls `command` makes, as argument lists; the canary must not exist afterwards. */
  function calls(command: string): string[][] {
    const fns = PROGRAMS.map((p) => `${p}() { printf '%s\\0' ${p} "$@"; printf '\\001\\0'; }`).join('\n');
    const r = spawnSync('sh', ['-c', `${fns}\n${command}`], { encoding: 'utf8', cwd: dir });
    expect(existsSync(canary), `the canary after: ${command}`).to.equal(false);
    const out: string[][] = [];
    let call: string[] = [];
    for (const word of r.stdout.split('\0').slice(0, -1)) {
      if (word === '\u0001') {
        out.push(call);
        call = [];
      } else call.push(word);
    }
    return out;
  }

  it('shellQuote leaves plain words and quotes anything else, quotes included', () => {
    expect(shellJoin(['virsh', '-c', 'qemu:///system', 'start', 'acd-dbm'])).to.equal('virsh -c qemu:///system start acd-dbm');
    expect(calls(`printf '%s\\0' ${shellQuote(bad)}; printf '\\001\\0'`)).to.deep.equal([[bad]]);
  });

  it('checks: a tcp check quotes its host and port inside the bash script too', () => {
    for (const probe of [{ kind: 'tcp', host: bad, port: '22' }, { kind: 'tcp', port: bad }] as const) {
      const [call] = calls(probeCommand(probe, false, 1000) ?? '');
      expect(call?.slice(0, 2)).to.deep.equal(['bash', '-c']);
      // The script is one redirection; its target, expanded as bash would, is one word.
      const script = call?.[2] ?? '';
      expect(script.startsWith('</dev/tcp/')).to.equal(true);
      const target = spawnSync('bash', ['-c', `printf '%s\\0' ${script.slice(1)}`], { encoding: 'utf8', cwd: dir }).stdout;
      expect(target).to.equal(probe.port === '22' ? `/dev/tcp/${bad}/22\0` : `/dev/tcp/127.0.0.1/${bad}\0`);
      expect(existsSync(canary)).to.equal(false);
    }
  });

  it('checks: systemd, mount, drbd, http and hazelcast checks pass each value as one argument', () => {
    const probes: readonly (readonly [CheckProbe, string[]])[] = [
      [{ kind: 'systemd', unit: bad }, ['systemctl', 'is-active', bad]],
      [{ kind: 'mount', path: `/srv/${bad}` }, ['mountpoint', `/srv/${bad}`]],
      [{ kind: 'drbd', resource: bad, minor: 0, version: '9', connection: 'Connected', disk: 'UpToDate/UpToDate' }, ['drbdadm', 'status', bad]],
      [{ kind: 'http', url: `http://h/${bad}`, method: 'GET', status: 200, headers: { 'X-A': bad }, tlsVerify: true }, ['curl', '-sS', '-H', `X-A: ${bad}`, '--max-time', '1', '-w', '\\n%{http_code}', `http://h/${bad}`]],
      [{ kind: 'hazelcast', url: `http://h/${bad}`, members: 'auto', memberRoles: [] }, ['curl', '-sS', '--max-time', '1', '-w', '\\n%{http_code}', `http://h/${bad}`]],
    ];
    for (const [probe, argv] of probes) expect(calls(probeCommand(probe, false, 1000) ?? ''), probe.kind).to.deep.equal([argv]);
  });

  it('services: every command of every manager passes the target as one argument', () => {
    const spec = (manager: ServiceSpec['manager'], action: string, extra: Partial<ServiceSpec> = {}): ServiceSpec => ({
      manager, target: manager === 'systemd' ? bad : `/srv/${bad}`, action, restart: { attempts: 1, windowMs: 1000 }, graceMs: 1000, graceful: 'stop', signal: 'TERM', ...extra,
    });
    const target = (s: ServiceSpec): string => s.target;
    const systemd = spec('systemd', 'start');
    expect(calls(serviceProbe(systemd))).to.deep.equal([['systemctl', 'is-active', bad]]);
    expect(calls(startPlan(systemd, true).prepare ?? '')).to.deep.equal([['systemctl', 'reset-failed', bad]]);
    expect(calls(stopPlan(systemd).force[0]?.command ?? '')).to.deep.equal([['systemctl', 'kill', '-s', 'KILL', bad]]);
    expect(calls(startLimitBurst(bad))).to.deep.equal([['systemctl', 'show', '-p', 'StartLimitBurst', bad]]);
    const dt = spec('daemontools', 'disable');
    expect(calls(singleAction(dt).command)).to.deep.equal([['touch', `${target(dt)}/down`]]);
    expect(calls(singleAction({ ...dt, action: 'enable' }).command)).to.deep.equal([['rm', '-f', `${target(dt)}/down`]]);
    expect(calls(serviceProbe(dt))).to.deep.equal([['svstat', target(dt)]]);
    expect(calls(startPlan(dt, false).command)).to.deep.equal([['svc', '-u', target(dt)]]);
    const pid = spec('pidfile', 'stop');
    expect(calls(stopPlan(pid).graceful.command)).to.deep.equal([['pkill', '-TERM', '-F', target(pid)]]);
    expect(calls(serviceProbe(pid))).to.deep.equal([['pgrep', '-F', target(pid)]]);
    const initd = spec('initd', 'stop', { killPidfile: `/run/${bad}` });
    expect(calls(stopPlan(initd).force[0]?.command ?? '')).to.deep.equal([['pkill', '-KILL', '-F', `/run/${bad}`]]);
    // An init script is the program itself: it is one word (sh finds no such file), and nothing else runs.
    expect(stopPlan(initd).graceful.command).to.equal(`${shellQuote(target(initd))} stop`);
    calls(stopPlan(initd).graceful.command);
  });

  it('pairs: drbdadm and pcs standby pass the resource and the node as one argument', () => {
    const pair: Pair = {
      name: 'p', hosts: ['n1', 'n2'], replaces: [], at: { file: 't.yaml', line: 1, col: 1 },
      drbd: { resource: bad, minor: 0, mode: 'single-primary', version: '9', timeoutMs: 1000 },
      pacemaker: { version: '2', resources: [], timeoutMs: 1000 },
    };
    const commands = [...pairSteps(pair, 'both-up', { pollMs: 10, stepMs: 10 }), ...pairSteps(pair, 'both-down', { pollMs: 10, stepMs: 10 })]
      .flatMap((s) => ('command' in s ? [s.command] : []))
      .filter((c) => c.startsWith('drbdadm'));
    expect(commands.map((c) => calls(c))).to.deep.equal([
      [['drbdadm', 'up', bad]], [['drbdadm', 'up', bad]], [['drbdadm', 'primary', bad]], [['drbdadm', 'down', bad]], [['drbdadm', 'down', bad]],
    ]);
    expect(calls(drbdRead(pair.drbd))).to.deep.equal([['drbdadm', 'status', bad]]);
    const moves = moveSteps('failover', pair, bad, 'n1', { pollMs: 10, stepMs: 10 }).flatMap((s) => ('command' in s ? [s.command] : []));
    expect(moves.map((c) => calls(c))).to.deep.equal([[['pcs', 'node', 'standby', bad]], [['drbdadm', 'secondary', bad]], [['drbdadm', 'primary', bad]], [['pcs', 'resource', 'cleanup']]]);
  });

  it('power: virsh and qm pass the VM and the URI as one argument', () => {
    const host = (power: Host['power']): Host => ({ name: 'h1', power, timeouts: { shutdownMs: 60_000 } } as unknown as Host);
    const virsh = powerCommands(host({ driver: 'virsh', hypervisor: 'kvm1', vm: bad, uri: `qemu:///${bad}`, shutdown: 'guest', forceOff: true }), {});
    expect(calls(virsh?.on ?? '')).to.deep.equal([['virsh', '-c', `qemu:///${bad}`, 'start', bad]]);
    expect(calls(virsh?.kill ?? '')).to.deep.equal([['virsh', '-c', `qemu:///${bad}`, 'destroy', bad]]);
    const qm = powerCommands(host({ driver: 'qm', hypervisor: 'pve1', vm: bad, shutdown: 'guest', forceOff: true }), {});
    expect(calls(qm?.off ?? '')).to.deep.equal([['qm', 'shutdown', bad, '--timeout', '60']]);
  });
});
