/**
 * Service steps against a fake transport playing one daemon under each manager (systemd unit
 * webcallserver, init script srs, daemontools /service/acd-tel, pidfile /run/gortc.pid) on a
 * virtual clock that the polls' sleeps move: exact command sequences and messages.
 */
import { expect } from 'chai';
import type { RunEvent } from '../../lib/events/index.js';
import { runPlan } from '../../lib/execution/index.js';
import { createRun } from '../../lib/execution/run-plan.js';
import { runService } from '../../lib/execution/service-step.js';
import { buildPlan, checkPlanOf } from '../../lib/plan/index.js';
import type { CommandResult } from '../../lib/transport/index.js';
import { FakeTransport, instant } from '../support/fake-transport.js';
import { loadValid } from '../support/topologies.js';

type Reply = Partial<CommandResult>;

/** One daemon: stops `graceMs` after a graceful request and `termMs` after TERM (Infinity: ignores it). */
class Daemon {
  pid = 0;
  since = 0;
  stopAt = Infinity;
  starts = 0;
  readonly sent: string[] = [];
  constructor(readonly now: () => number, readonly o: { graceMs?: number; termMs?: number; failStarts?: number; healthyFrom?: number; warmMs?: number; burst?: number } = {}) {}
  get running(): boolean {
    if (this.pid !== 0 && this.now() >= this.stopAt) Object.assign(this, { pid: 0, since: this.stopAt, stopAt: Infinity });
    return this.pid !== 0;
  }
  start(): boolean {
    this.starts++;
    if (this.starts <= (this.o.failStarts ?? 0)) return false;
    if (!this.running) Object.assign(this, { pid: 100 + this.starts, since: this.now(), stopAt: Infinity });
    return true;
  }
  ask(kind: 'graceful' | 'term' | 'kill'): void {
    this.sent.push(kind);
    const ms = kind === 'kill' ? 0 : kind === 'graceful' ? (this.o.graceMs ?? 0) : (this.o.termMs ?? 0);
    if (ms !== Infinity) this.stopAt = Math.min(this.stopAt, this.now() + ms);
  }
  get healthy(): boolean {
    return this.running && this.starts >= (this.o.healthyFrom ?? 1) && this.now() - this.since >= (this.o.warmMs ?? 0);
  }
}

const [ok, exit] = [(stdout = ''): Reply => ({ exitCode: 0, stdout }), (exitCode: number, stdout = '', stderr = ''): Reply => ({ exitCode, stdout, stderr })];
const started = (d: Daemon): Reply => (d.start() ? ok() : exit(1, '', 'failed to start\n'));
const SIGNAL_KIND: Record<string, 'graceful' | 'term' | 'kill'> = { QUIT: 'graceful', INT: 'graceful', TERM: 'term', KILL: 'kill' };

/** The answers of systemctl, /etc/init.d/srs, svc/svstat, pgrep/pkill and curl for the daemon. */
function answer(d: Daemon, c: string, advance: (ms: number) => void): Reply | undefined {
  const secs = (): number => Math.floor((d.now() - d.since) / 1000);
  const unit = /^systemctl (is-active|start|stop|restart|reload|reset-failed|kill -s KILL|show -p StartLimitBurst) webcallserver$/.exec(c)?.[1];
  const srs = /^\/etc\/init\.d\/srs (\w+)$/.exec(c)?.[1];
  const svc = /^svc (-\w) \/service\/acd-tel$/.exec(c)?.[1];
  const sig = /^pkill -(\w+) -F (\/run\/gortc\.pid|\/usr\/local\/srs\/objs\/srs\.pid)$/.exec(c)?.[1];
  if (unit === 'is-active') return d.running ? ok('active\n') : exit(3, 'inactive\n');
  if (unit === 'start' || c === 'gortc -d' || srs === 'start' || svc === '-u') return started(d);
  if (unit === 'restart' || srs === 'restart') return (d.ask('kill'), started(d));
  if (unit === 'stop') return d.o.graceMs === Infinity ? { outcome: 'timed-out', exitCode: null, killed: true } : (advance(d.o.graceMs ?? 0), d.ask('kill'), ok());
  if (unit === 'kill -s KILL' || svc === '-k') return (d.ask('kill'), ok());
  if (unit === 'show -p StartLimitBurst') return ok(`StartLimitBurst=${d.o.burst ?? 5}\n`);
  if (unit === 'reload' || unit === 'reset-failed' || srs === 'reload' || srs === 'rotate' || svc === '-h') return ok();
  if (srs === 'status') return d.running ? ok(`SRS(pid ${d.pid}) is running.\n`) : exit(1, 'SRS is stopped\n');
  if (srs === 'grace' || svc === '-d') return (d.ask('graceful'), ok());
  if (c === 'svstat /service/acd-tel') return ok(`/service/acd-tel: ${d.running ? `up (pid ${d.pid}) ${secs()} seconds` : `down ${secs()} seconds, normally up`}\n`);
  if (c === 'pgrep -F /run/gortc.pid') return d.running ? ok(`${d.pid}\n`) : exit(1);
  if (sig !== undefined) return d.running ? (SIGNAL_KIND[sig] ? d.ask(SIGNAL_KIND[sig]) : d.sent.push(sig), ok()) : exit(1);
  if (c.startsWith('curl ')) return d.healthy ? ok('ok\n200') : ok('unavailable\n503');
  return /^(rm -f|touch) \/service\/acd-tel\/down$/.test(c) ? ok() : undefined;
}

