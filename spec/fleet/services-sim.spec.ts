import { expect } from 'chai';
import { parseFault, type Fault } from '../../lib/fleet/index.js';
import type { FleetEvent } from '../../lib/fleet/log.js';
import { ServicesModel, type SimService } from '../../lib/fleet/models/services.js';
import type { SimVm } from '../../lib/fleet/vm.js';
import { parseSvstat } from '../../lib/services/index.js';
import { fleetShell, testFleet, waitUntil, type FleetShell, type Outcome, type TestFleet } from '../support/fleet.js';

/** One service of each manager, each with a health check; svc3 is a second host of the systemd service. */
const YAML = `
version: 1
name: services-sim
playbooks: ../playbooks
roles:
  rest:
    up: { steps: [{ name: start rest, service: { systemd: acd-rest, action: start, health: { http: { url: 'http://127.0.0.1:8081/health-check' } } } }] }
    down: { steps: [{ name: stop rest, service: { systemd: acd-rest, action: stop } }] }
  media:
    up: { steps: [{ name: start srs, service: { initd: srs, action: start, health: { tcp: { port: 1935 } } } }] }
    down: { steps: [{ name: stop srs, service: { initd: srs, action: stop, graceful: grace, kill_pidfile: /usr/local/srs/objs/srs.pid } }] }
  sup:
    up: { steps: [{ name: start tel, service: { daemontools: /service/acd-tel, action: start, health: { http: { url: 'http://{{address}}:8090/status' } } } }] }
  turn:
    up: { steps: [{ name: start gortc, service: { pidfile: /run/gortc.pid, action: start, command: /opt/gortc/bin/gortc -d -pidfile /run/gortc.pid, health: { tcp: { port: 3478 } } } }] }
    failover: { steps: [{ name: stop gortc, service: { pidfile: /run/gortc.pid, action: stop } }] }
  db-master: {}
  db-slave: { requires: [db-master] }
hosts:
  svc1: { address: 10.30.0.11, roles: [rest, media, db-master] }
  svc2: { address: 10.30.0.12, roles: [sup, turn, db-slave] }
  svc3: { address: 10.30.0.13, roles: [rest] }
`;

const SCALE = 0.02;
const FILE = { defaults: { boot: '2s', settle: '1s', shutdown: '2s', unit_start: '500ms', connect_retry: '2s' } };
const CURL = (url: string): string => `curl -sS --max-time 10 -w '\\n%{http_code}' ${url}`;
const TCP = (host: string, port: number): string => `bash -c '</dev/tcp/${host}/${port}'`;
const REFUSED = (host: string, port: number): string => `bash: connect: Connection refused\nbash: /dev/tcp/${host}/${port}: Connection refused\n`;
const LIMIT = 'Job for acd-rest.service failed because start of the service was attempted too often.\nSee "systemctl status acd-rest.service" and "journalctl -xe" for details.\nTo force a start use "systemctl reset-failed acd-rest.service"\nfollowed by "systemctl start acd-rest.service" again.\n';

type ServiceEvent = Extract<FleetEvent, { type: 'service' }>;
/** A fleet of YAML over SSH, with its declared services at hand. */
function servicesFleet(faults: Record<string, Fault[]>) {
  const ctx = {} as { f: TestFleet; sh: FleetShell };
  const model = (): ServicesModel => ctx.f.fleet.world.models.find((m): m is ServicesModel => m instanceof ServicesModel) as ServicesModel;
  const vm = (host: string): SimVm => ctx.f.fleet.world.vms.get(host) as SimVm;
  const service = (host: string, target: string): SimService => model().services(vm(host)).find((s) => s.decl.target === target) as SimService;
  return {
    ctx, model, vm, service,
    run: (host: string, command: string): Promise<Outcome> => ctx.sh.outcome(host, command),
    until: (cond: () => boolean): Promise<void> => waitUntil(ctx.f, cond),
    events: (host: string, target: string): ServiceEvent[] => ctx.f.fleet.world.log.events.filter((e): e is ServiceEvent => e.type === 'service' && e.host === host && e.service === target),
    up: async (): Promise<void> => void (ctx.sh = fleetShell((ctx.f = await testFleet('services-sim', { yaml: YAML, timeScale: SCALE, file: FILE, faults })))),
    down: (): Promise<void> => ctx.sh.close().then(() => ctx.f.close()),
  };
}

