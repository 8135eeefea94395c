/**
 * The JSON Schemas (docs/*.schema.json) against the loader: every shipped topology and playbook
 * passes both, and every kind of invalid file below is rejected by the loader and, where a JSON
 * Schema can say it, by the schema too (checked with ajv, a real validator). The kinds a schema
 * cannot express carry the reason; the schema must accept them (or the reason is out of date).
 */
import { expect } from 'chai';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { fileReader } from '../../lib/cli/files.js';
import { buildGraph } from '../../lib/graph/index.js';
import { playbookJsonSchema, topologyJsonSchema } from '../../lib/topology/json-schema.js';
import { formatDiagnostic, loadTopology } from '../../lib/topology/index.js';
import { PLAYBOOKS, ROOT } from '../support/topologies.js';

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
const topologySchema = ajv.compile(JSON.parse(readFileSync(path.join(ROOT, 'docs/topology.schema.json'), 'utf8')) as object);
const playbookSchema = ajv.compile(JSON.parse(readFileSync(path.join(ROOT, 'docs/playbook.schema.json'), 'utf8')) as object);

const data = (text: string): unknown => parse(text, { merge: true, uniqueKeys: false });

/** The loader's errors for a topology `t.yaml` and playbooks in memory (pb/NAME.yaml). */
function loaderErrors(files: Record<string, string>): string[] {
  const reader = { read: (f: string) => files[f] ?? fileReader.read(f) };
  const loaded = loadTopology('t.yaml', { reader, builtinPlaybooks: PLAYBOOKS });
  const graph = loaded.topology ? buildGraph(loaded.topology).diagnostics : [];
  return [...loaded.diagnostics, ...graph].filter((d) => d.severity === 'error').map(formatDiagnostic);
}

const TOPOLOGY = `version: 1
name: t
playbooks: pb
defaults:
  power: { driver: virsh, hypervisor: kvm1 }
hypervisors:
  kvm1: { address: 10.0.0.2 }
roles:
  app: {}
  db: {}
hosts:
  a1: { address: 10.0.0.10, roles: [app], side: a }
  a2: { address: 10.0.0.11, roles: [db], side: b }
`;
const PLAYBOOK = `up:
  steps:
    - name: start
      run: echo start
  checks:
    - name: ready
      run: "true"
`;

interface Case {
  readonly what: string;
  /** The topology (t.yaml), or with `playbook` the playbook of role app (pb/app.yaml). */
  readonly topology?: string;
  readonly playbook?: string;
  /** Why a JSON Schema cannot reject it. */
  readonly cannot?: string;
}

const top = (what: string, extra: string, cannot?: string): Case => ({ what, topology: `${TOPOLOGY}${extra}`, ...(cannot ? { cannot } : {}) });
const swap = (what: string, from: string, to: string, cannot?: string): Case => {
  if (!TOPOLOGY.includes(from)) throw new Error(`no ${from}`);
  return { what, topology: TOPOLOGY.replace(from, to), ...(cannot ? { cannot } : {}) };
};
const step = (what: string, yaml: string, cannot?: string): Case => ({ what, playbook: `up:\n  steps:\n${yaml}`, ...(cannot ? { cannot } : {}) });
const check = (what: string, yaml: string, cannot?: string): Case => ({ what, playbook: `up:\n  checks:\n${yaml}`, ...(cannot ? { cannot } : {}) });

const REFERENCE = 'a reference to another entry (or file): a schema sees one value at a time';
const TEMPLATE = 'the rule applies to the value after {{placeholders}} are filled in per host; a schema sees the text with them';

