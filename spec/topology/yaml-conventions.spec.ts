/**
 * What Compose users write: YAML merge keys (`<<: *base`, `<<: [*a, *b]`) and `x-` extension keys,
 * in topologies and playbooks; and names that must be unique (duplicate steps were dropped unseen).
 */
import { expect } from 'chai';
import { readPlainYaml } from '../../lib/topology/plain-yaml.js';
import { loadValid, problemsOf } from '../support/topologies.js';

const BASE = `version: 1
x-ssh: &ssh
  user: deploy
  port: 2222
x-power: &kvm { driver: virsh, hypervisor: kvm1 }
x-note: anything at all
hypervisors:
  kvm1: { address: 10.0.0.2 }
roles:
  base:
    x-owner: team-a
    up:
      steps:
        - name: start
          run: echo start
          x-comment: a note
hosts:
  a:
    <<: *ssh
    address: 10.0.0.10
    roles: [base]
    power: { <<: *kvm, vm: a-vm }
  b:
    <<: [*ssh, { user: other, identity: id_b }]
    port: 22
    address: 10.0.0.11
    roles: [base]
    power: *kvm
`;

describe('YAML merge keys and x- extension keys', () => {
  it('a topology with merge keys and x- keys loads, merged as YAML 1.1 says (own keys win, then the first merged)', () => {
    const { topology } = loadValid('t.yaml', { 't.yaml': BASE });
    const a = topology.hosts.find((h) => h.name === 'a');
    const b = topology.hosts.find((h) => h.name === 'b');
    expect([a?.ssh.user, a?.ssh.port]).to.deep.equal(['deploy', 2222]);
    expect([b?.ssh.user, b?.ssh.port, b?.ssh.identity?.endsWith('id_b')]).to.deep.equal(['deploy', 22, true]);
    expect(a?.power).to.include({ driver: 'virsh', vm: 'a-vm' });
    expect(b?.power).to.include({ driver: 'virsh' });
  });

  it('the plain reader leaves a merge key to yaml (it would read `<<` as a key)', () => {
    expect(readPlainYaml('a:\n  <<: { b: 1 }\n')).to.equal(undefined);
    expect(readPlainYaml('a: { <<: { b: 1 } }\n')).to.equal(undefined);
    expect(readPlainYaml('a:\n  b: 1\n')).to.not.equal(undefined);
    expect(problemsOf(BASE.replace('x-power: &kvm { driver: virsh, hypervisor: kvm1 }', 'x-power: &kvm { driver: virsh, hypervisor: kvm1 }').replace('<<: [*ssh, { user: other, identity: id_b }]', '<<: { user: other }'))).to.deep.equal([]);
  });

  it('a bad value that came through a merge is located where the anchor writes it', () => {
    const bad = BASE.replace('  port: 2222', '  port: 99999');
    const problems = problemsOf(bad).filter((p) => p.includes('port'));
    expect(problems).to.deep.equal(['t.yaml:4:9: hosts.a.port must be at most 65535 (got number 99999)']);
  });

  it('a bad value in a mapping merged from an alias list is located in the anchor', () => {
    const problems = problemsOf(BASE.replace('x-power: &kvm { driver: virsh, hypervisor: kvm1 }', 'x-power: &kvm { driver: virsj, hypervisor: kvm1 }'));
    expect(problems[0]).to.match(/^t\.yaml:5:25: unknown power driver 'virsj'/);
  });

  it('unknown keys that are not x- keys are still refused, and a quoted "<<" is a key like any other', () => {
    expect(problemsOf(BASE.replace('x-note:', 'note:'))).to.deep.equal(["t.yaml:6:1: unknown key 'note' at the top level"]);
    expect(problemsOf(BASE.replace('    x-owner: team-a', '    "<<": team-a'))[0]).to.match(/^t\.yaml:11:5: unknown key '<<' in roles\.base/);
    expect(problemsOf(BASE.replace('x-note:', 'x-:'))).to.deep.equal(["t.yaml:6:1: unknown key 'x-' at the top level"]);
  });

  it('a host or variable named x-… is a name, not an extension key', () => {
    const { topology } = loadValid('t.yaml', { 't.yaml': BASE.replace('  b:\n', '  x-ray:\n') });
    expect(topology.hosts.map((h) => h.name)).to.deep.equal(['a', 'x-ray']);
  });

  it('merge keys and x- keys in a playbook', () => {
    const playbook = `x-step: &step\n  timeout: 1m\n  local: true\nup:\n  steps:\n    - <<: *step\n      name: one\n      run: echo one\n  x-later: []\n`;
    const { topology } = loadValid('t.yaml', { 't.yaml': `${BASE}playbooks: pb\n`.replace('  base:\n    x-owner: team-a\n    up:\n      steps:\n        - name: start\n          run: echo start\n          x-comment: a note\n', '  base: {}\n'), 'pb/base.yaml': playbook });
    const step = topology.roles.get('base')?.up.steps[0];
    expect([step?.name, step?.timeoutMs, step?.local]).to.deep.equal(['one', 60_000, true]);
  });
});

describe('duplicate step and check names', () => {
  const role = (steps: string): string => BASE.replace(/  base:\n[\s\S]*?\nhosts:/, `  base:\n    up:\n${steps}hosts:`);

  it('two steps of one name in a role are an error with both places', () => {
    const problems = problemsOf(role('      steps:\n        - { name: start, run: echo 1 }\n        - { name: stop, run: echo 2 }\n        - { name: start, run: echo 3 }\n'));
    expect(problems).to.deep.equal(["t.yaml:15:19: duplicate step name 'start' in up: the first is at t.yaml:13:19 (step names are unique within a role's up, down, failover or failback)"]);
  });

  it('in a playbook, both places are in the playbook', () => {
    const playbook = 'down:\n  steps:\n    - name: stop\n      run: echo 1\n    - name: stop\n      run: echo 2\n  checks:\n    - { name: gone, run: "true" }\n    - { name: gone, run: "false" }\n';
    const problems = problemsOf(`${role('      steps: []\n')}playbooks: pb\n`, { 'pb/base.yaml': playbook });
    expect(problems).to.deep.equal([
      "pb/base.yaml:5:13: duplicate step name 'stop' in down: the first is at pb/base.yaml:3:13 (step names are unique within a role's up, down, failover or failback)",
      "pb/base.yaml:9:15: duplicate check name 'gone' in down: the first is at pb/base.yaml:8:15 (check names are unique within a role's up, down, failover or failback)",
    ]);
  });

  it('a topology step of a playbook step\'s name still replaces it', () => {
    const playbook = 'up:\n  steps:\n    - { name: start, run: echo playbook }\n';
    const { topology } = loadValid('t.yaml', { 't.yaml': `${role('      steps:\n        - { name: start, run: echo topology }\n')}playbooks: pb\n`, 'pb/base.yaml': playbook });
    expect(topology.roles.get('base')?.up.steps.map((s) => s.run)).to.deep.equal(['echo topology']);
  });
});