describe('fleet: services declared by service steps (systemd, init.d, daemontools, pidfile)', function () {
  this.timeout(30_000);
  const t = servicesFleet({});
  const { run, until, service, events } = t;
  const state = (host: string, target: string): string | undefined => service(host, target).daemon?.state;

  before(() => t.up().then(() => until(() => t.vm('svc1').units.get('acd-rest')?.state === 'active' && state('svc1', '/etc/init.d/srs') === 'running'
      && state('svc2', '/service/acd-tel') === 'running' && t.vm('svc2').units.get('mysqld')?.state === 'active')));
  after(() => t.down());

  it('systemd: the declared unit joins the VM\'s units, starts at boot and serves its health URL once active, also to the controller', async () => {
    expect(t.vm('svc1').units.get('acd-rest')).to.include({ role: 'rest', enabled: true });
    expect(await run('svc1', 'systemctl is-active acd-rest')).to.deep.equal({ code: 0, out: 'active\n', err: '' });
    expect(await run('svc1', 'systemctl show -p StartLimitBurst acd-rest')).to.deep.equal({ code: 0, out: 'StartLimitBurst=5\n', err: '' });
    expect(await run('svc1', CURL('http://127.0.0.1:8081/health-check'))).to.deep.equal({ code: 0, out: '{"status":"ok","service":"acd-rest"}\n\n200', err: '' });
    expect((await run('svc1', CURL('http://127.0.0.1:8081/other'))).out).to.match(/\n404$/);
    const res = await fetch(`${t.ctx.f.fleet.overlay.http['svc1:8081'] ?? ''}/health-check`);
    expect([res.status, await res.text()]).to.deep.equal([200, '{"status":"ok","service":"acd-rest"}\n']);
  });

  it('systemd: reload is a HUP; stop a TERM the command waits for; a stopped unit refuses reload; kill -s KILL leaves it failed', async () => {
    expect(await run('svc1', 'systemctl reload acd-rest')).to.deep.equal({ code: 0, out: '', err: '' });
    expect(service('svc1', 'acd-rest').daemon?.reloads).to.equal(1);
    expect(await run('svc1', 'systemctl stop acd-rest')).to.deep.equal({ code: 0, out: '', err: '' });
    expect(events('svc1', 'acd-rest').slice(-2).map((e) => [e.state, e.signal])).to.deep.equal([['stopping', 'TERM'], ['exited', 'TERM']]);
    expect(await run('svc1', 'systemctl is-active acd-rest')).to.deep.equal({ code: 3, out: 'inactive\n', err: '' });
    expect(await run('svc1', CURL('http://127.0.0.1:8081/health-check'))).to.deep.equal({ code: 7, out: '\n000', err: 'curl: (7) Failed to connect to 127.0.0.1 port 8081 after 0 ms: Connection refused\n' });
    expect(await run('svc1', 'systemctl reload acd-rest')).to.deep.equal({ code: 1, out: '', err: 'acd-rest.service is not active, cannot reload.\n' });
    expect(await run('svc1', 'systemctl start acd-rest && systemctl is-active acd-rest')).to.deep.equal({ code: 0, out: 'active\n', err: '' });
    expect(await run('svc1', 'systemctl kill --signal=KILL acd-rest; systemctl is-active acd-rest')).to.deep.equal({ code: 3, out: 'failed\n', err: '' });
    expect(events('svc1', 'acd-rest').at(-1)).to.include({ state: 'exited', signal: 'KILL' });
    expect((await run('svc1', 'systemctl start acd-rest')).code).to.equal(0);
  });

  it('systemd: a sixth start within StartLimitIntervalSec is refused, also by hand, until reset-failed', async () => {
    const restarts = Array.from({ length: 6 }, () => 'systemctl restart acd-rest').join('; ');
    expect(await run('svc1', `systemctl reset-failed acd-rest; ${restarts}`)).to.deep.equal({ code: 1, out: '', err: LIMIT });
    expect(await run('svc1', 'systemctl is-active acd-rest; systemctl show -p Result acd-rest')).to.deep.equal({ code: 0, out: 'failed\nResult=start-limit-hit\n', err: '' });
    expect(await run('svc1', 'systemctl start acd-rest')).to.deep.equal({ code: 1, out: '', err: LIMIT });
    expect(await run('svc1', 'systemctl reset-failed acd-rest && systemctl start acd-rest && systemctl is-active acd-rest')).to.deep.equal({ code: 0, out: 'active\n', err: '' });
  });

  it('init.d: status, reload (HUP), rotate (USR1), stop (TERM), start and restart, in RHEL\'s words with LSB exit codes', async () => {
    const pid = (await run('svc1', 'cat /usr/local/srs/objs/srs.pid')).out.trim();
    expect(await run('svc1', '/etc/init.d/srs status')).to.deep.equal({ code: 0, out: `srs (pid ${pid}) is running...\n`, err: '' });
    expect(await run('svc1', TCP('127.0.0.1', 1935))).to.deep.equal({ code: 0, out: '', err: '' });
    expect(await run('svc1', '/etc/init.d/srs reload; /etc/init.d/srs rotate')).to.deep.equal({ code: 0, out: 'Reloading srs: [  OK  ]\nReopening srs log files: [  OK  ]\n', err: '' });
    expect(service('svc1', '/etc/init.d/srs').daemon).to.include({ reloads: 1, reopens: 1 });
    expect(await run('svc1', '/etc/init.d/srs stop')).to.deep.equal({ code: 0, out: 'Stopping srs: [  OK  ]\n', err: '' });
    expect(await run('svc1', '/etc/init.d/srs status')).to.deep.equal({ code: 3, out: 'srs is stopped\n', err: '' });
    expect(await run('svc1', TCP('127.0.0.1', 1935))).to.deep.equal({ code: 1, out: '', err: REFUSED('127.0.0.1', 1935) });
    expect(await run('svc1', '/etc/init.d/srs reload')).to.deep.equal({ code: 7, out: 'Reloading srs: [FAILED]\n', err: '' });
    expect(await run('svc1', '/etc/init.d/srs start')).to.deep.equal({ code: 0, out: 'Starting srs: [  OK  ]\n', err: '' });
    expect(await run('svc1', '/etc/init.d/srs restart')).to.deep.equal({ code: 0, out: 'Stopping srs: [  OK  ]\nStarting srs: [  OK  ]\n', err: '' });
    expect((await run('svc1', 'service srs status')).code).to.equal(0);
    expect(await run('svc1', '/etc/init.d/srs bogus')).to.deep.equal({ code: 3, out: '', err: 'Usage: /etc/init.d/srs {start|stop|status|restart|reload|rotate|grace}\n' });
    expect(await run('svc1', '/etc/init.d/nope start')).to.deep.equal({ code: 127, out: '', err: 'bash: /etc/init.d/nope: No such file or directory\n' });
  });

  it('init.d grace: a SIGQUIT, the script returns at once; SRS closes its port after grace_start_wait and exits after grace_final_wait', async () => {
    expect(await run('svc1', '/etc/init.d/srs grace; /etc/init.d/srs status')).to.deep.include({ code: 0, err: '' });
    const srs = service('svc1', '/etc/init.d/srs').daemon;
    await until(() => srs?.listening === false);
    expect(srs?.alive).to.equal(true);
    await until(() => srs?.alive === false);
    const [stopping, exited] = events('svc1', '/etc/init.d/srs').slice(-2);
    expect([stopping?.state, stopping?.signal, exited?.state, exited?.signal]).to.deep.equal(['stopping', 'QUIT', 'exited', 'QUIT']);
    expect((exited?.t ?? 0) - (stopping?.t ?? 0)).to.be.at.least(5500 * SCALE * 0.9);
    expect((await run('svc1', '/etc/init.d/srs start')).code).to.equal(0);
  });

  it('daemontools: svstat in 0.76\'s words; svc -h, -t (restarted a second later), -d, -u, -k, -o; the down file', async () => {
    const svstat = async (): Promise<string> => (await run('svc2', 'svstat /service/acd-tel')).out;
    const up = /^\/service\/acd-tel: up \(pid (\d+)\) \d+ seconds\n$/;
    expect(await svstat()).to.match(up);
    expect([parseSvstat(await svstat())?.state, parseSvstat(await svstat())?.normally]).to.deep.equal(['up', undefined]);
    expect((await run('svc1', CURL('http://10.30.0.12:8090/status'))).out).to.equal('{"status":"ok","service":"acd-tel"}\n\n200');
    const tel = (): SimService => service('svc2', '/service/acd-tel');
    expect([await run('svc2', 'svc -h /service/acd-tel'), tel().daemon?.reloads]).to.deep.equal([{ code: 0, out: '', err: '' }, 1]);
    const first = tel().daemon?.pid;
    await run('svc2', 'svc -t /service/acd-tel');
    await until(() => tel().daemon?.pid !== first && tel().daemon?.alive === true);
    const [exited, restarted] = events('svc2', '/service/acd-tel').slice(-2);
    expect([exited?.state, restarted?.state]).to.deep.equal(['exited', 'starting']);
    expect((restarted?.t ?? 0) - (exited?.t ?? 0)).to.be.at.least(1000 * SCALE * 0.9);
    await run('svc2', 'svc -d /service/acd-tel');
    await until(() => tel().daemon?.alive === false);
    expect(await svstat()).to.match(/^\/service\/acd-tel: down \d+ seconds, normally up\n$/);
    await run('svc2', 'touch /service/acd-tel/down');
    expect(await svstat()).to.match(/^\/service\/acd-tel: down \d+ seconds\n$/);
    // Started, not yet ready: the health port refuses.
    expect((await run('svc2', `svc -u /service/acd-tel; ${CURL('http://127.0.0.1:8090/status')}`)).code).to.equal(7);
    expect(await svstat()).to.match(/^\/service\/acd-tel: up \(pid \d+\) \d+ seconds, normally down\n$/);
    const second = tel().daemon?.pid;
    await run('svc2', 'svc -k /service/acd-tel');
    await until(() => tel().daemon?.pid !== second && tel().daemon?.alive === true);
    expect(events('svc2', '/service/acd-tel').filter((e) => e.state === 'exited').map((e) => e.signal)).to.deep.equal(['TERM', 'TERM', 'KILL']);
    await run('svc2', 'svc -o /service/acd-tel; svc -t /service/acd-tel');
    await t.ctx.f.fleet.world.time.wait(2000);
    expect(await svstat()).to.match(/^\/service\/acd-tel: down \d+ seconds\n$/);
    expect((await run('svc2', 'rm -f /service/acd-tel/down && svstat /service/acd-tel')).out).to.match(/^\/service\/acd-tel: down \d+ seconds, normally up\n$/);
    expect(await run('svc2', 'rm /service/acd-tel/down')).to.deep.equal({ code: 1, out: '', err: "rm: cannot remove '/service/acd-tel/down': No such file or directory\n" });
    await run('svc2', 'svc -u /service/acd-tel');
    expect(await run('svc2', 'svc -u /service/nope; svstat /service/nope')).to.deep.equal({ code: 0, out: '/service/nope: unable to chdir: file does not exist\n', err: 'svc: warning: unable to chdir to /service/nope: file does not exist\n' });
    expect(parseSvstat('/service/nope: unable to chdir: file does not exist')).to.include({ state: 'unknown' });
    expect((await run('svc2', 'svc -z /service/acd-tel')).code).to.equal(100);
  });

  it('pidfile: the declared command starts the daemon, which writes its pidfile; pkill -F signals it, pgrep -F finds it', async () => {
    const START = '/opt/gortc/bin/gortc -d -pidfile /run/gortc.pid';
    const invalid = { code: 1, out: '', err: "pgrep: pidfile not valid\nTry `pgrep --help' for more information.\n" };
    const gortc = (): SimService => service('svc2', '/run/gortc.pid');
    expect(await run('svc2', 'pgrep -F /run/gortc.pid')).to.deep.equal(invalid);
    expect(await run('svc2', START)).to.deep.equal({ code: 0, out: '', err: '' });
    expect((await run('svc2', START)).code).to.equal(1);
    expect(await run('svc2', 'pgrep -F /run/gortc.pid')).to.deep.equal({ code: 0, out: `${gortc().daemon?.pid}\n`, err: '' });
    await until(() => gortc().daemon?.state === 'running');
    expect(await run('svc2', TCP('127.0.0.1', 3478))).to.deep.equal({ code: 0, out: '', err: '' });
    expect(await run('svc2', 'pkill -HUP -F /run/gortc.pid && pkill -USR1 -F /run/gortc.pid')).to.deep.equal({ code: 0, out: '', err: '' });
    expect(gortc().daemon).to.include({ reloads: 1, reopens: 1 });
    expect(await run('svc2', 'pkill -QUIT -F /run/gortc.pid')).to.deep.equal({ code: 0, out: '', err: '' });
    await until(() => gortc().daemon?.alive === false);
    expect(events('svc2', '/run/gortc.pid').slice(-2).map((e) => [e.state, e.signal])).to.deep.equal([['stopping', 'QUIT'], ['exited', 'QUIT']]);
    expect(await run('svc2', 'pgrep -F /run/gortc.pid')).to.deep.equal(invalid); // it removed its pidfile
    await run('svc2', START);
    const pid = gortc().daemon?.pid;
    expect(await run('svc2', 'pkill -KILL -F /run/gortc.pid; pgrep -F /run/gortc.pid')).to.deep.equal({ code: 1, out: '', err: '' });
    expect(await run('svc2', 'cat /run/gortc.pid; pkill -TERM -F /run/gortc.pid')).to.deep.equal({ code: 1, out: `${pid}\n`, err: '' }); // left behind
    expect(await run('svc2', `${START} && pgrep -F /run/gortc.pid`)).to.deep.include({ code: 0 });
  });

  it('the check commands: curl -X/-k/-H, bash -c \'</dev/tcp/HOST/PORT\', mysql with the SHOW REPLICA fallback on MySQL 5.7', async () => {
    const curl = "curl -sS -X GET -k -H 'Accept: application/json' --max-time 10 -w '\\n%{http_code}' http://10.30.0.11:8081/health-check";
    expect(await run('svc3', curl)).to.deep.equal({ code: 0, out: '{"status":"ok","service":"acd-rest"}\n\n200', err: '' });
    expect(await run('svc2', `${TCP('svc1', 22)} && ${TCP('10.30.0.11', 3306)}`)).to.deep.equal({ code: 0, out: '', err: '' });
    expect(await run('svc3', TCP('127.0.0.1', 3306))).to.deep.equal({ code: 1, out: '', err: REFUSED('127.0.0.1', 3306) });
    expect(await run('svc3', TCP('nohost', 80))).to.deep.equal({ code: 1, out: '', err: 'bash: nohost: Name or service not known\nbash: /dev/tcp/nohost/80: Invalid argument\n' });
    expect(await run('svc3', "bash -c 'exit 3'")).to.deep.equal({ code: 3, out: '', err: '' });
    const replica = await run('svc2', "mysql -e 'SHOW REPLICA STATUS\\G' 2>/dev/null || mysql -e 'SHOW SLAVE STATUS\\G'");
    expect([replica.code, /^ +Slave_IO_Running: Yes$/m.test(replica.out)]).to.deep.equal([0, true]);
    const syntax = "ERROR 1064 (42000) at line 1: You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near 'REPLICA STATUS' at line 1\n";
    expect(await run('svc2', "mysql -e 'SHOW REPLICA STATUS\\G'")).to.deep.equal({ code: 1, out: '', err: syntax });
    expect(await run('svc1', "mysql -NBe 'SELECT @@read_only'")).to.deep.equal({ code: 0, out: '0\n', err: '' });
    expect(await run('svc1', 'mountpoint /home/jtel/shared')).to.deep.equal({ code: 32, out: '/home/jtel/shared is not a mountpoint\n', err: '' });
  });

  it('a reboot: supervise leaves a directory with a down file down, and /run (the pidfile) is empty', async () => {
    await run('svc2', 'touch /service/acd-tel/down');
    const mark = t.ctx.f.fleet.world.log.events.length;
    await t.ctx.sh.run('svc2', 'systemctl reboot').catch(() => undefined);
    await until(() => t.ctx.f.fleet.world.log.events.slice(mark).some((e) => e.type === 'power' && e.host === 'svc2' && e.state === 'running'));
    expect((await run('svc2', 'svstat /service/acd-tel')).out).to.match(/^\/service\/acd-tel: down \d+ seconds\n$/);
    expect((await run('svc2', 'pgrep -F /run/gortc.pid')).err).to.match(/^pgrep: pidfile not valid/);
    expect(events('svc2', '/run/gortc.pid').at(-1)).to.include({ state: 'exited', cause: 'shutdown' });
  });
});