const HEALTH = { http: { url: 'http://127.0.0.1:8081/health-check' }, attempts: 3 };
const CURL = "curl -sS --max-time 10 -w '\\n%{http_code}' http://127.0.0.1:8081/health-check";

/** Runs one service step (with the daemon in `d`) on a virtual clock; what it ran and said. */
async function step(service: object, o: ConstructorParameters<typeof Daemon>[1] & { running?: boolean; abortOn?: RegExp } = {}) {
  let now = 0;
  const d = new Daemon(() => now, o);
  if (o.running === true) d.start();
  now = 3000;
  const yaml = [
    'defaults: { power: { driver: virsh, hypervisor: kvm } }',
    'hypervisors: { kvm: { address: 10.0.0.254 } }',
    `roles: { app: { up: { steps: [{ name: svc, timeout: 5s, service: ${JSON.stringify(service)} }] } } }`,
    'hosts: { h1: { address: 10.0.0.1, roles: [app] } }', '',
  ].join('\n');
  const { topology, graph } = loadValid('s.yaml', { 's.yaml': yaml });
  const host = buildPlan(topology, graph, 'up').hosts[0];
  const planned = host?.steps.find((s) => s.kind === 'service');
  if (!host || planned?.kind !== 'service') throw new Error('no service step');
  const t = new FakeTransport();
  const abort = new AbortController();
  t.override = (c) => {
    if (o.abortOn?.test(c.command) === true) abort.abort(new Error('cancelled'));
    return answer(d, c.command, (ms) => (now += ms)) ?? { exitCode: 127, stderr: `unknown: ${c.command}` };
  };
  const events: RunEvent[] = [];
  const sleep = (ms: number, signal: AbortSignal): Promise<void> => (signal.aborted ? Promise.reject(new Error('cancelled')) : ((now += ms), Promise.resolve()));
  const { ctx } = createRun(checkPlanOf(topology), { transport: t, listeners: [(e) => events.push(e)], signal: abort.signal, clock: { now: () => now, wallTime: () => new Date(now) }, sleep });
  const outcome = await runService(ctx, host, planned);
  const warnings = events.flatMap((e) => (e.type === 'warning' ? [e.message] : []));
  return { status: outcome.status, message: outcome.message, command: outcome.command, commands: t.commandsOn('h1'), warnings, d, planned };
}

const times = (n: number, command: string): string[] => Array.from({ length: n }, () => command);

/**
 * The commands with repeated polls collapsed: how often a state is polled is the poll's backoff
 * (spec/execution/poll.spec.ts), not the service's semantics.
 */
const runs = (commands: readonly string[]): string[] => commands.filter((c, i) => c !== commands[i - 1]);