const CASES: readonly Case[] = [
  top('an unknown top-level key', 'colour: blue\n'),
  swap('an unknown power driver', 'driver: virsh', 'driver: virsj'),
  swap('a duration without a unit', 'defaults:\n', 'defaults:\n  timeouts: { boot: "10" }\n'),
  swap('a duration in words', 'defaults:\n', 'defaults:\n  timeouts: { boot: 10 minutes }\n'),
  swap('a duration as a number', 'defaults:\n', 'defaults:\n  timeouts: { shutdown: 30 }\n'),
  swap('a port out of range', 'address: 10.0.0.10,', 'address: 10.0.0.10, port: 70000,'),
  swap('a host without an address', '{ address: 10.0.0.10, roles', '{ roles'),
  swap('a host name with a space', '  a1:', '  "a 1":'),
  swap('an unknown host_key_policy', 'defaults:\n', 'defaults:\n  host_key_policy: trust\n'),
  swap('an unknown boot_check', 'defaults:\n', 'defaults:\n  boot_check: ping\n'),
  top('a pair of one host', 'pairs:\n  p: { hosts: [a1], drbd: { resource: r0 } }\n'),
  top('a pair of three hosts', 'pairs:\n  p: { hosts: [a1, a2, a1], drbd: { resource: r0 } }\n'),
  top('a pair of the same host twice', 'pairs:\n  p: { hosts: [a1, a1], drbd: { resource: r0 } }\n'),
  top('a pair with neither drbd nor pacemaker', 'pairs:\n  p: { hosts: [a1, a2] }\n'),
  top('a probe with both a role and a host', 'continuity:\n  probes:\n    - { name: p, run: "true", role: app, host: a1 }\n'),
  top('a probe that says nowhere to run', 'continuity:\n  probes:\n    - { name: p, run: "true" }\n'),
  top('a probe on a role and local', 'continuity:\n  probes:\n    - { name: p, run: "true", role: app, local: true }\n'),
  top('a secret with two sources', 'vars:\n  pw: { secret: true, env: PW, value: x }\n'),
  top('a secret without a source', 'vars:\n  pw: { secret: true }\n'),
  top('a secret whose env is not a variable name', 'vars:\n  pw: { secret: true, env: 1PW }\n'),
  top('a secret whose name is not a variable name', 'vars:\n  "9pw": { secret: true, env: PW }\n'),
  swap('a power key the driver does not take', 'a2: { address: 10.0.0.11,', 'a2: { power: { driver: none, hypervisor: kvm1 }, address: 10.0.0.11,'),
  swap('uri with the qm driver', 'a2: { address: 10.0.0.11,', 'a2: { power: { driver: qm, vm: 101, uri: "qemu:///system" }, address: 10.0.0.11,'),
  top('concurrency 0', 'concurrency: 0\n'),
  swap('version 2', 'version: 1', 'version: 2'),
  swap('gate.min 0', '  db: {}', '  db: { gate: { min: 0 } }'),
  swap('a string where a list goes', 'roles: [app], side: a', 'roles: app, side: a'),
  swap('an unknown role in a host', 'roles: [app], side: a', 'roles: [ap], side: a', REFERENCE),
  swap('a dependency cycle', '  app: {}\n  db: {}', '  app: { requires: [db] }\n  db: { requires: [app] }', 'a cycle runs through several entries'),
  swap('gate.min above the hosts of the role', '  db: {}', '  db: { gate: { min: 2 } }', 'it counts the hosts that carry the role: another part of the file'),
  swap('an unknown hypervisor', 'hypervisor: kvm1 }', 'hypervisor: kvm2 }', REFERENCE),
  top('a duplicate host', 'hosts:\n  a1: { address: 10.0.0.12 }\n', 'a duplicate key is a YAML matter: the parsed data a schema sees has one of them'),
  swap('qm without a numeric VMID', 'driver: virsh, hypervisor: kvm1', 'driver: qm, hypervisor: kvm1', 'power.vm defaults to the host name and may be set in defaults.power or in the host: the merge is the loader\'s'),
  top('a host in two pairs', 'pairs:\n  p: { hosts: [a1, a2], drbd: { resource: r0 } }\n  q: { hosts: [a1, a2], pacemaker: {} }\n', 'it compares pairs with each other'),
  step('an unknown variable', '    - { name: s, run: "echo {{nope}}" }\n', 'whether a variable exists depends on the vars of the topology, the role and each host'),
  step('a step with neither run nor service', '    - name: s\n      timeout: 1m\n'),
  step('a step with both run and service', '    - name: s\n      run: echo\n      service: { systemd: x.service, action: start }\n'),
  step('a step with an unknown key', '    - name: s\n      run: echo\n      retries: 3\n'),
  step('a step timeout in words', '    - name: s\n      run: echo\n      timeout: 5 min\n'),
  step('a service with two managers', '    - name: s\n      service: { systemd: x.service, initd: x, action: start }\n'),
  step('a service without a manager', '    - name: s\n      service: { action: start }\n'),
  step('an action systemd does not know', '    - name: s\n      service: { systemd: x.service, action: grace }\n'),
  step('an action daemontools does not know', '    - name: s\n      service: { daemontools: /service/x, action: reopen }\n'),
  step('an init script verb of two words', '    - name: s\n      service: { initd: x, action: force reload }\n'),
  step('a signal for a systemd service', '    - name: s\n      service: { systemd: x.service, action: stop, signal: QUIT }\n'),
  step('graceful for a pidfile service', '    - name: s\n      service: { pidfile: /run/x.pid, action: stop, graceful: grace }\n'),
  step('a pidfile start without its command', '    - name: s\n      service: { pidfile: /run/x.pid, action: start }\n'),
  step('duplicate step names', '    - { name: s, run: echo 1 }\n    - { name: s, run: echo 2 }\n', 'names unique within a list of mappings: JSON Schema has uniqueItems for whole items only'),
  step('a systemd unit with a shell metacharacter', '    - name: s\n      service: { systemd: "x.service; reboot", action: start }\n', TEMPLATE),
  check('a check without a kind', '    - { name: c, attempts: 3 }\n'),
  check('a check of two kinds', '    - { name: c, run: "true", tcp: { port: 22 } }\n'),
  check('expect on an http check', '    - { name: c, http: { url: "http://x/" }, expect: ok }\n'),
  check('exit on a systemd check', '    - { name: c, systemd: x.service, exit: 3 }\n'),
  check('negative attempts', '    - { name: c, run: "true", attempts: -1 }\n'),
  check('an HTTP status out of range', '    - { name: c, http: { url: "http://x/", status: 700 } }\n'),
  check('an unknown DRBD version', '    - { name: c, drbd: { resource: r0, version: "10" } }\n'),
  check('hazelcast members 0', '    - { name: c, hazelcast: { members: 0 } }\n'),
  check('a mount check without a path', '    - { name: c, mount: { remedy: mount -a } }\n'),
  check('an interval without a unit', '    - { name: c, run: "true", interval: "5" }\n'),
  check('a lower-case HTTP method', '    - { name: c, http: { url: "http://x/", method: get } }\n'),
  check('expect that is not a regular expression', '    - { name: c, run: "true", expect: "(" }\n', 'JSON Schema\'s format "regex" is an annotation: validators need not check it, and ECMA-262 flavours differ'),
  check('a health URL that is not http(s)', '    - { name: c, http: { url: "ftp://x/" } }\n', TEMPLATE),
];

