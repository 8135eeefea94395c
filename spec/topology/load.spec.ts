import { expect } from 'chai';
import { loadValid, PLAYBOOKS, problemsOf } from '../support/topologies.js';

/** Joins lines, so that line numbers in the expectations are easy to count. */
const y = (...lines: string[]): string => `${lines.join('\n')}\n`;

const base = [
  'roles:', //                                  1
  '  store: {}', //                             2
  '  app: { requires: [store] }', //            3
  'hosts:', //                                  4
];

describe('loadTopology: validation messages', () => {
  it('accepts a minimal topology', () => {
    expect(problemsOf(y(...base, '  s1: { address: 10.0.0.1, roles: [store] }'))).to.deep.equal([]);
  });

  it('reports an unknown role in a dependency, with a did-you-mean', () => {
    expect(problemsOf(y('roles:', '  store: {}', '  app: { requires: [stor] }', 'hosts: {}'))).to.deep.equal([
      "t.yaml:3:21: unknown role 'stor' in requires of role 'app' (did you mean 'store'?)",
    ]);
  });

  it('reports an unknown role on a host', () => {
    expect(problemsOf(y(...base, '  s1: { address: 10.0.0.1, roles: [stroe] }'))).to.deep.equal([
      "t.yaml:5:36: unknown role 'stroe' in roles of host 's1' (did you mean 'store'?)",
    ]);
  });

  it('reports an unknown host or role in a host dependency', () => {
    expect(problemsOf(y(...base, '  s1: { address: 10.0.0.1 }', '  a1: { address: 10.0.0.2, requires: [s2] }'))).to.deep.equal([
      "t.yaml:6:39: unknown host or role 's2' in requires of host 'a1'",
    ]);
  });

  it('reports a duplicate host with where it was first defined', () => {
    expect(problemsOf(y(...base, '  s1: { address: 10.0.0.1 }', '  s1: { address: 10.0.0.2 }'))).to.deep.equal([
      "t.yaml:6:3: duplicate host 's1' (first defined at line 5)",
    ]);
  });

  it('reports a dependency cycle among roles with the whole path', () => {
    expect(problemsOf(y('roles:', '  a: { requires: [b] }', '  b: { after: [c] }', '  c: { requires: [a] }', 'hosts: {}'))).to.deep.equal([
      "t.yaml:2:19: dependency cycle among roles: a -> b -> c -> a (a requires b, b comes after c, c requires a)",
    ]);
  });

  it('reports a cycle between hosts that only multi-role hosts create', () => {
    const text = y(
      'roles:', //                                   1
      '  store: {}', //                              2
      '  db: { requires: [store] }', //              3
      '  web: { requires: [db] }', //                4
      'hosts:', //                                   5
      '  box: { address: 10.0.0.1, roles: [store, web] }',
      '  dbm: { address: 10.0.0.2, roles: [db] }',
    );
    expect(problemsOf(text)).to.deep.equal([
      't.yaml:4:21: dependency cycle among hosts: box -> dbm -> box (box: web requires db; dbm: db requires store)',
    ]);
  });

  it('reports a host without an address', () => {
    expect(problemsOf(y(...base, '  s1: { roles: [store] }'))).to.deep.equal([
      "t.yaml:5:3: host 's1' has no address",
    ]);
  });

  it('reports bad durations, and bare numbers with the unit they probably meant', () => {
    expect(problemsOf(y('defaults:', '  timeouts: { boot: 10 minutes, shutdown: 300 }', ...base, '  s1: { address: 10.0.0.1 }'))).to.deep.equal([
      't.yaml:2:21: bad duration "10 minutes" for defaults.timeouts.boot: use a number and a unit: 500ms, 30s, 10m, 1h30m',
      "t.yaml:2:43: bad duration 300 for defaults.timeouts.shutdown: use a number and a unit: 500ms, 30s, 10m, 1h30m (did you mean '300s'?)",
    ]);
  });

  it('reports an unknown power driver', () => {
    expect(problemsOf(y(...base, '  s1: { address: 10.0.0.1, power: { driver: vmwre } }'))).to.deep.equal([
      "t.yaml:5:45: unknown power driver 'vmwre' (expected one of virsh, qm, command, none)",
    ]);
  });

  it('reports unknown keys with a did-you-mean, at the key', () => {
    expect(problemsOf(y('hots: {}', ...base, '  s1: { adress: 10.0.0.1, address: 10.0.0.1 }'))).to.deep.equal([
      "t.yaml:1:1: unknown key 'hots' at the top level (did you mean 'hosts'?)",
      "t.yaml:6:9: unknown key 'adress' in hosts.s1 (did you mean 'address'?)",
    ]);
  });

  it('reports wrong types', () => {
    expect(problemsOf(y(...base, '  s1: { address: 10.0.0.1, port: "22a", roles: store, boot_check: magic }'))).to.deep.equal([
      't.yaml:5:34: hosts.s1.port must be a number (got the string "22a")',
      't.yaml:5:48: hosts.s1.roles must be a list (got the string "store")',
      't.yaml:5:67: hosts.s1.boot_check must be one of systemd, ssh (got the string "magic")',
    ]);
  });

  it('reports YAML syntax errors with their position', () => {
    expect(problemsOf('roles: {}\nhosts:\n  s1: { address: [10.0.0.1 }\n')[0]).to.equal(
      't.yaml:3:28: YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    );
  });

  it('reports every problem of a file at once, in file order', () => {
    const text = y(
      'defaults: { timeouts: { boot: soon } }', //                                       1
      'roles:', //                                                                         2
      '  store: {}', //                                                                    3
      '  app: { requires: [stor] }', //                                                    4
      'hosts:', //                                                                         5
      '  s1: { roles: [store] }', //                                                       6
      '  a1: { address: 10.0.0.2, roles: [app], power: { driver: none, hypervisor: x } }', // 7
    );
    expect(problemsOf(text)).to.deep.equal([
      't.yaml:1:31: bad duration "soon" for defaults.timeouts.boot: use a number and a unit: 500ms, 30s, 10m, 1h30m',
      "t.yaml:4:21: unknown role 'stor' in requires of role 'app' (did you mean 'store'?)",
      "t.yaml:6:3: host 's1' has no address",
      "t.yaml:7:65: power.hypervisor does not apply to power driver 'none'",
    ]);
  });

  it('checks what each power driver needs', () => {
    const text = y(
      'hypervisors: { kvm1: { address: 10.0.0.9 } }', //                                        1
      ...base, //                                                                                 2-5
      '  v1: { address: 10.0.0.1, power: { driver: virsh } }', //                                  6
      '  v2: { address: 10.0.0.2, power: { driver: virsh, hypervisor: kvm2 } }', //               7
      '  q1: { address: 10.0.0.3, power: { driver: qm, hypervisor: kvm1 } }', //                   8
      '  c1: { address: 10.0.0.4, power: { driver: command, via: kvm1 } }', //                     9
    );
    expect(problemsOf(text)).to.deep.equal([
      "t.yaml:6:3: host 'v1' uses power driver 'virsh', which needs power.hypervisor (one of: kvm1)",
      "t.yaml:7:64: unknown hypervisor 'kvm2' (did you mean 'kvm1'?)",
      "t.yaml:8:3: host 'q1' uses power driver 'qm', which needs power.vm: the numeric VMID (got 'q1')",
      "t.yaml:9:28: host 'c1' uses power driver 'command', which needs power.on",
    ]);
  });

  it('reports a {{variable}} that no host defines, at the command', () => {
    const text = y('roles:', "  app: { up: { steps: [{ name: start, run: 'systemctl start {{unit}}' }] } }", 'hosts:', '  a1: { address: 10.0.0.1, roles: [app] }');
    expect(problemsOf(text)).to.deep.equal([
      "t.yaml:2:44: unknown variable 'unit' in 'start' of role 'app' on host 'a1' (define it under vars)",
    ]);
    expect(problemsOf(text.replace('roles: [app] }', 'roles: [app], vars: { unit: x } }'))).to.deep.equal([]);
  });

  it('reports a missing playbook and problems inside a playbook file, located in that file', () => {
    const text = y('playbooks: pb', 'roles:', '  app: { playbook: apps }', '  web: {}', 'hosts: {}');
    expect(problemsOf(text, { 'pb/web.yaml': y('up:', '  steps:', '    - { name: start, rnu: x }') })).to.deep.equal([
      "pb/web.yaml:3:7: missing key 'run' in up.steps[0]",
      "pb/web.yaml:3:22: unknown key 'rnu' in up.steps[0] (did you mean 'run'?)",
      `t.yaml:3:20: playbook 'apps' not found (looked for apps.yaml in pb, ${PLAYBOOKS})`,
    ]);
  });
});

describe('loadTopology: the resolved model', () => {
  it('merges topology steps into the playbook by name and resolves defaults', () => {
    const text = y(
      'defaults: { user: admin, timeouts: { step: 1m } }',
      'roles:',
      '  db-master:',
      '    up: { steps: [{ name: start mysql, run: systemctl start mariadb }, { name: warm cache, run: warm }] }',
      'hosts:',
      '  d1: { address: 10.0.0.1, port: 2222, roles: [db-master] }',
    );
    const { topology } = loadValid('m.yaml', { 'm.yaml': text });
    const role = topology.roles.get('db-master');
    expect(role?.up.steps.map((s) => [s.name, s.run])).to.deep.equal([['start mysql', 'systemctl start mariadb'], ['warm cache', 'warm']]);
    expect(role?.up.checks.map((c) => c.name)).to.deep.equal(['mysql alive', 'writable, or replicating from the active master']);
    const host = topology.hosts[0];
    expect(host?.ssh).to.include({ address: '10.0.0.1', port: 2222, user: 'admin', hostKeyPolicy: 'strict', hashKnownHosts: false, maxSessions: 10 });
    expect(host?.ssh.knownHosts, "OpenSSH's UserKnownHostsFile default").to.deep.equal(['~/.ssh/known_hosts', '~/.ssh/known_hosts2']);
    expect(host?.ssh.globalKnownHosts, "OpenSSH's GlobalKnownHostsFile default").to.deep.equal(['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2']);
    expect(host?.timeouts).to.deep.equal({ bootMs: 600_000, shutdownMs: 300_000, stepMs: 60_000, connectMs: 10_000, pollMs: 2000, checkMs: 10_000 });
    expect(host?.power).to.deep.equal({ driver: 'none' });
  });

  it('resolves a host dependency on a role to every host carrying it', () => {
    const text = y(...base, '  s1: { address: 10.0.0.1, roles: [store] }', '  s2: { address: 10.0.0.2, roles: [store] }', '  x: { address: 10.0.0.3, after: [store] }');
    const { topology, graph } = loadValid('r.yaml', { 'r.yaml': text });
    expect(topology.hosts.find((h) => h.name === 'x')?.after.map((d) => d.name)).to.deep.equal(['s1', 's2']);
    expect(graph.dependencies('x').map((l) => [l.host, l.kind])).to.deep.equal([['s1', 'after'], ['s2', 'after']]);
  });
});

describe('loadTopology: known_hosts files', () => {
  it('takes one file or a list, global files or none, and hashing; defaults come from defaults', () => {
    const text = y(
      'defaults: { global_known_hosts: /opt/ssh/global_hosts, hash_known_hosts: true }',
      ...base,
      '  a: { address: 10.0.0.1, known_hosts: ~/kh }',
      '  b: { address: 10.0.0.2, known_hosts: [~/kh1, /abs/kh2, rel/kh3], global_known_hosts: [/g1, /g2] }',
      '  c: { address: 10.0.0.3, global_known_hosts: none, hash_known_hosts: false }',
    );
    const { topology } = loadValid('k.yaml', { 'k.yaml': text });
    const ssh = (n: string) => topology.hosts.find((h) => h.name === n)?.ssh;
    expect(ssh('a')).to.deep.include({ knownHosts: ['~/kh'], globalKnownHosts: ['/opt/ssh/global_hosts'], hashKnownHosts: true });
    expect(ssh('b')?.knownHosts.slice(0, 2)).to.deep.equal(['~/kh1', '/abs/kh2']);
    expect(ssh('b')?.knownHosts[2], 'relative to the topology file').to.match(/rel\/kh3$/);
    expect(ssh('b')?.globalKnownHosts).to.deep.equal(['/g1', '/g2']);
    expect(ssh('c')).to.deep.include({ knownHosts: ['~/.ssh/known_hosts', '~/.ssh/known_hosts2'], globalKnownHosts: [], hashKnownHosts: false });
  });

  it('refuses an empty list and a bad type', () => {
    const problems = problemsOf(y(...base, '  a: { address: 10.0.0.1, known_hosts: [] }', '  b: { address: 10.0.0.2, hash_known_hosts: maybe }'));
    expect(problems).to.have.length(2);
    expect(problems[0]).to.match(/^t\.yaml:5:\d+: .*known_hosts/);
    expect(problems[1]).to.match(/^t\.yaml:6:\d+: .*hash_known_hosts/);
  });
});

describe('loadTopology: bastions', () => {
  it('resolves a jump host and refuses a bastion that jumps again', () => {
    const text = y(
      'bastions:', //                                                        1
      '  j1: { address: 192.0.2.1, user: ops }', //                          2
      '  j2: { address: 192.0.2.2, jump: j1 }', //                           3
      ...['roles:', '  store: {}', 'hosts:'], //                             4-6
      '  s1: { address: 10.0.0.1, jump: j1 }', //                            7
      '  s2: { address: 10.0.0.2, jump: j2 }', //                            8
      '  s3: { address: 10.0.0.3, jump: j9 }', //                            9
    );
    expect(problemsOf(text)).to.deep.equal([
      "t.yaml:3:35: a bastion cannot itself jump through another bastion",
      "t.yaml:9:34: unknown bastion 'j9' in jump",
    ]);
  });
});