describe('service steps: systemd', () => {
  const unit = { systemd: 'webcallserver' };
  it('start: systemctl start, is-active, then the health check until it passes', async () => {
    const r = await step({ ...unit, action: 'start', health: HEALTH }, { warmMs: 2000 });
    expect(runs(r.commands)).to.deep.equal(runs(['systemctl is-active webcallserver', 'systemctl start webcallserver', 'systemctl is-active webcallserver', CURL, CURL, CURL]));
    expect([r.status, r.message]).to.deep.equal(['passed', 'started; health passed: HTTP 200 (attempt 3)']);
  });

  it('start of a running unit whose health passes: "already running", nothing started', async () => {
    const r = await step({ ...unit, action: 'start', health: HEALTH }, { running: true });
    expect(r.commands).to.deep.equal(['systemctl is-active webcallserver', CURL]);
    expect(r.message).to.equal('already running; health passed: HTTP 200');
  });

  it('stop: graceful when systemctl stop returns within the grace', async () => {
    const r = await step({ ...unit, action: 'stop', grace: '5s' }, { running: true, graceMs: 400 });
    expect(r.commands).to.deep.equal(['systemctl is-active webcallserver', 'systemctl stop webcallserver', 'systemctl is-active webcallserver']);
    expect([r.status, r.message]).to.deep.equal(['passed', 'stopped gracefully (systemctl stop) in 0.4s']);
  });

  it('stop: forced with systemctl kill -s KILL when systemctl stop outlasts the grace; already stopped passes', async () => {
    const r = await step({ ...unit, action: 'stop', grace: '3s' }, { running: true, graceMs: Infinity });
    expect(r.commands).to.deep.equal(['systemctl is-active webcallserver', 'systemctl stop webcallserver', 'systemctl kill -s KILL webcallserver', 'systemctl is-active webcallserver']);
    expect(r.message).to.equal('did not stop within 3s after systemctl stop; forced: systemctl kill -s KILL');
    expect(r.warnings).to.deep.equal(['svc: did not stop within 3s after systemctl stop; forcing: systemctl kill -s KILL webcallserver']);
    const again = await step({ ...unit, action: 'stop' });
    expect([again.status, again.message, again.commands]).to.deep.equal(['passed', 'already stopped (inactive)', ['systemctl is-active webcallserver']]);
  });

  it('reload and status', async () => {
    const r = await step({ ...unit, action: 'reload' }, { running: true });
    expect([r.commands, r.message]).to.deep.equal([['systemctl reload webcallserver'], 'reloaded (systemctl reload)']);
    const s = await step({ ...unit, action: 'status' });
    expect([s.status, s.message, s.command]).to.deep.equal(['failed', 'not running: inactive', 'systemctl is-active webcallserver']);
  });

  it('restart policy: reset-failed and restart between attempts, the failures listed', async () => {
    const r = await step({ ...unit, action: 'start', health: { ...HEALTH, attempts: 2 }, restart: { attempts: 3 } }, { healthyFrom: 3 });
    const retry = ['systemctl reset-failed webcallserver', 'systemctl restart webcallserver', 'systemctl is-active webcallserver'];
    expect(runs(r.commands)).to.deep.equal(runs([
      'systemctl is-active webcallserver', 'systemctl show -p StartLimitBurst webcallserver',
      'systemctl start webcallserver', 'systemctl is-active webcallserver', CURL, CURL, ...retry, CURL, CURL, ...retry, CURL,
    ]));
    const failed = 'health still failing after 2 attempts: HTTP 503: unavailable (wanted 200)';
    expect(r.message).to.equal(`started on attempt 3 of 3; health passed: HTTP 200 (attempt 1: ${failed}; attempt 2: ${failed})`);
    expect(r.warnings).to.deep.equal([`svc: attempt 1 failed (${failed}); 2 more allowed, trying again`, `svc: attempt 2 failed (${failed}); 1 more allowed, trying again`]);
  });

  it('a failed systemctl start counts as an attempt', async () => {
    const r = await step({ ...unit, action: 'start', restart: { attempts: 2 } }, { failStarts: 1 });
    expect(r.message).to.equal('started on attempt 2 of 2; active (attempt 1: systemctl start webcallserver: exit 1)');
    const once = await step({ ...unit, action: 'start' }, { failStarts: 1 });
    expect([once.status, once.message, once.command]).to.deep.equal(['failed', 'systemctl start webcallserver: exit 1', 'systemctl start webcallserver']);
  });

  it('caps the attempts one below StartLimitBurst, with a warning, and names the deciding command', async () => {
    const r = await step({ ...unit, action: 'start', health: { ...HEALTH, attempts: 1 }, restart: { attempts: 5 } }, { burst: 3, healthyFrom: 99 });
    expect(r.commands.filter((c) => c.startsWith('systemctl start') || c.startsWith('systemctl restart'))).to.deep.equal(['systemctl start webcallserver', 'systemctl restart webcallserver']);
    expect(r.warnings[0]).to.equal('svc: webcallserver has StartLimitBurst=3 (systemd refuses more starts within its StartLimitIntervalSec): at most 2 start attempts instead of 5');
    const failed = 'health still failing after 1 attempt: HTTP 503: unavailable (wanted 200)';
    expect([r.status, r.message, r.command]).to.deep.equal(['failed', `did not start in 2 attempts (attempt 1: ${failed}; attempt 2: ${failed})`, CURL]);
  });

  it('the count starts again when failures are further apart than the window', async () => {
    // Each failed attempt takes 9 s (10 health attempts, 1 s apart).
    const spec = { ...unit, action: 'start', health: { ...HEALTH, attempts: 10 }, restart: { attempts: 2, window: '5s' } };
    const wide = await step(spec, { healthyFrom: 4 });
    expect(wide.message).to.match(/^started on attempt 4; health passed: HTTP 200 \(attempt 1: .*; attempt 2: .*; attempt 3: .*\)$/);
    const narrow = await step({ ...spec, restart: { attempts: 2, window: '2m' } }, { healthyFrom: 4 });
    expect([narrow.status, narrow.d.starts]).to.deep.equal(['failed', 2]);
  });

  it('a running unit that fails its health check is a failed first attempt', async () => {
    const r = await step({ ...unit, action: 'start', health: { ...HEALTH, attempts: 1 }, restart: { attempts: 2 } }, { running: true, healthyFrom: 2 });
    expect(r.commands.slice(0, 4)).to.deep.equal(['systemctl is-active webcallserver', CURL, 'systemctl show -p StartLimitBurst webcallserver', 'systemctl reset-failed webcallserver']);
    expect(r.message).to.equal('started on attempt 2 of 2; health passed: HTTP 200 (attempt 1: already running, but health still failing after 1 attempt: HTTP 503: unavailable (wanted 200))');
  });
});