describe('JSON Schemas against orchestrate validate', () => {
  it('every shipped topology passes the loader and the topology schema', () => {
    const files = readdirSync(path.join(ROOT, 'topologies')).filter((f) => f.endsWith('.yaml'));
    expect(files.length).to.be.at.least(5);
    for (const f of files) {
      const file = path.join(ROOT, 'topologies', f);
      const text = readFileSync(file, 'utf8');
      expect(text.split('\n')[0], f).to.equal('# yaml-language-server: $schema=../docs/topology.schema.json');
      expect(topologySchema(data(text)), `${f}: ${ajv.errorsText(topologySchema.errors)}`).to.equal(true);
      const loaded = loadTopology(file, { reader: fileReader, builtinPlaybooks: PLAYBOOKS });
      expect(loaded.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic), f).to.deep.equal([]);
    }
  });

  it('every shipped playbook passes the playbook schema and has its $schema header', () => {
    const files = [
      ...readdirSync(PLAYBOOKS).filter((f) => f.endsWith('.yaml')).map((f) => [f, '../docs'] as const),
      ...readdirSync(path.join(PLAYBOOKS, 'examples')).filter((f) => f.endsWith('.yaml')).map((f) => [`examples/${f}`, '../../docs'] as const),
    ];
    expect(files.length).to.be.at.least(14);
    for (const [f, docs] of files) {
      const text = readFileSync(path.join(PLAYBOOKS, f), 'utf8');
      expect(text.split('\n')[0], f).to.equal(`# yaml-language-server: $schema=${docs}/playbook.schema.json`);
      expect(playbookSchema(data(text)), `${f}: ${ajv.errorsText(playbookSchema.errors)}`).to.equal(true);
    }
  });

  it('the valid base of the cases below passes both', () => {
    expect(loaderErrors({ 't.yaml': TOPOLOGY, 'pb/app.yaml': PLAYBOOK })).to.deep.equal([]);
    expect(topologySchema(data(TOPOLOGY))).to.equal(true);
    expect(playbookSchema(data(PLAYBOOK))).to.equal(true);
  });

  it(`${CASES.length} kinds of invalid file: the loader rejects each, the schema every one it can express`, () => {
    const expressible = CASES.filter((c) => c.cannot === undefined).length;
    expect(CASES.length).to.be.at.least(35);
    const wrong: string[] = [];
    for (const c of CASES) {
      const files = { 't.yaml': c.topology ?? TOPOLOGY, 'pb/app.yaml': c.playbook ?? PLAYBOOK };
      const errors = loaderErrors(files);
      if (errors.length === 0) wrong.push(`${c.what}: the loader accepts it`);
      const valid = c.playbook === undefined ? topologySchema(data(files['t.yaml'])) : playbookSchema(data(files['pb/app.yaml']));
      if (c.cannot === undefined && valid) wrong.push(`${c.what}: the schema accepts it (the loader says ${errors[0] ?? 'nothing'})`);
      if (c.cannot !== undefined && !valid) wrong.push(`${c.what}: listed as one a schema cannot express, but the schema rejects it`);
    }
    expect(wrong).to.deep.equal([]);
    expect(expressible).to.be.at.least(35);
  });

  it('the schemas accept merge keys and x- extension keys', () => {
    const text = `x-ssh: &ssh { user: deploy }\n${TOPOLOGY.replace('{ address: 10.0.0.10,', '{ <<: *ssh, address: 10.0.0.10,')}`;
    expect(topologySchema(data(text)), ajv.errorsText(topologySchema.errors)).to.equal(true);
    expect(playbookSchema(data(`x-note: hi\n${PLAYBOOK.replace('      run: echo start', '      run: echo start\n      x-why: because')}`))).to.equal(true);
  });

  it('the files in docs/ are what npm run schemas writes', () => {
    expect(JSON.parse(readFileSync(path.join(ROOT, 'docs/topology.schema.json'), 'utf8'))).to.deep.equal(topologyJsonSchema());
    expect(JSON.parse(readFileSync(path.join(ROOT, 'docs/playbook.schema.json'), 'utf8'))).to.deep.equal(playbookJsonSchema());
  });
});
