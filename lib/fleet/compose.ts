/**
 * The simulated fleet as a docker-compose project: a `controller` service owns the simulated
 * world (`fleet up --serve`), and each VM and hypervisor gets a service of its own that answers
 * SSH for that machine on its own address (`fleet serve-host`, a host front), with its SSH port
 * published for the CI job. One image serves them all (see composeDockerfile).
 *
 *            CI job ── 127.0.0.1:2201…2206 (SSH), :2200 (status) ──┐
 *   ┌─ compose network 172.30.42.0/24 ──────────────────────────────┼──────┐
 *   │  kvm1 .3   acd-dbm .4   acd-dbs .5 …  (fronts, sshd on :22)    │      │
 *   │        └─────── POST /exec, GET /watch ──► controller .2 :7000 ◄┘      │
 *   └───────────────────────────────────────────────────────────────────────┘
 *
 * Pure: it lays out names, addresses, ports and file contents; writing them is compose-write.ts.
 */
import YAML from 'yaml';
import type { FleetOverlay, Topology } from '../topology/index.js';
import { compareNames } from '../util/names.js';

/** Where things are inside the image. */
export const IN_IMAGE = {
  fleet: '/fleet',
  controlPort: 7000,
  sshPort: 22,
  readyFile: '/tmp/orchestrate-front-ready',
  /** Written by the controller's `fleet up` once it serves (its healthcheck). */
  controllerReady: '/fleet/state/fleet.pid',
  app: '/app',
} as const;

/** The image's base when none is given: the official Node image (users' runners usually reach Docker Hub or a mirror of it). */
export const DEFAULT_BASE_IMAGE = 'node:20-bookworm-slim';

/** The key files of a compose directory, relative to it. */
export const KEY_FILES = {
  client: 'keys/id_ed25519',
  host: (name: string): string => `keys/hosts/${name}`,
  /** The controller's token, shared by the controller, the fronts and the CI job (control.ts). */
  token: 'keys/control-token',
} as const;

export interface ComposeOptions {
  /** The topology the fleet simulates. */
  readonly topology: Topology;
  /** The image's base: any image with Node 20.19 or later as `node` on its PATH and a POSIX `test`. */
  readonly baseImage: string;
  /** The controller's time scale (and the overlay's). */
  readonly timeScale: number;
  /** `HOST:FAULT` flags for the controller. */
  readonly faults: readonly string[];
  /** Every VM starts running. */
  readonly warm: boolean;
  /** The controller's status port is published here, the machines' SSH ports on the ports after it. */
  readonly portBase: number;
  /** Where the CI job reaches the published ports; other than loopback, they are published on every interface. */
  readonly runnerAddress: string;
  /** The compose network, IPv4 CIDR. */
  readonly subnet: string;
  /** Whether the compose directory carries the topology's own playbooks folder. */
  readonly playbooks: boolean;
}

/** One simulated machine as a compose service. */
export interface ComposeMachine {
  /** The machine's name, which is also its service's. */
  readonly name: string;
  readonly kind: 'vm' | 'hypervisor';
  /** Its address on the compose network. */
  readonly address: string;
  /** Its SSH port as published for the CI job. */
  readonly port: number;
  /** The topology's `max_sessions` (10 for a hypervisor). */
  readonly maxSessions: number;
}

export interface ComposeLayout {
  /** The compose project name (also the image name). */
  readonly project: string;
  /** The controller's address on the network, and the port its status endpoint is published on. */
  readonly controller: { readonly address: string; readonly port: number };
  /** Hypervisors first, then VMs, each by name. */
  readonly machines: readonly ComposeMachine[];
}

function ipv4(text: string): number | undefined {
  const parts = text.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + p, 0);
}

const dotted = (n: number): string => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