describe('service steps: init.d (SRS)', () => {
  const srs = { initd: 'srs', graceful: 'grace', kill_pidfile: '/usr/local/srs/objs/srs.pid' };
  it('start: start, then status exit 0', async () => {
    const r = await step({ initd: 'srs', action: 'start' });
    expect(r.commands).to.deep.equal(['/etc/init.d/srs status', '/etc/init.d/srs start', '/etc/init.d/srs status']);
    expect(r.message).to.equal('started; SRS(pid 101) is running. (status exit 0)');
  });

  it('stop: the graceful verb, then status until it says stopped', async () => {
    const r = await step({ ...srs, action: 'stop', grace: '5s' }, { running: true, graceMs: 1500 });
    expect(runs(r.commands)).to.deep.equal(runs(['/etc/init.d/srs status', '/etc/init.d/srs grace', ...times(4, '/etc/init.d/srs status')]));
    expect(r.message).to.equal('stopped gracefully (/etc/init.d/srs grace) in 1.6s');
  });

  it('stop: KILL to the kill_pidfile after the grace; without one the stop fails', async () => {
    const r = await step({ ...srs, action: 'stop', grace: '2s' }, { running: true, graceMs: Infinity });
    expect(runs(r.commands)).to.deep.equal(runs([
      '/etc/init.d/srs status', '/etc/init.d/srs grace', ...times(5, '/etc/init.d/srs status'), 'pkill -KILL -F /usr/local/srs/objs/srs.pid', '/etc/init.d/srs status',
    ]));
    expect(r.message).to.equal('did not stop within 2s after /etc/init.d/srs grace; forced: KILL to the pid in /usr/local/srs/objs/srs.pid');
    const none = await step({ initd: 'srs', graceful: 'grace', action: 'stop', grace: '2s' }, { running: true, graceMs: Infinity });
    expect([none.status, none.command]).to.deep.equal(['failed', '/etc/init.d/srs status']);
    expect(none.message).to.equal('did not stop within 2s after /etc/init.d/srs grace, and there is no kill_pidfile to force it with: SRS(pid 101) is running. (status exit 0)');
  });

  it('reload and the script\'s own verbs (rotate)', async () => {
    expect((await step({ initd: 'srs', action: 'reload' })).message).to.equal('reloaded (/etc/init.d/srs reload)');
    const r = await step({ initd: 'srs', action: 'rotate' });
    expect([r.commands, r.message]).to.deep.equal([['/etc/init.d/srs rotate'], 'ran /etc/init.d/srs rotate']);
  });
});

