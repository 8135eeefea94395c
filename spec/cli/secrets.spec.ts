import { expect } from 'chai';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { main } from '../../lib/cli/main.js';
import { absoluteSecrets, fleetSecrets, readSecret } from '../../lib/cli/secrets.js';
import type { SimulatedSshHost } from '../../lib/fleet/ssh-host.js';
import { createFleetLog } from '../../lib/fleet/log.js';
import { NO_COLOURS } from '../../lib/reporters/index.js';
import { Secrets } from '../../lib/util/secrets.js';
import { SshFixture } from '../support/ssh-fixture.js';
import { loadValid } from '../support/topologies.js';

const PASSWORD = 'pw-Sekr1t!42';
const TOKEN = 'tok-0a1b2c3d4e';

/** Every file below `dir`, recursively. */
function filesBelow(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => path.join(dir, f)).filter((f) => statSync(f).isFile());
}

describe('secrets: used by commands on the hosts, never shown or written', function () {
  this.timeout(30_000);
  let fx: SshFixture;
  let db1: SimulatedSshHost;
  const received: string[] = [];
  let topology: string;
  const printed: string[] = [];

  async function cli(env: Record<string, string>, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l), style: NO_COLOURS, errStyle: NO_COLOURS, env, cwd: fx.dir };
    const code = await main(['--state-dir', path.join(fx.dir, 'state'), ...args], io, new AbortController().signal);
    printed.push(...out, ...err);
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  before(async () => {
    fx = new SshFixture();
    // The host echoes what it got: its output carries the values back, once in pieces.
    db1 = await fx.host('db1', async (x) => {
      received.push(x.command);
      if (x.command.startsWith('set-password ')) x.write('stdout', `password set to ${PASSWORD} with ${TOKEN}\n`);
      if (x.command.startsWith('check-pw ')) {
        x.write('stdout', `rejected ${PASSWORD}\n`);
        return { code: 1 };
      }
      if (x.command.startsWith('leak ')) {
        x.write('stderr', `denied: ${PASSWORD.slice(0, 5)}`);
        x.write('stderr', `${PASSWORD.slice(5)} is wrong\n`);
        return { code: 1 };
      }
      return { code: 0 };
    });
    writeFileSync(path.join(fx.dir, 'token'), `${TOKEN}\n`, { mode: 0o600 });
    topology = path.join(fx.dir, 't.yaml');
    writeFileSync(topology, [
      'name: sec',
      'vars:',
      '  db_password: { secret: true, env: DB_PASSWORD }',
      '  api_token: { secret: true, file: token }',
      `defaults: { user: tester, identity: ${fx.identity}, known_hosts: ${fx.knownHosts}, agent: false, power: { driver: none }, boot_check: ssh }`,
      'roles:',
      '  db:',
      '    up:',
      '      steps:',
      `        - { name: set password, run: "set-password '{{db_password}}' {{api_token}}" }`,
      '        - { name: leaky, run: "leak {{db_password}}" }',
      '      checks:',
      '        - { name: pw check, run: "check-pw {{db_password}}", expect: accepted }',
      'hosts:',
      `  db1: { address: ${db1.address}, port: ${db1.port}, roles: [db] }`,
      '',
    ].join('\n'));
  });
  after(async () => {
    await fx.close();
  });

  it('plan shows *** in text, keeps {{secret:NAME}} placeholders and where each is read in the document; reads no value', async () => {
    const text = await cli({}, 'plan', 't.yaml');
    expect(text.code, text.err).to.equal(0);
    expect(text.out).to.include("set-password '***' ***").and.include('leak ***');
    const json = await cli({}, 'plan', 't.yaml', '--json');
    const doc = JSON.parse(json.out) as { secrets: unknown; hosts: { steps: { command?: string }[] }[] };
    expect(doc.secrets).to.deep.equal([{ name: 'api_token', file: path.join(fx.dir, 'token') }, { name: 'db_password', env: 'DB_PASSWORD' }]);
    expect(doc.hosts[0]?.steps.map((s) => s.command)).to.include("set-password '{{secret:db_password}}' {{secret:api_token}}");
  });

  it('a run without the environment variable is refused before anything runs', async () => {
    const r = await cli({}, 'up', 't.yaml');
    expect(r.code).to.equal(2);
    expect(r.err).to.include('secret db_password: the environment variable DB_PASSWORD is not set');
    expect(received).to.deep.equal([]);
  });

  it('up sends the real values; the text reporter, --json events, the journal and the saved plan show ***', async () => {
    const env = { DB_PASSWORD: PASSWORD };
    const text = await cli(env, 'up', 't.yaml', '-v');
    expect(text.code).to.equal(1);
    expect(received).to.include(`set-password '${PASSWORD}' ${TOKEN}`).and.include(`leak ${PASSWORD}`);
    expect(text.out).to.include('password set to *** with ***').and.include('denied: *** is wrong').and.include('leak ***');
    const json = await cli(env, 'up', 't.yaml', '--json');
    const events = json.out.split('\n').map((l) => JSON.parse(l) as { type: string; command?: string; text?: string; outputTail?: string });
    expect(events.filter((e) => e.type === 'step-started').map((e) => e.command)).to.include("set-password '***' ***");
    expect(events.filter((e) => e.type === 'step-output').map((e) => e.text).join('')).to.include('password set to *** with ***').and.include('denied: *** is wrong');
    expect(events.find((e) => e.type === 'step-finished' && e.command === 'leak ***')?.outputTail).to.equal('denied: *** is wrong');
  });

  it('plan -o and apply: the saved plan holds placeholders; apply reads the values again and sends them', async () => {
    const saved = await cli({}, 'plan', 't.yaml', '-o', 'plan.json');
    expect(saved.code).to.equal(0);
    expect(readFileSync(path.join(fx.dir, 'plan.json'), 'utf8')).to.include('{{secret:db_password}}');
    expect(statSync(path.join(fx.dir, 'plan.json')).mode & 0o777).to.equal(0o644);
    const without = await cli({}, 'apply', 'plan.json');
    expect(without.code).to.equal(2);
    const before = received.length;
    const applied = await cli({ DB_PASSWORD: PASSWORD }, 'apply', 'plan.json');
    expect(applied.code).to.equal(1);
    expect(received.slice(before)).to.include(`set-password '${PASSWORD}' ${TOKEN}`);
    expect(applied.out).to.include('leak ***');
  });

  it('resume reads the values again from where the saved run plan says', async () => {
    expect((await cli({}, 'resume')).code).to.equal(2);
    const before = received.length;
    const resumed = await cli({ DB_PASSWORD: PASSWORD }, 'resume');
    expect(resumed.code, resumed.err).to.equal(1);
    expect(received.slice(before)).to.include(`leak ${PASSWORD}`);
  });

  it('check: the check gets the value; its table and JSON show ***', async () => {
    const before = received.length;
    const table = await cli({ DB_PASSWORD: PASSWORD }, 'check', 't.yaml');
    expect(table.code).to.equal(1);
    expect(received.slice(before)).to.include(`check-pw ${PASSWORD}`);
    expect(table.out).to.match(/db1 +db\/pw check +FAIL/);
    const json = await cli({ DB_PASSWORD: PASSWORD }, 'check', 't.yaml', '--json');
    const doc = JSON.parse(json.out.split('\n').pop() ?? '') as { results: { check: string; observed: string }[] };
    expect(doc.results.find((r) => r.check === 'db/pw check')?.observed).to.include('***');
  });

  it('no value is in anything printed, nor in any file orchestrate wrote', () => {
    const all = printed.join('\n');
    expect(all).to.not.include(PASSWORD).and.not.include(TOKEN);
    const written = filesBelow(fx.dir).filter((f) => f !== path.join(fx.dir, 'token'));
    expect(written.some((f) => f.endsWith('.jsonl')), 'journals were written').to.equal(true);
    expect(written.some((f) => f.endsWith('.plan.json')), 'run plans were saved').to.equal(true);
    for (const f of written) expect(readFileSync(f, 'utf8'), f).to.not.include(PASSWORD).and.not.include(TOKEN);
    for (const f of written.filter((x) => x.includes(`${path.sep}runs${path.sep}`))) expect(statSync(f).mode & 0o777, f).to.equal(0o600);
  });

  it('a value written in the topology is read again from the topology file; a file secret loses one trailing newline', () => {
    const file = path.join(fx.dir, 'inline.yaml');
    writeFileSync(file, 'name: inline\nvars:\n  lab_key: { secret: true, value: k3y-in-file }\nroles: {}\nhosts: {}\n', { mode: 0o600 });
    const io = { out: () => undefined, err: () => undefined, style: NO_COLOURS, errStyle: NO_COLOURS, env: {}, cwd: fx.dir };
    expect(readSecret({ name: 'lab_key', topology: file }, io, new Map())).to.equal('k3y-in-file');
    expect(readSecret({ name: 'other', topology: file }, io, new Map())).to.deep.equal({ problem: `${file} no longer gives it a value` });
    expect(readSecret({ name: 'api_token', file: 'token' }, io, new Map())).to.equal(TOKEN);
    expect(readSecret({ name: 'x', env: 'NOPE' }, io, new Map())).to.deep.equal({ problem: 'the environment variable NOPE is not set' });
  });

  it('fleet up masks the secrets it can read, and says which it cannot', () => {
    const errs: string[] = [];
    const io = { out: () => undefined, err: (l: string) => errs.push(l), style: NO_COLOURS, errStyle: NO_COLOURS, env: {}, cwd: fx.dir };
    const known = fleetSecrets(absoluteSecrets(loadValid(topology).topology, fx.dir), io);
    expect(known?.mask(`x ${TOKEN} ${PASSWORD}`)).to.equal(`x *** ${PASSWORD}`);
    expect(errs).to.deep.equal(["note: secret db_password cannot be masked in the fleet's events.jsonl (the environment variable DB_PASSWORD is not set): give the fleet the same environment as the runs"]);
  });

  it("the simulated fleet's event log masks the secrets it knows", () => {
    const file = path.join(fx.dir, 'events.jsonl');
    const log = createFleetLog({ file, secrets: new Secrets(new Map([['db_password', PASSWORD]])) });
    log.write({ type: 'command', host: 'db1', id: 1, command: `mysql -p'${PASSWORD}'` });
    log.flush();
    expect(log.events[0]).to.include({ command: "mysql -p'***'" });
    expect(readFileSync(file, 'utf8')).to.include("mysql -p'***'").and.not.include(PASSWORD);
  });
});
