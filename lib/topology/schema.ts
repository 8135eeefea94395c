/**
 * The shape of topology and playbook files, as zod schemas. Shape only: references between
 * entries (roles, hosts, hypervisors, cycles) are checked in rules.ts. The JSON Schema for
 * editors (docs/topology.schema.json) is generated from these. Pure.
 */
import { z } from 'zod';
import { parseDuration } from '../util/duration.js';

export const DURATION_HINT = 'use a number and a unit: 500ms, 30s, 10m, 1h30m';

const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'names use letters, digits, ".", "_" and "-"');
/** A duration string (`30s`); a bad one is reported as `bad duration "…" for PATH: …`. */
export const DurationSchema = z
  .string()
  .refine((s) => parseDuration(s) !== undefined, { params: { kind: 'duration' } })
  .describe(`A duration: ${DURATION_HINT}`);
const duration = DurationSchema;
const names = z.array(z.string());

/** A file name, or a non-empty list of them. */
const files = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

const sshFields = {
  port: z.int().min(1).max(65535).optional().describe('SSH port. @default 22'),
  user: z.string().min(1).optional().describe('SSH user. @default root'),
  identity: z.string().min(1).optional().describe('Private key file; relative paths are relative to the topology file.'),
  agent: z.boolean().optional().describe('Offer keys from ssh-agent ($SSH_AUTH_SOCK). @default true when SSH_AUTH_SOCK is set'),
  known_hosts: files.optional().describe('User known_hosts file, or a list of them: every one is read; accept-new adds keys to the first. Relative paths are relative to the topology file. @default [~/.ssh/known_hosts, ~/.ssh/known_hosts2]'),
  global_known_hosts: z.union([z.literal('none'), files]).optional().describe('Global known_hosts file, or a list of them, read after the user files and never written; none reads no global file. @default [/etc/ssh/ssh_known_hosts, /etc/ssh/ssh_known_hosts2]'),
  hash_known_hosts: z.boolean().optional().describe('accept-new writes hashed host names (|1|salt|hash), as OpenSSH HashKnownHosts yes. @default false'),
  host_key_policy: z.enum(['strict', 'accept-new', 'off']).optional().describe('strict: the key must be in known_hosts; accept-new: hosts with no known key are added, changed keys (also a key of another type) refused; off: not verified, a warning per host, a loud one when known_hosts disagrees. @default strict'),
  jump: z.string().optional().describe('Name of a bastion (see `bastions`) to reach this machine through, like ProxyJump.'),
  ssh_config: z.string().min(1).optional().describe('ssh_config file to read instead of ~/.ssh/config and /etc/ssh/ssh_config (relative paths are relative to the topology file), or none to read none. Topology values override it. @default ~/.ssh/config, then /etc/ssh/ssh_config'),
  max_sessions: z.int().min(1).max(1000).optional().describe("The server's MaxSessions; orchestrate keeps its channels below it. @default 10"),
};

const endpoint = z.strictObject({ address: z.string().min(1), ...sshFields });

const timeouts = z.strictObject({
  boot: duration.optional().describe('From power-on until SSH answers and the OS reports booted. @default 10m'),
  shutdown: duration.optional().describe('From the shutdown request until the machine is off; then it is forced off. @default 5m'),
  step: duration.optional().describe('Default timeout of one step command, from when it starts on the host. @default 5m'),
  connect: duration.optional().describe('SSH connect and handshake timeout. @default 10s'),
  poll: duration.optional().describe('The longest pause between polls of boot and power state (polls start at 50 ms and back off to it). @default 2s'),
  check: duration.optional().describe('Timeout of each check attempt, for every check that does not set its own. @default 10s'),
});

export const POWER_DRIVERS = ['virsh', 'qm', 'command', 'none'] as const;

/** The power keys each driver takes. */
export const DRIVER_KEYS: Readonly<Record<(typeof POWER_DRIVERS)[number], readonly string[]>> = {
  virsh: ['driver', 'hypervisor', 'vm', 'uri', 'shutdown', 'force_off'],
  qm: ['driver', 'hypervisor', 'vm', 'shutdown', 'force_off'],
  command: ['driver', 'vm', 'on', 'off', 'kill', 'status', 'via', 'shutdown', 'force_off'],
  none: ['driver'],
};