describe('service steps: daemontools', () => {
  const dir = { daemontools: '/service/acd-tel' };
  it('start: svc -u, then svstat until up for a second', async () => {
    const r = await step({ ...dir, action: 'start' });
    expect(runs(r.commands)).to.deep.equal(runs(['svstat /service/acd-tel', 'svc -u /service/acd-tel', ...times(3, 'svstat /service/acd-tel')]));
    expect(r.message).to.equal('started; up (pid 101) 1 seconds');
  });

  it('stop: svc -d, svstat until down; forced with svc -k after the grace', async () => {
    const graceful = await step({ ...dir, action: 'stop', grace: '5s' }, { running: true, graceMs: 400 });
    expect(runs(graceful.commands)).to.deep.equal(runs(['svstat /service/acd-tel', 'svc -d /service/acd-tel', 'svstat /service/acd-tel', 'svstat /service/acd-tel']));
    expect(graceful.message).to.equal('stopped gracefully (svc -d) in 0.4s');
    const forced = await step({ ...dir, action: 'stop', grace: '1s' }, { running: true, graceMs: Infinity });
    expect(runs(forced.commands)).to.deep.equal(runs(['svstat /service/acd-tel', 'svc -d /service/acd-tel', ...times(3, 'svstat /service/acd-tel'), 'svc -k /service/acd-tel', 'svstat /service/acd-tel']));
    expect(forced.message).to.equal('did not stop within 1s after svc -d; forced: svc -k');
  });

  it('reload (svc -h), enable and disable (the down file), status', async () => {
    expect((await step({ ...dir, action: 'reload' })).commands).to.deep.equal(['svc -h /service/acd-tel']);
    expect((await step({ ...dir, action: 'enable' })).commands).to.deep.equal(['rm -f /service/acd-tel/down']);
    expect((await step({ ...dir, action: 'disable' })).commands).to.deep.equal(['touch /service/acd-tel/down']);
    const s = await step({ ...dir, action: 'status' }, { running: true });
    expect([s.status, s.message]).to.deep.equal(['passed', 'running: up (pid 101) 3 seconds']);
  });
});

