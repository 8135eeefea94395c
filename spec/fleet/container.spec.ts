import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ssh2 from 'ssh2';
import YAML from 'yaml';
import { composeLayout, generateEd25519, parseAuthorizedKeys, startFleet, startFront, type RunningFront } from '../../lib/fleet/index.js';
import type { FleetOverlay } from '../../lib/topology/index.js';
import { freePorts, publishPort, runCli, startCli, untilLogged, type RunningCli } from '../support/container.js';
import { TEST_SCALE } from '../support/fleet.js';
import { loadValid, ROOT } from '../support/topologies.js';

const { utils } = ssh2;

interface Service {
  readonly image: string;
  readonly build: { readonly context: string; readonly args: Record<string, string> };
  readonly command: string[];
  readonly ports: string[];
  readonly networks: { readonly fleet: { readonly ipv4_address: string } };
  readonly healthcheck: { readonly test: string[] };
  readonly depends_on?: Record<string, { condition: string }>;
}

const MACHINES = ['kvm1', 'acd-dbm', 'acd-dbs', 'acd-jb1', 'acd-lb', 'acd-tel1'];
const SMALL = 'topologies/small.yaml';

/** The host port of a published port in the short syntax (`127.0.0.1:2201:22`). */
const hostPortOf = (s: Service | undefined): number => Number(s?.ports[0]?.split(':').at(-2));

/** A service's command as run in this process: the image's paths and ports mapped to the compose directory and loopback. */
function inProcess(args: readonly string[], dir: string, base: number, service: string): string[] {
  const map: Record<string, string> = {
    '0.0.0.0:7000': `127.0.0.1:${base}`,
    'http://controller:7000': `http://127.0.0.1:${base}`,
    '0.0.0.0:22': '127.0.0.1:0',
    '/tmp/orchestrate-front-ready': path.join(dir, `ready-${service}`),
  };
  return args.map((a) => map[a] ?? (a.startsWith('/fleet/') ? path.join(dir, a.slice('/fleet/'.length)) : a));
}