/**
 * Power settings, as written in `defaults.power` and in a host's `power`. The host's settings are
 * merged over the defaults, then checked against the driver in rules.ts (which keys a driver needs
 * and which do not apply to it).
 */
export const PowerSchema = z.strictObject({
  driver: z.string().optional().describe('virsh (libvirt), qm (Proxmox), command (any command) or none (the machine powers itself). @default none'),
  hypervisor: z.string().optional().describe('virsh, qm: name of the hypervisor (see `hypervisors`) the driver runs on over SSH.'),
  vm: z.union([z.string(), z.int()]).optional().describe('virsh: domain name; qm: VMID. @default the host name'),
  uri: z.string().optional().describe('virsh: libvirt URI, passed as `virsh -c URI`.'),
  shutdown: z.enum(['guest', 'hypervisor']).optional()
    .describe("guest: `systemctl poweroff` over SSH; hypervisor: the driver's graceful shutdown (virsh shutdown, qm shutdown, the `off` command). @default guest"),
  force_off: z.boolean().optional().describe('Force the power off when the shutdown timeout passes (virsh destroy, qm stop, the `kill` command). @default true'),
  on: z.string().min(1).optional().describe('command: powers the machine on, e.g. `govc vm.power -on {{vm}}`.'),
  off: z.string().min(1).optional().describe('command: asks the machine to shut down gracefully.'),
  kill: z.string().min(1).optional().describe('command: forces the power off.'),
  status: z.string().min(1).optional().describe('command: exits 0 when the machine is powered on, non-zero when it is off.'),
  via: z.string().optional().describe('command: `local` (run on the controller) or the name of a hypervisor to run the commands on over SSH. @default local'),
});

const vars = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

/** A secret variable (topology `vars` only): read at run time from one source, shown as `***` (docs/topology.md#secrets). */
export const SecretVarSchema = z.strictObject({
  secret: z.literal(true),
  env: z.string().min(1).optional().describe('The environment variable holding the value, read when a run starts.'),
  file: z.string().min(1).optional().describe('A file holding the value (one trailing newline dropped); relative to this file.'),
  value: z.union([z.string(), z.number()]).optional().describe('The value itself: keep the topology file private.'),
}).describe('A secret: exactly one of env, file or value. Commands get {{secret:NAME}}, filled in only as they are sent.');
const topologyVars = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), SecretVarSchema]));

const text = z.string().min(1);
const port = z.union([z.int().min(1).max(65535), z.string().min(1)]);

/** The kinds of check; a check names exactly one of them. */
export const CHECK_KINDS = ['run', 'http', 'tcp', 'systemd', 'mysql-replication', 'mysql-writable', 'mount', 'drbd', 'pcs', 'hazelcast'] as const;