/** Addresses, ports and names of every service, or what is wrong with the options. */
export function composeLayout(options: ComposeOptions): ComposeLayout | string {
  const [base, bits] = options.subnet.split('/');
  const start = ipv4(base ?? '');
  const prefix = Number(bits);
  if (start === undefined || !Number.isInteger(prefix) || prefix < 8 || prefix > 29) return `--subnet ${options.subnet}: expected an IPv4 network from /8 to /29, such as 172.30.42.0/24`;
  const { topology } = options;
  const names = [...[...topology.hypervisors.keys()].sort(compareNames), ...topology.hosts.map((h) => h.name).sort(compareNames)];
  const seen = new Set(['controller']);
  for (const name of names) {
    if (seen.has(name.toLowerCase())) return `two services would be named '${name}' (machine names must differ from each other and from 'controller')`;
    seen.add(name.toLowerCase());
  }
  // .0 is the network, .1 the gateway; the last one is the broadcast address.
  if (names.length + 3 > 2 ** (32 - prefix)) return `--subnet ${options.subnet} has no room for ${names.length + 1} containers`;
  if (options.portBase + names.length > 65535) return `--port-base ${options.portBase} leaves no room for ${names.length} SSH ports`;
  const network = start - (start % 2 ** (32 - prefix));
  const hosts = new Map(topology.hosts.map((h) => [h.name, h]));
  const project = `orchestrate-fleet-${topology.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/-+$/, '')}`;
  return {
    project,
    controller: { address: dotted(network + 2), port: options.portBase },
    machines: names.map((name, i) => ({
      name, kind: hosts.has(name) ? 'vm' : 'hypervisor', address: dotted(network + 3 + i), port: options.portBase + 1 + i,
      maxSessions: hosts.get(name)?.ssh.maxSessions ?? 10,
    })),
  };
}

const isLoopback = (address: string): boolean => /^127\.|^localhost$|^::1$/.test(address);

export function controllerCommand(options: ComposeOptions): string[] {
  return [
    'fleet', 'up', `${IN_IMAGE.fleet}/topology.yaml`, '--serve', `0.0.0.0:${IN_IMAGE.controlPort}`, '--state', `${IN_IMAGE.fleet}/state`,
    '--token-file', `${IN_IMAGE.fleet}/${KEY_FILES.token}`,
    '--time-scale', String(options.timeScale), ...(options.warm ? ['--warm'] : []), ...options.faults.flatMap((f) => ['--fault', f]),
  ];
}

export function frontCommand(m: ComposeMachine): string[] {
  return [
    'fleet', 'serve-host', m.name, '--controller', `http://controller:${IN_IMAGE.controlPort}`, '--token-file', `${IN_IMAGE.fleet}/${KEY_FILES.token}`,
    '--key', `${IN_IMAGE.fleet}/${KEY_FILES.host(m.name)}`, '--authorized-key', `${IN_IMAGE.fleet}/${KEY_FILES.client}.pub`,
    '--listen', `0.0.0.0:${IN_IMAGE.sshPort}`, '--ready-file', IN_IMAGE.readyFile,
    ...(m.maxSessions === 10 ? [] : ['--max-sessions', String(m.maxSessions)]),
  ];
}

/**
 * What every service shares: the image, built from the compose directory. Compose v1 (1.27 or
 * later) and v2 both accept it: no `name`, `pull_policy`, `additional_contexts` or long port syntax.
 * Each service builds the same image (from cache after the first); `BASE_IMAGE` in the
 * environment overrides the base.
 */
function common(layout: ComposeLayout, options: ComposeOptions): Record<string, unknown> {
  return {
    image: `${layout.project}:latest`,
    build: { context: '.', args: { BASE_IMAGE: `\${BASE_IMAGE:-${options.baseImage}}` } },
    init: true,
  };
}

/** A published port in the short syntax every Compose accepts: loopback only unless the CI job is elsewhere. */
export function published(options: Pick<ComposeOptions, 'runnerAddress'>, hostPort: number, target: number): string {
  return `${isLoopback(options.runnerAddress) ? '127.0.0.1:' : ''}${hostPort}:${target}`;
}

/** The healthchecks: files the controller and the fronts write once ready (no Node process per check). */
export const HEALTH = {
  controller: ['CMD', 'test', '-f', IN_IMAGE.controllerReady],
  front: ['CMD', 'test', '-f', IN_IMAGE.readyFile],
} as const;

/** How often the healthchecks run and how long a container may take to become healthy (compose and `docker run` alike). */
export const HEALTH_TIMING = { interval: '1s', timeout: '5s', retries: 60 } as const;