describe('fleet compose: the simulated fleet as one container per machine', function () {
  this.timeout(30_000);
  let dir: string;
  let base: number;
  let services: Record<string, Service>;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'orchestrate-compose-'));
    base = await freePorts(MACHINES.length + 1);
    const r = await runCli('fleet', 'compose', SMALL, '--out', dir, '--time-scale', String(TEST_SCALE), '--port-base', String(base));
    expect(r.code, r.out).to.equal(0);
    services = (YAML.parse(readFileSync(path.join(dir, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service> }).services;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a controller and one service per machine, each with its own address, published port and healthcheck', () => {
    expect(Object.keys(services).sort()).to.deep.equal(['controller', ...MACHINES].sort());
    const c = services.controller;
    expect(c?.command).to.deep.equal(['fleet', 'up', '/fleet/topology.yaml', '--serve', '0.0.0.0:7000', '--state', '/fleet/state', '--token-file', '/fleet/keys/control-token', '--time-scale', String(TEST_SCALE)]);
    expect(c?.ports).to.deep.equal([`127.0.0.1:${base}:7000`]);
    expect(c?.healthcheck.test).to.deep.equal(['CMD', 'test', '-f', '/fleet/state/fleet.pid']);
    for (const name of MACHINES) {
      const s = services[name];
      expect(s?.command.slice(0, 5), name).to.deep.equal(['fleet', 'serve-host', name, '--controller', 'http://controller:7000']);
      expect(s?.command).to.include.members([`/fleet/keys/hosts/${name}`, '/fleet/keys/id_ed25519.pub', '0.0.0.0:22', '/fleet/keys/control-token']);
      expect(s?.ports[0]).to.match(/^127\.0\.0\.1:\d+:22$/);
      expect(s?.healthcheck.test).to.deep.equal(['CMD', 'test', '-f', '/tmp/orchestrate-front-ready']);
      expect(s?.depends_on).to.deep.equal({ controller: { condition: 'service_healthy' } });
    }
    const all = Object.values(services);
    expect(new Set(all.map((s) => s.networks.fleet.ipv4_address)).size).to.equal(all.length);
    expect(all.every((s) => s.networks.fleet.ipv4_address.startsWith('172.30.42.'))).to.equal(true);
    expect(all.map(hostPortOf).sort()).to.deep.equal(Array.from({ length: all.length }, (_, i) => base + i));
    expect(new Set(all.map((s) => JSON.stringify([s.image, s.build])))).to.have.length(1);
    expect(c?.build).to.deep.equal({ context: '.', args: { BASE_IMAGE: '${BASE_IMAGE:-node:20-bookworm-slim}' } });
    const doc = YAML.parse(readFileSync(path.join(dir, 'docker-compose.yml'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(doc), 'no Compose-v2-only keys (name) at the top').to.deep.equal(['services', 'networks']);
    expect(readFileSync(path.join(dir, 'docker-compose.yml'), 'utf8')).to.not.match(/pull_policy|additional_contexts|host_ip/);
  });

  it('writes the Dockerfile and a topology copy that finds its playbooks where the image has them', () => {
    const dockerfile = readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
    expect(dockerfile.split('\n').filter((l) => !l.startsWith('#'))).to.deep.equal([
      'ARG BASE_IMAGE=node:20-bookworm-slim', 'FROM ${BASE_IMAGE}', 'COPY app /app', 'COPY topology.yaml /fleet/topology.yaml',
      'COPY playbooks /fleet/playbooks', 'COPY keys /fleet/keys', 'WORKDIR /app', 'EXPOSE 22 7000', 'ENTRYPOINT ["node", "bin/orchestrate.js"]', '',
    ]);
    expect(dockerfile, 'no BuildKit-only syntax, nothing downloaded').to.not.match(/# syntax=|--from=|RUN /);
    expect(readFileSync(path.join(dir, '.dockerignore'), 'utf8').split('\n')).to.deep.equal(['*', '!app', '!topology.yaml', '!playbooks', '!keys', '']);
    const app = JSON.parse(readFileSync(path.join(dir, 'app', 'package.json'), 'utf8')) as { name: string; dependencies: Record<string, string> };
    expect(app.name).to.equal('orchestrate');
    for (const dep of Object.keys(app.dependencies)) expect(existsSync(path.join(dir, 'app', 'node_modules', dep, 'package.json')), dep).to.equal(true);
    for (const f of ['bin/orchestrate.js', 'build/lib/cli/bin.js', 'playbooks', 'node_modules/asn1/package.json']) expect(existsSync(path.join(dir, 'app', f)), f).to.equal(true);
    for (const dev of ['mocha', 'typescript', 'tsx', 'chai']) expect(existsSync(path.join(dir, 'app', 'node_modules', dev)), `${dev} (a dev dependency)`).to.equal(false);
    expect(YAML.parse(readFileSync(path.join(dir, 'topology.yaml'), 'utf8'))).to.have.property('playbooks', 'playbooks');
    expect(loadValid(path.join(dir, 'topology.yaml')).topology.hosts.map((h) => h.name)).to.have.length(5);
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8'), 'private keys stay out of git').to.equal('*\n');
  });

  it('writes keys that parse, known_hosts lines that match them, and fleet.json for the CI job', () => {
    const client = utils.parseKey(readFileSync(path.join(dir, 'keys/id_ed25519'), 'utf8'));
    expect(client).to.not.be.instanceOf(Error);
    const known = readFileSync(path.join(dir, 'known_hosts'), 'utf8').trim().split('\n');
    const overlay = JSON.parse(readFileSync(path.join(dir, 'fleet.json'), 'utf8')) as FleetOverlay & { control: string };
    for (const name of MACHINES) {
      const key = utils.parseKey(readFileSync(path.join(dir, 'keys/hosts', name), 'utf8'));
      if (key instanceof Error) throw key;
      const port = hostPortOf(services[name]);
      expect(known, name).to.include(`[127.0.0.1]:${port} ${key.type} ${key.getPublicSSH().toString('base64')}`);
      expect(overlay.hosts[name] ?? overlay.hypervisors[name]).to.deep.equal({ address: '127.0.0.1', port });
    }
    expect(overlay).to.include({ identity: path.join(dir, 'keys/id_ed25519'), knownHosts: path.join(dir, 'known_hosts'), timeScale: TEST_SCALE, control: `http://127.0.0.1:${base}`, controlToken: path.join(dir, 'keys/control-token') });
    expect(readFileSync(path.join(dir, 'keys/control-token'), 'utf8')).to.match(/^[A-Za-z0-9_-]{43}\n$/);
    for (const f of ['keys/control-token', 'keys/id_ed25519', ...MACHINES.map((n) => `keys/hosts/${n}`)]) expect(statSync(path.join(dir, f)).mode & 0o777, f).to.equal(0o600);
  });

  it('runs every service\'s command outside Docker; up, status and down from the CI side pass fleet verify', async () => {
    const controller = startCli(inProcess(services.controller?.command ?? [], dir, base, 'controller'));
    const fronts: RunningCli[] = [];
    const published: { readonly connections: number; close(): Promise<void> }[] = [];
    try {
      await controller.line(/stops the fleet/);
      for (const name of MACHINES) {
        const front = startCli(inProcess(services[name]?.command ?? [], dir, base, name));
        fronts.push(front);
        const port = Number(/SSH on 127\.0\.0\.1:(\d+)/.exec(await front.line(/SSH on/))?.[1]);
        expect(existsSync(path.join(dir, `ready-${name}`)), `${name} ready file`).to.equal(true);
        published.push(await publishPort(hostPortOf(services[name]), port));
      }
      const state = ['--state-dir', path.join(dir, 'runner-state')];
      const log = path.join(dir, 'state', 'events.jsonl');
      const up = await runCli(...state, 'up', SMALL, '--fleet', dir);
      expect(up.code, up.out).to.equal(0);
      expect((await runCli('fleet', 'verify', log, '--topology', SMALL, '--action', 'up')).out).to.match(/^up: the runbook order was kept/);
      const status = await runCli('fleet', 'status', '--state', dir);
      expect(status.out.split('\n').filter((l) => / running +ssh +running /.test(l))).to.have.length(5);
      const down = await runCli(...state, 'down', '--fleet', dir);
      expect(down.code, down.out).to.equal(0);
      expect((await runCli('fleet', 'verify', log, '--topology', SMALL, '--action', 'down')).out).to.match(/^down: the runbook order was kept/);
      expect(published.map((p) => p.connections > 0), 'every machine was reached through its published port').to.deep.equal(MACHINES.map(() => true));
    } finally {
      for (const p of published) await p.close();
      expect(await Promise.all(fronts.map((f) => f.stop()))).to.deep.equal(fronts.map(() => 0));
      expect(await controller.stop()).to.equal(0);
    }
    expect(MACHINES.filter((n) => existsSync(path.join(dir, `ready-${n}`)))).to.deep.equal([]);
  });
});

describe('fleet compose: layout', () => {
  const { topology } = loadValid(path.join(ROOT, SMALL));
  const options = { topology, baseImage: 'node:20-bookworm-slim', timeScale: 0.1, faults: [], warm: false, portBase: 2200, runnerAddress: '127.0.0.1', subnet: '10.9.0.0/16', playbooks: true };

  it('takes addresses from the subnet and ports from the base; refuses what does not fit', () => {
    const layout = composeLayout(options);
    if (typeof layout === 'string') throw new Error(layout);
    expect(layout.controller).to.deep.equal({ address: '10.9.0.2', port: 2200 });
    expect(layout.machines.map((m) => `${m.name} ${m.address} ${m.port}`)).to.deep.equal(MACHINES.map((n, i) => `${n} 10.9.0.${i + 3} ${2201 + i}`));
    expect(composeLayout({ ...options, subnet: '10.9.0.0/29' })).to.match(/has no room for 7 containers/);
    expect(composeLayout({ ...options, subnet: '10.9.0/24' })).to.match(/expected an IPv4 network/);
    const renamed = topology.hosts.map((h, i) => (i === 0 ? { ...h, name: 'controller' } : h));
    expect(composeLayout({ ...options, topology: { ...topology, hosts: renamed } })).to.match(/two services would be named 'controller'/);
  });

  it('publishes on every interface when the CI job reaches the ports elsewhere (docker:dind)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'orchestrate-compose-'));
    try {
      expect((await runCli('fleet', 'compose', SMALL, '--out', dir, '--runner-address', 'docker')).code).to.equal(0);
      const doc = YAML.parse(readFileSync(path.join(dir, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service> };
      expect(Object.values(doc.services).map((s) => s.ports[0])).to.deep.equal(Array.from({ length: 7 }, (_, i) => `${2200 + i}:${i === 0 ? 7000 : 22}`));
      expect(readFileSync(path.join(dir, 'known_hosts'), 'utf8')).to.match(/^\[docker\]:2201 ssh-ed25519 /);
      expect(JSON.parse(readFileSync(path.join(dir, 'fleet.json'), 'utf8'))).to.deep.include({ control: 'http://docker:2200', hypervisors: { kvm1: { address: 'docker', port: 2201 } } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('fleet serve-host: a hang through a front', function () {
  this.timeout(30_000);

  it('times the step out, and the kill reaches the controller, which logs the command killed', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'orchestrate-front-'));
    const { topology } = loadValid(path.join(ROOT, SMALL));
    const hostKeys = new Map(MACHINES.map((n) => [n, generateEd25519().private]));
    const fleet = await startFleet({
      topology, dir: path.join(dir, 'controller'), timeScale: TEST_SCALE, hostKeys, serve: { host: '127.0.0.1', port: 0 },
      faults: new Map([['acd-dbm', [{ kind: 'hang', match: 'systemctl start mysqld' }]]]),
    });
    const stopFronts = new AbortController();
    const fronts: RunningFront[] = [];
    try {
      const authorizedKeys = parseAuthorizedKeys(readFileSync(path.join(dir, 'controller', 'id_ed25519.pub'), 'utf8'));
      if (typeof authorizedKeys === 'string') throw new Error(authorizedKeys);
      for (const name of MACHINES) {
        fronts.push(await startFront({ name, controller: fleet.control, token: fleet.token, hostKey: hostKeys.get(name) ?? '', authorizedKeys, address: '127.0.0.1', port: 0, signal: stopFronts.signal }));
      }
      const at = (f: RunningFront): { address: string; port: number } => ({ address: '127.0.0.1', port: f.host.port });
      const overlay: FleetOverlay = {
        ...fleet.overlay, knownHosts: path.join(dir, 'known_hosts'),
        hosts: Object.fromEntries(fronts.filter((f) => f.host.name !== 'kvm1').map((f) => [f.host.name, at(f)])),
        hypervisors: Object.fromEntries(fronts.filter((f) => f.host.name === 'kvm1').map((f) => [f.host.name, at(f)])),
      };
      writeFileSync(overlay.knownHosts, fronts.map((f) => `[127.0.0.1]:${f.host.port} ${f.host.hostPublicKey}\n`).join(''));
      writeFileSync(path.join(dir, 'fleet.json'), JSON.stringify(overlay));
      const up = await runCli('--state-dir', path.join(dir, 'state'), 'up', SMALL, '--fleet', dir);
      expect(up.code, up.out).to.equal(1);
      expect(up.out).to.include('acd-dbm: start mysql failed on acd-dbm: timed out after 3s (command killed)');
      const log = fleet.world.log;
      const hung = log.events.find((e) => e.type === 'command' && e.host === 'acd-dbm' && e.command === 'systemctl start mysqld');
      const done = await untilLogged(log.events, path.join(dir, 'controller', 'events.jsonl'), (e) => e.type === 'command-done' && e.id === (hung?.type === 'command' ? hung.id : -1));
      expect(done).to.include({ host: 'acd-dbm', exit: null, signal: 'TERM' });
      expect(log.events.some((e) => e.type === 'command' && e.command === 'virsh start acd-dbs')).to.equal(false);
      expect(fronts.filter((f) => f.host.connectionsAccepted > 0).map((f) => f.host.name), 'reached through the fronts').to.include.members(['kvm1', 'acd-lb', 'acd-dbm']);
      expect([...fleet.world.vms.values()].map((vm) => vm.ssh.connectionsAccepted), 'never through the controller\'s own hosts').to.deep.equal([0, 0, 0, 0, 0]);
    } finally {
      stopFronts.abort();
      await Promise.all(fronts.map((f) => f.done));
      await fleet.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