/** What every check has besides its kind: how often and how long it is tried. */
const checkShape = {
  run: text.optional().describe('command: a shell command that must exit with `exit` (default 0) and print something matching `expect`.'),
  expect: z.string().optional().describe('command: regular expression the output (stdout) must match.'),
  exit: z.int().min(0).max(255).optional().describe('command: the exit code that passes. @default 0'),
  http: z.strictObject({
    url: text.describe('The URL, e.g. http://{{address}}:8080/health-check.'),
    method: z.string().regex(/^[A-Z]+$/, 'an HTTP method in capitals: GET, HEAD, POST').optional().describe('@default GET'),
    status: z.int().min(100).max(599).optional().describe('The status that passes. @default 200'),
    body: z.string().optional().describe('Regular expression the response body must match.'),
    headers: z.record(z.string(), z.string()).optional().describe('Request headers.'),
    tls_verify: z.boolean().optional().describe('Verify the server certificate of an https URL. @default true'),
  }).optional().describe('An HTTP request, from the host over SSH (curl) or, with `local: true`, from the controller.'),
  tcp: z.strictObject({
    host: text.optional().describe('@default 127.0.0.1 (the host itself); with `local: true` the host\'s address'),
    port: port.describe('The TCP port that must accept a connection.'),
  }).optional().describe('A TCP port that accepts connections.'),
  systemd: text.optional().describe('A systemd unit that must be active (`systemctl is-active`).'),
  'mysql-replication': z.strictObject({
    max_lag: z.int().min(0).optional().describe('Most seconds the replica may be behind. @default 30'),
    client: text.optional().describe('The mysql client command with its options. @default mysql'),
  }).optional().describe('This host replicates: IO and SQL threads running, lag at most max_lag (MySQL 8 Replica_* and MariaDB/MySQL 5.7 Slave_* names).'),
  'mysql-writable': z.strictObject({
    client: text.optional().describe('@default mysql'),
  }).optional().describe('This MySQL server accepts writes (@@read_only = 0).'),
  mount: z.strictObject({
    path: text.describe('The mount point.'),
    remedy: text.optional().describe('A command tried once, after the first failed attempt (e.g. mount /home/jtel/shared).'),
  }).optional().describe('A mount point is mounted.'),
  drbd: z.strictObject({
    resource: text.describe('The DRBD resource.'),
    minor: z.int().min(0).optional().describe('Its minor (the line in /proc/drbd). @default 0'),
    version: z.enum(['8.4', '9']).optional().describe('Read /proc/drbd (8.4) or drbdadm status (9). @default 8.4'),
    connection: z.string().optional().describe('The connection state. @default Connected'),
    role: z.string().optional().describe('This node\'s role (Primary, Secondary), or local/peer (Primary/Secondary). @default any'),
    disk: z.string().optional().describe('This node\'s disk state, or local/peer. @default UpToDate/UpToDate'),
  }).optional().describe('A DRBD resource\'s connection, roles and disk states.'),
  pcs: z.strictObject({
    resources: z.array(z.string()).optional().describe('Resources that must be started. @default all'),
  }).optional().describe('The Pacemaker cluster: every node online, no failed actions, resources started (pcs status).'),
  hazelcast: z.strictObject({
    url: text.optional().describe('@default http://127.0.0.1:5701/hazelcast/health'),
    members: z.union([z.int().min(1), z.literal('auto')]).optional()
      .describe('Expected clusterSize; auto: between the member_roles hosts certainly up and those possibly running. @default auto'),
    member_roles: z.array(z.string()).optional().describe('The roles whose hosts are cluster members. @default [telephony, web]'),
  }).optional().describe('Hazelcast /hazelcast/health: node and cluster ACTIVE, clusterSize as expected.'),
  attempts: z.int().min(0).optional().describe('How often to try before failing; 0 disables the check. @default 10'),
  interval: duration.optional().describe('Time between attempts (quick looks that use no attempt come before the second). @default 1s'),
  timeout: duration.optional().describe("Timeout of one attempt, from when its command starts. @default the host's timeouts.check (10s)"),
  deadline: duration.optional().describe('Give up when this much time has passed since the first attempt, even with attempts left.'),
  successes: z.int().min(1).optional().describe('Consecutive passing attempts needed. @default 1'),
  local: z.boolean().optional().describe('Run on the controller instead of the host.'),
};

export const CheckSchema = z.strictObject({ name: z.string().min(1), ...checkShape });

/** A service's health check: a check without a name. */
export const HealthSchema = z.strictObject({ name: z.string().min(1).optional(), ...checkShape });

export const SERVICE_MANAGERS = ['systemd', 'initd', 'daemontools', 'pidfile'] as const;