describe('service steps: signals to a pidfile (gortc)', () => {
  const gortc = { pidfile: '/run/gortc.pid', command: 'gortc -d', signal: 'INT', grace: '5s' };
  it('start: the command, then pgrep; restart: the stop, then the start', async () => {
    const r = await step({ ...gortc, action: 'start' });
    expect([runs(r.commands), r.message]).to.deep.equal([['pgrep -F /run/gortc.pid', 'gortc -d', 'pgrep -F /run/gortc.pid'], 'started; running (pid 101)']);
    const re = await step({ ...gortc, action: 'restart' }, { running: true, graceMs: 300 });
    expect(runs(re.commands)).to.deep.equal(runs(['pgrep -F /run/gortc.pid', 'pkill -INT -F /run/gortc.pid', 'pgrep -F /run/gortc.pid', 'pgrep -F /run/gortc.pid', 'gortc -d', 'pgrep -F /run/gortc.pid']));
    expect(re.message).to.equal('restarted: stopped gracefully (INT) in 0.3s; running (pid 102)');
  });

  it('stop: INT, then TERM, then KILL, each given its time', async () => {
    const r = await step({ ...gortc, action: 'stop' }, { running: true, graceMs: Infinity, termMs: Infinity });
    expect(r.commands.filter((c) => !c.startsWith('pgrep'))).to.deep.equal(['pkill -INT -F /run/gortc.pid', 'pkill -TERM -F /run/gortc.pid', 'pkill -KILL -F /run/gortc.pid']);
    expect(runs(r.commands)).to.deep.equal(['pgrep -F /run/gortc.pid', 'pkill -INT -F /run/gortc.pid', 'pgrep -F /run/gortc.pid', 'pkill -TERM -F /run/gortc.pid', 'pgrep -F /run/gortc.pid', 'pkill -KILL -F /run/gortc.pid', 'pgrep -F /run/gortc.pid']);
    expect(r.message).to.equal('did not stop within 5s after INT; forced: TERM, then KILL');
    expect(r.warnings).to.deep.equal(['svc: did not stop within 5s after INT; forcing: pkill -TERM -F /run/gortc.pid', 'svc: still running 5s after TERM; forcing: pkill -KILL -F /run/gortc.pid']);
    const term = await step({ ...gortc, action: 'stop' }, { running: true, graceMs: Infinity, termMs: 1000 });
    expect(term.message).to.equal('did not stop within 5s after INT; forced: TERM');
    // A grace shorter than 5 s is also what each forcing stage gets.
    const short = await step({ ...gortc, action: 'stop', grace: '2s' }, { running: true, graceMs: Infinity, termMs: Infinity });
    expect([runs(short.commands).length, short.warnings[1]]).to.deep.equal([7, 'svc: still running 2s after TERM; forcing: pkill -KILL -F /run/gortc.pid']);
  });

  it('reload (HUP) and reopen (USR1); a signal to nothing fails', async () => {
    const r = await step({ ...gortc, action: 'reload' }, { running: true });
    expect([r.commands, r.message, r.d.sent]).to.deep.equal([['pkill -HUP -F /run/gortc.pid'], 'reloaded: sent HUP to the pid in /run/gortc.pid', ['HUP']]);
    expect((await step({ ...gortc, action: 'reopen' }, { running: true })).d.sent).to.deep.equal(['USR1']);
    const none = await step({ ...gortc, action: 'reload' });
    expect([none.status, none.message]).to.deep.equal(['failed', 'pkill -HUP -F /run/gortc.pid: exit 1']);
  });
});

describe('service steps: cancel and the plan', () => {
  it('a cancel during a stop or a health check ends the step at once, cancelled', async () => {
    const stop = await step({ pidfile: '/run/gortc.pid', action: 'stop' }, { running: true, graceMs: Infinity, abortOn: /^pkill -QUIT/ });
    expect([stop.status, stop.commands]).to.deep.equal(['cancelled', ['pgrep -F /run/gortc.pid', 'pkill -QUIT -F /run/gortc.pid']]);
    const start = await step({ systemd: 'webcallserver', action: 'start', health: HEALTH }, { warmMs: 9000, abortOn: /^curl/ });
    expect([start.status, start.message, start.commands.at(-1)]).to.deep.equal(['cancelled', 'cancelled', CURL]);
  });

  it('the plan shows the action\'s command with its grace, health and attempts; a run reports the step\'s message', async () => {
    const { planned } = await step({ systemd: 'webcallserver', action: 'start', health: { name: 'hc', ...HEALTH }, restart: { attempts: 5 } }, { running: true });
    expect(planned.command).to.equal('systemctl start webcallserver  # health: hc  # up to 5 attempts');
    const yaml = 'roles: { app: { up: { steps: [{ name: web, service: { systemd: webcallserver, action: start } }] } } }\nhosts: { h1: { address: 10.0.0.1, roles: [app] } }\n';
    const { topology, graph } = loadValid('r.yaml', { 'r.yaml': yaml });
    const t = new FakeTransport();
    t.on.add('h1');
    t.override = (c) => (c.command === 'systemctl is-active webcallserver' ? exit(3, 'failed\n') : c.command === 'systemctl start webcallserver' ? exit(1, '', 'Job for webcallserver.service failed.\n') : undefined);
    const summary = await runPlan(buildPlan(topology, graph, 'up'), { transport: t, listeners: [], signal: new AbortController().signal, sleep: instant });
    expect(summary.failures).to.deep.equal([{
      host: 'h1', step: 'h1/app/web', name: 'web', target: 'h1', command: 'systemctl start webcallserver', exitCode: 1,
      reason: 'systemctl start webcallserver: exit 1', outputTail: 'Job for webcallserver.service failed.',
    }]);
  });
});
