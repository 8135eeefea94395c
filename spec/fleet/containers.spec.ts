/**
 * `fleet up --containers` and `fleet down` against a scripted docker CLI: the order of the docker
 * commands, loopback publishing, and that whatever fails, what was started is removed again.
 * The real engine runs the same flow in CI (.ci/containers.sh).
 */
import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { containersDown, fleetUpContainers } from '../../lib/cli/commands/fleet-containers.js';
import type { Docker, DockerResult } from '../../lib/cli/docker.js';
import { NO_COLOURS } from '../../lib/reporters/index.js';
import { ROOT } from '../support/topologies.js';

const TOPOLOGY = 'topologies/storage-pair.yaml';

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('it did not fail');
}
const PROJECT = 'orchestrate-fleet-storage-pair';

/** A docker CLI that keeps containers and networks in memory; `fail` makes a command fail, `exits` a container stop. */
function scriptedDocker(options: { fail?: (args: readonly string[]) => boolean; exits?: string; engine?: boolean } = {}): { docker: Docker; calls: string[] ; containers: Set<string>; networks: Set<string> } {
  const calls: string[] = [];
  const containers = new Set<string>();
  const networks = new Set<string>();
  const ok = (stdout = ''): DockerResult => ({ code: 0, stdout, stderr: '' });
  const docker: Docker = async (args) => {
    calls.push(args.slice(0, 2).join(' '));
    if (options.engine === false) return { code: 1, stdout: '', stderr: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?' };
    if (options.fail?.(args) === true) return { code: 125, stdout: '', stderr: `docker: ${args.join(' ')}: refused` };
    const [cmd, sub] = args;
    if (cmd === 'run') containers.add(args[args.indexOf('--name') + 1] ?? '');
    if (cmd === 'network' && sub === 'create') networks.add(args.at(-1) ?? '');
    if (cmd === 'network' && sub === 'ls') return ok([...networks].join('\n'));
    if (cmd === 'network' && sub === 'rm') args.slice(2).forEach((n) => networks.delete(n));
    if (cmd === 'ps') return ok([...containers].join('\n'));
    if (cmd === 'rm') args.slice(3).forEach((n) => containers.delete(n));
    if (cmd === 'logs') return ok('front: cannot follow the controller\n');
    if (cmd === 'inspect') return ok(args.slice(3).map((n) => `/${n} ${n === options.exits ? 'exited' : 'running'} ${n === options.exits ? 'unhealthy' : 'healthy'}\n`).join(''));
    return ok(cmd === 'version' ? '20.10.24\n' : '');
  };
  return { docker, calls, containers, networks };
}

describe('fleet up --containers: the docker commands, and removal on failure', function () {
  this.timeout(60_000);
  let dir: string;
  let out: string[];
  const io = () => ({ out: (l: string) => out.push(l), err: (l: string) => out.push(l), style: NO_COLOURS, errStyle: NO_COLOURS, env: {}, cwd: ROOT });
  const up = (docker: Docker, extra: Record<string, unknown> = {}) => fleetUpContainers(TOPOLOGY, { state: path.join(dir, 'fleet'), ...extra }, { io: io(), stateDir: path.join(dir, 'state'), signal: new AbortController().signal, docker });

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'orchestrate-containers-'));
    out = [];
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('builds, creates the network, starts the controller then the machines on loopback ports; fleet down keeps the log and removes them', async () => {
    const d = scriptedDocker();
    expect(await up(d.docker)).to.equal(0);
    expect(d.calls.slice(0, 4)).to.deep.equal(['version --format', 'build --tag', 'ps --all', 'network ls']);
    expect(d.calls.filter((c) => c.startsWith('run '))).to.have.length(5);
    expect([...d.containers].sort()).to.deep.equal(['acd-store1', 'acd-store2', 'controller', 'kvm1', 'kvm2'].map((s) => `${PROJECT}-${s}`).sort());
    expect(out.join('\n')).to.match(/5 containers healthy in/).and.match(/acd-store1 +172\.30\.42\.5 +ssh on 127\.0\.0\.1:2203/);
    const log: string[] = [];
    const d2: Docker = async (args) => {
      log.push(args.join(' '));
      return d.docker(args);
    };
    expect(await containersDown(path.join(dir, 'fleet'), io(), d2)).to.equal(0);
    expect(log[0]).to.equal(`cp ${PROJECT}-controller:/fleet/state/events.jsonl ${path.join(dir, 'fleet', 'events.jsonl')}`);
    expect(d.containers.size + d.networks.size, 'nothing left').to.equal(0);
    expect(existsSync(path.join(dir, 'fleet', 'containers.json'))).to.equal(false);
    expect(await containersDown(path.join(dir, 'fleet'), io(), d2), 'no container fleet there any more').to.equal(undefined);
  });

  it('removes what it started when a machine cannot start, or stops before it is healthy', async () => {
    const failing = scriptedDocker({ fail: (a) => a[0] === 'run' && a.includes(`${PROJECT}-acd-store2`) });
    expect((await failure(up(failing.docker))).message).to.match(/^starting acd-store2 failed \(docker run exited 125\)/);
    expect(failing.containers.size + failing.networks.size, 'nothing left').to.equal(0);
    expect(existsSync(path.join(dir, 'fleet', 'containers.json'))).to.equal(false);

    const exiting = scriptedDocker({ exits: `${PROJECT}-kvm2` });
    expect((await failure(up(exiting.docker))).message).to.match(/container orchestrate-fleet-storage-pair-kvm2 stopped \(exited\) before it was ready; its last output:\nfront: cannot follow/);
    expect(exiting.containers.size + exiting.networks.size).to.equal(0);
  });

  it('says when the engine cannot be reached, and refuses options that have no meaning for containers', async () => {
    expect((await failure(up(scriptedDocker({ engine: false }).docker))).message).to.match(/^cannot reach the Docker engine: Cannot connect to the Docker daemon/);
    expect(existsSync(path.join(dir, 'fleet')), 'nothing written').to.equal(false);
    expect((await failure(up(scriptedDocker().docker, { latency: '200ms' }))).message).to.equal('--latency cannot be used with --containers');
  });
});