export const ServiceSchema = z.strictObject({
  systemd: text.optional().describe('A systemd unit: systemctl start|stop|restart|reload.'),
  initd: text.optional().describe('A SysV init script: a name in /etc/init.d or a path; any verb the script knows (start, stop, restart, reload, status, grace, rotate …).'),
  daemontools: text.optional().describe('A daemontools service directory (/service/NAME): svc -u|-d|-o|-h|-t|-k, svstat.'),
  pidfile: text.optional().describe('A daemon controlled by signals to the pid in this file.'),
  action: text.describe('start, stop, restart, reload, status; initd: any verb of the script; daemontools: also once, kill, enable, disable; pidfile: also reopen (USR1).'),
  health: HealthSchema.optional().describe('A check that must pass before a start (or restart) counts as done.'),
  restart: z.strictObject({
    attempts: z.int().min(1).max(100).optional().describe('Start attempts in all. @default 1'),
    window: duration.optional().describe('Failures further apart than this start the count again. @default 2m'),
  }).optional().describe('Restart policy of a start: try again when the start or its health check fails.'),
  grace: duration.optional().describe('How long a graceful stop may take before the stop is forced. @default 30s'),
  graceful: z.string().optional().describe('initd: the verb of a graceful stop (e.g. grace). @default stop'),
  signal: z.enum(['QUIT', 'INT', 'TERM', 'HUP', 'USR1', 'USR2']).optional().describe('pidfile: the graceful stop signal. @default QUIT'),
  command: text.optional().describe('pidfile: the command that starts the daemon (it writes the pidfile).'),
  kill_pidfile: text.optional().describe('initd: a pidfile to signal when a stop must be forced.'),
});

export const StepSchema = z.strictObject({
  name: z.string().min(1),
  run: z.string().min(1).optional().describe('Shell command (POSIX sh) run on the host, or on the controller with `local: true`.'),
  service: ServiceSchema.optional().describe('Service control with the semantics of its manager (instead of `run`).'),
  timeout: duration.optional(),
  local: z.boolean().optional(),
  safe_to_repeat: z.boolean().optional().describe('Whether running the step again after it ran (or was cut off half-way) does no harm, so `resume` may re-run it when it was in flight. @default false (service steps: true)'),
}).superRefine((step, ctx) => {
  // Reported like a missing key: a step runs a command unless it controls a service.
  if (step.run === undefined && step.service === undefined) ctx.addIssue({ code: 'invalid_type', expected: 'string', input: undefined, path: ['run'], message: 'missing run' });
});

const phase = z.strictObject({ steps: z.array(StepSchema).optional(), checks: z.array(CheckSchema).optional() });

const failoverPhase = phase.describe('Steps and checks on the hosts of the side that leaves (failover) or returns (failback), e.g. handing over the active DB master.');

export const PlaybookSchema = z.strictObject({
  description: z.string().optional(),
  vars: vars.optional().describe('Default values for {{name}} placeholders in commands.'),
  up: phase.optional(),
  down: phase.optional(),
  failover: failoverPhase.optional(),
  failback: failoverPhase.optional(),
});

export const RoleSchema = z.strictObject({
  description: z.string().optional(),
  playbook: z.string().optional().describe('Playbook file name in the playbooks folder, without .yaml. @default the role name, if that file exists'),
  requires: names.optional().describe('Roles that must be up, with their checks passed, before this role starts.'),
  gate: z.strictObject({
    min: z.int().min(1).describe('How many hosts of this role must be up for the roles that require it to start.'),
  }).optional().describe('A quorum: dependants start once `min` hosts of this role are up, even if others failed.'),
  after: names.optional().describe('Roles that must have been started (no waiting for them to be up) before this role starts.'),
  vars: vars.optional(),
  up: phase.optional().describe('Steps and checks merged into the playbook by name: a step of the same name replaces it, a new name is appended.'),
  down: phase.optional(),
  failover: failoverPhase.optional(),
  failback: failoverPhase.optional(),
});

export const HostSchema = z.strictObject({
  address: z.string().min(1).describe('IP address or DNS name the controller connects to.'),
  ...sshFields,
  roles: names.optional(),
  power: PowerSchema.optional(),
  requires: names.optional().describe('Hosts or roles that must be up before this host starts.'),
  after: names.optional().describe('Hosts or roles that must have been started before this host starts.'),
  vars: vars.optional(),
  timeouts: timeouts.optional(),
  boot_check: z.enum(['systemd', 'ssh']).optional().describe('systemd: wait for `systemctl is-system-running` to say running or degraded; ssh: SSH answering is enough. @default systemd'),
  side: z.string().optional().describe('Which redundant side the host belongs to (e.g. the VM host it runs on).'),
});