/** The docker-compose.yml document. */
export function composeDocument(layout: ComposeLayout, options: ComposeOptions): Record<string, unknown> {
  const services: Record<string, unknown> = {
    controller: {
      ...common(layout, options),
      command: controllerCommand(options),
      ports: [published(options, layout.controller.port, IN_IMAGE.controlPort)],
      networks: { fleet: { ipv4_address: layout.controller.address } },
      healthcheck: { test: [...HEALTH.controller], ...HEALTH_TIMING },
    },
  };
  for (const m of layout.machines) {
    services[m.name] = {
      ...common(layout, options),
      command: frontCommand(m),
      depends_on: { controller: { condition: 'service_healthy' } },
      ports: [published(options, m.port, IN_IMAGE.sshPort)],
      networks: { fleet: { ipv4_address: m.address } },
      // Healthy once it follows the controller; its sshd itself only answers while the machine runs.
      healthcheck: { test: [...HEALTH.front], ...HEALTH_TIMING },
    };
  }
  return { services, networks: { fleet: { ipam: { config: [{ subnet: options.subnet }] } } } };
}

/** docker-compose.yml as text: command and healthcheck lists on one line each, every item quoted (`0.0.0.0:7000` is no plain scalar to every YAML parser). */
export function composeYaml(layout: ComposeLayout, options: ComposeOptions, header: string): string {
  const doc = new YAML.Document(composeDocument(layout, options));
  YAML.visit(doc, {
    Pair(_key, pair) {
      const key = YAML.isScalar(pair.key) ? pair.key.value : undefined;
      if ((key !== 'command' && key !== 'test') || !YAML.isSeq(pair.value)) return;
      pair.value.flow = true;
      for (const item of pair.value.items) if (YAML.isScalar(item)) item.type = 'QUOTE_DOUBLE';
    },
  });
  doc.commentBefore = header;
  return doc.toString({ lineWidth: 0 });
}

/**
 * The image: orchestrate as installed here (app/, see image-app.ts) and the fleet's files, both
 * from the build context (the compose directory). Nothing is downloaded during the build and no
 * BuildKit-only syntax is used, so the legacy builder and BuildKit both build it.
 */
export function composeDockerfile(options: Pick<ComposeOptions, 'playbooks' | 'baseImage'>): string {
  return [
    '# Generated by orchestrate (fleet compose, fleet up --containers): one image for every container',
    '# of the simulated fleet. The build context is this directory: app/ is orchestrate, built, with',
    '# its production dependencies; the rest are the fleet\'s files. Nothing is downloaded but the base.',
    '# BASE_IMAGE: any image with Node 20.19 or later as `node` (docker build --build-arg BASE_IMAGE=...).',
    `ARG BASE_IMAGE=${options.baseImage}`,
    'FROM ${BASE_IMAGE}',
    `COPY app ${IN_IMAGE.app}`,
    `COPY topology.yaml ${IN_IMAGE.fleet}/topology.yaml`,
    ...(options.playbooks ? [`COPY playbooks ${IN_IMAGE.fleet}/playbooks`] : []),
    `COPY keys ${IN_IMAGE.fleet}/keys`,
    `WORKDIR ${IN_IMAGE.app}`,
    `EXPOSE ${IN_IMAGE.sshPort} ${IN_IMAGE.controlPort}`,
    'ENTRYPOINT ["node", "bin/orchestrate.js"]',
    '',
  ].join('\n');
}

/** .dockerignore: the build context is the image's files only (not fleet.json, known_hosts, state). */
export const DOCKER_IGNORE = ['*', '!app', '!topology.yaml', '!playbooks', '!keys', ''].join('\n');

/** fleet.json for the CI job: every machine at its published port; plus the status endpoint and its token's file. */
export function composeOverlay(layout: ComposeLayout, options: ComposeOptions, files: { identity: string; knownHosts: string; controlToken: string }): FleetOverlay & { control: string; controlToken: string } {
  const at = (m: ComposeMachine): { address: string; port: number } => ({ address: options.runnerAddress, port: m.port });
  const pick = (kind: ComposeMachine['kind']): Record<string, { address: string; port: number }> =>
    Object.fromEntries(layout.machines.filter((m) => m.kind === kind).map((m) => [m.name, at(m)]));
  return {
    version: 1, topology: options.topology.name, hosts: pick('vm'), hypervisors: pick('hypervisor'),
    identity: files.identity, knownHosts: files.knownHosts, timeScale: options.timeScale, http: {},
    control: `http://${options.runnerAddress}:${layout.controller.port}`, controlToken: files.controlToken,
  };
}

/** known_hosts for the CI job: `[address]:port key` for each machine. */
export function composeKnownHosts(layout: ComposeLayout, options: ComposeOptions, publicKeys: ReadonlyMap<string, string>): string {
  return layout.machines.map((m) => `[${options.runnerAddress}]:${m.port} ${publicKeys.get(m.name) ?? ''}\n`).join('');
}
