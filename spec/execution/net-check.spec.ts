import { expect } from 'chai';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { nativeProbe } from '../../lib/execution/net-check.js';

/** The controller's own requests (`local: true` http, tcp and hazelcast checks), against real sockets. */
describe('checks made by the controller itself', () => {
  let server: http.Server;
  let port = 0;
  let hz = 3;
  before(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/hazelcast/health') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ nodeState: 'ACTIVE', clusterState: 'ACTIVE', clusterSafe: true, migrationQueueSize: 0, clusterSize: hz }));
        return;
      }
      if (req.url === '/slow') return; // never answers
      const ok = req.method === 'POST' && req.headers['x-token'] === 'secret';
      res.writeHead(ok ? 200 : 403);
      res.end(ok ? 'welcome to the login page' : 'forbidden');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  const opts = { timeoutMs: 300, signal: new AbortController().signal, defaultHost: '127.0.0.1', env: {} };

  it('http: method, headers, status and body', async () => {
    const probe = { kind: 'http' as const, url: `http://127.0.0.1:${port}/login`, method: 'POST', status: 200, body: 'login', headers: { 'X-Token': 'secret' }, tlsVerify: true };
    expect(await nativeProbe(probe, opts)).to.deep.equal({ ok: true, observed: 'HTTP 200' });
    expect(await nativeProbe({ ...probe, headers: {} }, opts)).to.deep.equal({ ok: false, observed: 'HTTP 403: forbidden (wanted 200)' });
    expect(await nativeProbe({ ...probe, body: 'dashboard' }, opts)).to.deep.equal({ ok: false, observed: 'HTTP 200: welcome to the login page (body does not match /dashboard/)' });
  });

  it('http: a refused connection and a server that does not answer in time', async () => {
    const closed = await freePort();
    const refused = await nativeProbe({ kind: 'http', url: `http://127.0.0.1:${closed}/`, method: 'GET', status: 200, headers: {}, tlsVerify: true }, opts);
    expect(refused.ok).to.equal(false);
    expect(refused.observed).to.match(new RegExp(`^GET http://127.0.0.1:${closed}/: ECONNREFUSED`));
    const slow = await nativeProbe({ kind: 'http', url: `http://127.0.0.1:${port}/slow`, method: 'GET', status: 200, headers: {}, tlsVerify: true }, opts);
    expect(slow).to.deep.equal({ ok: false, observed: `GET http://127.0.0.1:${port}/slow: no answer within 300 ms` });
  });

  it('tcp: open and closed ports', async () => {
    expect(await nativeProbe({ kind: 'tcp', port: String(port) }, opts)).to.deep.equal({ ok: true, observed: `127.0.0.1:${port} open` });
    const closed = await freePort();
    const r = await nativeProbe({ kind: 'tcp', host: '127.0.0.1', port: String(closed) }, opts);
    expect(r.ok).to.equal(false);
    expect(r.observed).to.match(new RegExp(`^127.0.0.1:${closed} closed: ECONNREFUSED`));
  });

  it('hazelcast: the expected number of members', async () => {
    const probe = { kind: 'hazelcast' as const, url: `http://127.0.0.1:${port}/hazelcast/health`, members: 'auto' as const, memberRoles: ['web'] };
    expect(await nativeProbe(probe, { ...opts, env: { members: { min: 3, max: 3 } } })).to.deep.equal({ ok: true, observed: 'node ACTIVE, cluster ACTIVE, clusterSize 3' });
    hz = 2;
    expect(await nativeProbe(probe, { ...opts, env: { members: { min: 3, max: 3 } } })).to.deep.equal({ ok: false, observed: 'node ACTIVE, cluster ACTIVE, clusterSize 2: expected 3 members (a member is missing, or the cluster split)' });
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}
