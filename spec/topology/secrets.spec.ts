import { expect } from 'chai';
import { buildGraph } from '../../lib/graph/index.js';
import { buildPlan, planDocument, planFromDocument, type PlanStep } from '../../lib/plan/index.js';
import { formatPlan } from '../../lib/reporters/index.js';
import { loadTopology } from '../../lib/topology/index.js';
import { PLAYBOOKS, problemsOf } from '../support/topologies.js';

const y = (...lines: string[]): string => `${lines.join('\n')}\n`;

const TOPOLOGY = y(
  'name: sec',
  'vars:',
  '  db_user: app',
  '  db_password: { secret: true, env: DB_PASSWORD }',
  '  api_token: { secret: true, file: secrets/token }',
  '  lab_key: { secret: true, value: 12345678 }',
  'defaults: { power: { driver: none }, boot_check: ssh }',
  'roles:',
  '  db:',
  '    up:',
  '      steps:',
  "        - { name: set password, run: \"set-password {{db_user}} '{{db_password}}' {{api_token}}\" }",
  '        - { name: per host, run: "use {{db1_password}} {{lab_key}}" }',
  'hosts:',
  '  db1: { address: 10.0.0.1, roles: [db], vars: { db1_password: "{{secret:db_password}}" } }',
);

function load(text: string) {
  const loaded = loadTopology('/srv/t.yaml', { reader: { read: (f) => (f === '/srv/t.yaml' ? text : undefined) }, builtinPlaybooks: PLAYBOOKS });
  if (!loaded.topology) throw new Error(loaded.diagnostics.map((d) => d.message).join('\n'));
  return loaded.topology;
}

describe('topology: secret variables', () => {
  it('render to {{secret:NAME}} placeholders; the topology keeps where each value is, and plain vars work as before', () => {
    expect(problemsOf(TOPOLOGY)).to.deep.equal([]);
    const topology = load(TOPOLOGY);
    expect(topology.vars).to.include({ db_user: 'app', db_password: '{{secret:db_password}}', api_token: '{{secret:api_token}}' });
    expect([...topology.secrets ?? []]).to.deep.equal([
      ['db_password', { env: 'DB_PASSWORD' }],
      ['api_token', { file: '/srv/secrets/token' }],
      ['lab_key', { value: '12345678', topology: '/srv/t.yaml' }],
    ]);
  });

  it('a plan carries the placeholders and where each secret is read, never a value; its text shows ***', () => {
    const topology = load(TOPOLOGY);
    const graph = buildGraph(topology).graph;
    if (!graph) throw new Error('no graph');
    const plan = buildPlan(topology, graph, 'up');
    const runs = plan.hosts[0]?.steps.filter((s): s is Extract<PlanStep, { kind: 'run' }> => s.kind === 'run').map((s) => s.command);
    expect(runs).to.deep.equal(["set-password app '{{secret:db_password}}' {{secret:api_token}}", 'use {{secret:db_password}} {{secret:lab_key}}']);
    const doc = JSON.stringify(planDocument(plan));
    expect(doc).to.not.include('12345678');
    expect(planDocument(plan).secrets).to.deep.equal([
      { name: 'api_token', file: '/srv/secrets/token' },
      { name: 'db_password', env: 'DB_PASSWORD' },
      { name: 'lab_key', topology: '/srv/t.yaml' },
    ]);
    const back = planFromDocument(JSON.parse(doc));
    expect('error' in back ? back.error : back.secrets).to.deep.equal(planDocument(plan).secrets);
    const text = formatPlan(plan).join('\n');
    expect(text).to.include("set-password app '***' ***").and.include('use *** ***');
    expect(text).to.not.include('{{secret:');
  });

  it('refuses a secret without exactly one source, a bad environment variable name, and unknown {{secret:…}} references', () => {
    const problems = problemsOf(y(
      'vars:',
      '  a: { secret: true }',
      '  b: { secret: true, env: B, file: /b }',
      '  c: { secret: true, env: "not a name" }',
      '  d: { secret: true, value: "" }',
      'roles: { r: {} }',
      'hosts:',
      '  h1: { address: 10.0.0.1, roles: [r], vars: { x: "{{secret:nope}}" } }',
    ));
    expect(problems).to.deep.equal([
      "t.yaml:2:3: secret 'a' needs exactly one of env, file or value",
      "t.yaml:3:3: secret 'b' needs exactly one of env, file or value (it has env and file)",
      "t.yaml:4:27: secret 'c': 'not a name' is not an environment variable name",
      "t.yaml:5:29: secret 'd' is empty",
      "t.yaml:8:51: unknown secret 'nope' (declare it in the topology's vars: nope: { secret: true, env: NAME })",
    ]);
  });

  it('is declared in the topology only: a secret in a host\'s vars is a shape error', () => {
    const problems = problemsOf(y('roles: { r: {} }', 'hosts:', '  h1: { address: 10.0.0.1, roles: [r], vars: { x: { secret: true, env: X } } }'));
    expect(problems.length).to.be.greaterThan(0);
    expect(problems[0]).to.match(/^t\.yaml:3:/);
  });
});