export const PairSchema = z.strictObject({
  hosts: z.array(z.string()).describe('The two hosts of the pair.'),
  replaces: z.array(z.string()).optional().describe("Roles whose own steps the pair's procedure replaces on these hosts (e.g. storage: Pacemaker starts Samba, not systemctl)."),
  drbd: z.strictObject({
    resource: z.string().min(1).describe('The DRBD resource, e.g. jtelshared.'),
    minor: z.int().min(0).optional().describe('Its minor (the line in /proc/drbd). @default 0'),
    mode: z.enum(['dual-primary', 'single-primary']).optional().describe('dual-primary: both nodes are promoted; single-primary: only the primary. @default dual-primary'),
    version: z.enum(['8.4', '9']).optional().describe('Which DRBD output to read: /proc/drbd (8.4) or drbdadm status (9). @default 8.4'),
    timeout: duration.optional().describe('Deadline of each DRBD state wait (a resync can take long). @default 30m'),
  }).optional(),
  pacemaker: z.strictObject({
    version: z.enum(['1.1', '2']).optional().describe('Pacemaker 1.1 (pcs 0.9: pcs cluster standby NODE) or 2 (pcs 0.10+: pcs node standby NODE). @default 1.1'),
    resources: z.array(z.string()).optional().describe('Resources that must be started (on one node). @default all'),
    vip: z.string().optional().describe('The virtual IP the cluster moves between the nodes (informative, and for probes).'),
    timeout: duration.optional().describe('Deadline of each cluster state wait. @default 5m'),
  }).optional(),
});

/** A continuity probe: where it runs is exactly one of role, host or local: true. */
export const ProbeSchema = z.strictObject({
  name: z.string().min(1),
  run: z.string().min(1).describe('Command that exits 0 while the service works.'),
  role: z.string().optional().describe('Run it on a host of this role: the one that passed last, then those that stay, then the others; it fails only if none passes.'),
  host: z.string().optional().describe('Run it on this host.'),
  local: z.boolean().optional().describe('Run it on the controller.'),
  timeout: duration.optional().describe('@default 5s'),
});

export const ContinuitySchema = z.strictObject({
  interval: duration.optional().describe('Time between two rounds of probes. @default 1s'),
  probes: z.array(ProbeSchema).optional(),
});

export const TopologySchema = z.strictObject({
  version: z.literal(1).optional().describe('Format version. @default 1'),
  name: name.optional().describe('Platform name, used for the state directory. @default the file name'),
  description: z.string().optional(),
  playbooks: z.string().optional().describe('Folder with role playbooks, relative to this file; searched before the playbooks shipped with orchestrate.'),
  vars: topologyVars.optional().describe('Values for {{name}} placeholders on every host; a value may be a secret ({ secret: true, env: NAME }).'),
  concurrency: z.union([z.int().min(1), z.literal('unlimited')]).optional()
    .describe('How many commands run at once (checks and probes included; hosts that wait hold none). @default unlimited'),
  defaults: z.strictObject({
    ...sshFields,
    power: PowerSchema.optional(),
    timeouts: timeouts.optional(),
    boot_check: z.enum(['systemd', 'ssh']).optional(),
  }).optional(),
  bastions: z.record(name, endpoint).optional(),
  hypervisors: z.record(name, endpoint).optional(),
  roles: z.record(name, RoleSchema),
  hosts: z.record(name, HostSchema),
  pairs: z.record(name, PairSchema).optional().describe('Redundant pairs: DRBD storage and Pacemaker clusters, started and stopped with their exact procedures.'),
  continuity: ContinuitySchema.optional().describe('Probes that run during failover and failback to measure the service.'),
});

export type RawTopology = z.infer<typeof TopologySchema>;
export type RawHost = z.infer<typeof HostSchema>;
export type RawRole = z.infer<typeof RoleSchema>;
export type RawPlaybook = z.infer<typeof PlaybookSchema>;
export type RawStep = z.infer<typeof StepSchema>;
export type RawCheck = z.infer<typeof CheckSchema>;
export type RawHealth = z.infer<typeof HealthSchema>;
export type RawService = z.infer<typeof ServiceSchema>;
export type RawPower = z.infer<typeof PowerSchema>;
export type RawEndpoint = z.infer<typeof endpoint>;
export type RawPair = z.infer<typeof PairSchema>;
export type RawContinuity = z.infer<typeof ContinuitySchema>;