describe('fleet: faults of declared services (service-stuck, service-crashes)', function () {
  this.timeout(30_000);
  const stuck = (match: string): Fault => ({ kind: 'service-stuck', match });
  const t = servicesFleet({
    svc1: [stuck('acd-rest'), stuck('srs')],
    svc2: [{ kind: 'service-crashes', match: 'acd-tel', times: 2 }, stuck('acd-tel'), stuck('gortc')],
    svc3: [{ kind: 'service-crashes', match: 'acd-rest', times: 2 }],
  });
  const { run, until, service, events } = t;
  const unit = (host: string): string | undefined => t.vm(host).units.get('acd-rest')?.state;

  before(() => t.up().then(() => until(() => unit('svc1') === 'active' && service('svc1', '/etc/init.d/srs').daemon?.state === 'running'
      && service('svc2', '/service/acd-tel').daemon?.state === 'running' && unit('svc3') === 'failed')));
  after(() => t.down());

  it('the faults read from their flag form', () => {
    expect(parseFault('service-stuck=srs')).to.deep.equal({ kind: 'service-stuck', match: 'srs' });
    expect(parseFault('service-crashes=acd-tel')).to.deep.equal({ kind: 'service-crashes', match: 'acd-tel', times: 2 });
    expect(parseFault('service-crashes=/service/acd-tel:5')).to.deep.equal({ kind: 'service-crashes', match: '/service/acd-tel', times: 5 });
    expect(parseFault('service-stuck')).to.equal("fault 'service-stuck' needs the service: service-stuck=NAME");
  });

  it('service-crashes under supervise: the first two runs die before they are ready, each started again a second later', async () => {
    const [starts, crashes] = ['starting', 'exited'].map((state) => events('svc2', '/service/acd-tel').filter((e) => e.state === state));
    expect([starts?.length, crashes?.map((e) => e.cause)]).to.deep.equal([3, ['crashed', 'crashed']]);
    for (const [i, crash] of (crashes ?? []).entries()) expect((starts?.[i + 1]?.t ?? 0) - crash.t).to.be.at.least(1000 * SCALE * 0.9);
    expect((await run('svc2', 'svstat /service/acd-tel')).out).to.match(/^\/service\/acd-tel: up \(pid \d+\) \d+ seconds\n$/);
    expect((await run('svc2', CURL('http://127.0.0.1:8090/status'))).out).to.match(/\n200$/);
  });

  it('service-crashes on a unit: its starts fail (the control process exited) until the crashes are used up', async () => {
    expect(events('svc3', 'acd-rest').map((e) => e.cause ?? e.state)).to.deep.equal(['starting', 'crashed']);
    const failed = 'Job for acd-rest.service failed because the control process exited with error code.\nSee "systemctl status acd-rest.service" and "journalctl -xe" for details.\n';
    expect(await run('svc3', 'systemctl is-system-running; systemctl start acd-rest')).to.deep.equal({ code: 1, out: 'degraded\n', err: failed });
    expect(await run('svc3', 'systemctl start acd-rest && systemctl is-active acd-rest')).to.deep.equal({ code: 0, out: 'active\n', err: '' });
  });

  it('service-stuck on a unit: systemctl stop waits, deactivating, until systemctl kill -s KILL; left alone, systemd kills it after TimeoutStopSec', async () => {
    const stopping = run('svc1', 'systemctl stop acd-rest');
    await until(() => unit('svc1') === 'deactivating');
    expect(await run('svc1', 'systemctl is-active acd-rest')).to.deep.equal({ code: 3, out: 'deactivating\n', err: '' });
    expect(events('svc1', 'acd-rest').at(-1)).to.include({ state: 'running', signal: 'TERM', ignored: true });
    expect(await run('svc1', 'systemctl kill -s KILL acd-rest')).to.deep.equal({ code: 0, out: '', err: '' });
    expect(await stopping).to.deep.equal({ code: 0, out: '', err: '' });
    expect(await run('svc1', 'systemctl is-active acd-rest')).to.deep.equal({ code: 3, out: 'failed\n', err: '' });
    expect(events('svc1', 'acd-rest').at(-1)).to.deep.include({ state: 'exited', signal: 'KILL' });
    expect((await run('svc1', 'systemctl start acd-rest')).code).to.equal(0);
    expect(await run('svc1', 'systemctl stop acd-rest; systemctl is-active acd-rest')).to.deep.equal({ code: 3, out: 'failed\n', err: '' });
    const [ignored, killed] = events('svc1', 'acd-rest').slice(-2);
    expect([ignored?.signal, ignored?.ignored, killed?.state, killed?.signal, killed?.cause]).to.deep.equal(['TERM', true, 'exited', 'KILL', 'timeout']);
    expect((killed?.t ?? 0) - (ignored?.t ?? 0)).to.be.at.least(90_000 * SCALE * 0.9);
  });

  it('service-stuck on an init script: grace and stop do not end it, stop fails after its own timeout; KILL to the kill_pidfile does', async () => {
    expect(await run('svc1', '/etc/init.d/srs grace')).to.deep.equal({ code: 0, out: 'Gracefully stopping srs: [  OK  ]\n', err: '' });
    await t.ctx.f.fleet.world.time.wait(6000);
    expect((await run('svc1', '/etc/init.d/srs status')).code).to.equal(0);
    expect(await run('svc1', '/etc/init.d/srs stop')).to.deep.equal({ code: 1, out: 'Stopping srs: [FAILED]\n', err: '' });
    expect(await run('svc1', 'pkill -KILL -F /usr/local/srs/objs/srs.pid')).to.deep.equal({ code: 0, out: '', err: '' });
    expect(await run('svc1', '/etc/init.d/srs status')).to.deep.equal({ code: 1, out: 'srs dead but pid file exists\n', err: '' });
    expect(events('svc1', '/etc/init.d/srs').map((e) => e.signal ?? '').filter((x) => x !== '')).to.deep.equal(['QUIT', 'TERM', 'KILL']);
    expect(await run('svc1', '/etc/init.d/srs start')).to.deep.equal({ code: 0, out: 'Starting srs: [  OK  ]\n', err: '' });
  });

  it('service-stuck under supervise: svc -d leaves it up, wanted down; svc -k ends it and it stays down', async () => {
    await run('svc2', 'svc -d /service/acd-tel');
    await t.ctx.f.fleet.world.time.wait(2000);
    expect((await run('svc2', 'svstat /service/acd-tel')).out).to.match(/^\/service\/acd-tel: up \(pid \d+\) \d+ seconds, want down\n$/);
    await run('svc2', 'svc -k /service/acd-tel');
    await t.ctx.f.fleet.world.time.wait(2000);
    expect((await run('svc2', 'svstat /service/acd-tel')).out).to.match(/^\/service\/acd-tel: down \d+ seconds, normally up\n$/);
  });

  it('service-stuck pidfile daemon: QUIT and TERM are delivered but ignored, only KILL ends it', async () => {
    await run('svc2', '/opt/gortc/bin/gortc -d -pidfile /run/gortc.pid');
    expect(await run('svc2', 'pkill -QUIT -F /run/gortc.pid && pkill -TERM -F /run/gortc.pid')).to.deep.equal({ code: 0, out: '', err: '' });
    await t.ctx.f.fleet.world.time.wait(2000);
    expect((await run('svc2', 'pgrep -F /run/gortc.pid')).code).to.equal(0);
    expect(await run('svc2', 'pkill -KILL -F /run/gortc.pid; pgrep -F /run/gortc.pid')).to.deep.equal({ code: 1, out: '', err: '' });
    const faults = t.ctx.f.fleet.world.log.events.filter((e) => e.type === 'fault' && e.host === 'svc2' && e.fault === 'service-stuck');
    expect(faults.map((e) => (e.type === 'fault' ? e.detail.replace(/\d+/, 'N') : ''))).to.include.members(['/run/gortc.pid (pid N) ignores QUIT', '/run/gortc.pid (pid N) ignores TERM']);
  });
});
