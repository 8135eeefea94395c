import fs from 'node:fs';
import net from 'node:net';
import { expect } from 'chai';
import ssh2 from 'ssh2';
import { opensshUnavailable, startOpenssh, type OpensshServer } from './openssh.js';

const { Client } = ssh2;
type Client = InstanceType<typeof Client>;

const unavailable = opensshUnavailable();
const required = process.env['ORCHESTRATE_REQUIRE_OPENSSH'] === '1';
const title = unavailable === undefined ? 'throwaway OpenSSH sshd' : `throwaway OpenSSH sshd (unavailable: ${unavailable})`;

function connect(server: OpensshServer, seen: { key?: string }): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.once('ready', () => {
      client.off('error', reject);
      resolve(client);
    });
    client.once('error', reject);
    client.connect({
      host: server.address,
      port: server.port,
      username: server.user,
      privateKey: fs.readFileSync(server.clientKeyPath),
      readyTimeout: 5000,
      hostVerifier: (key: Buffer) => {
        seen.key = key.toString('base64');
        return seen.key === server.hostKeyLine.split(' ')[1];
      },
    });
    client.setNoDelay(true);
  });
}

function exec(client: Client, cmd: string): Promise<{ stdout: string; stderr: string; code: unknown }> {
  return new Promise((resolve, reject) => {
    client.exec(cmd, (err, channel) => {
      if (err) return reject(err);
      let stdout = '';
      let stderr = '';
      let code: unknown;
      channel.setEncoding('utf8');
      channel.stderr.setEncoding('utf8');
      channel.on('data', (d: string) => (stdout += d));
      channel.stderr.on('data', (d: string) => (stderr += d));
      channel.on('exit', (c: unknown) => (code = c));
      channel.on('close', () => resolve({ stdout, stderr, code }));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

describe(title, function () {
  let server: OpensshServer | undefined;
  let client: Client | undefined;

  before(async function () {
    if (unavailable !== undefined) {
      if (required) throw new Error(`ORCHESTRATE_REQUIRE_OPENSSH=1 but no sshd can be started: ${unavailable}`);
      this.skip();
    }
    const t0 = performance.now();
    server = await startOpenssh();
    console.log(`    (sshd ready on port ${server.port} in ${(performance.now() - t0).toFixed(0)} ms)`);
  });

  after(async function () {
    client?.end();
    await server?.stop();
  });

  it('exposes a known_hosts line for its host key', function () {
    const s = server!;
    expect(s.address).to.equal('127.0.0.1');
    expect(s.hostKeyLine).to.match(/^ssh-ed25519 AAAA[A-Za-z0-9+/=]+$/);
    expect(fs.readFileSync(s.knownHostsPath, 'utf8')).to.equal(`[127.0.0.1]:${s.port} ${s.hostKeyLine}\n`);
    expect(fs.readFileSync(s.clientKeyPath, 'utf8')).to.match(/^-----BEGIN OPENSSH PRIVATE KEY-----/);
  });

  it('authenticates with the client key, shows the expected host key and runs a command', async function () {
    const s = server!;
    const seen: { key?: string } = {};
    client = await connect(s, seen);
    expect(seen.key).to.equal(s.hostKeyLine.split(' ')[1]);
    const r = await exec(client, 'echo hi; echo err >&2; exit 3');
    expect(r).to.deep.equal({ stdout: 'hi\n', stderr: 'err\n', code: 3 });
    expect(s.log()).to.match(/Accepted publickey for /);
  });

  it('stop() kills sshd, removes the temp dir, and is idempotent', async function () {
    const s = server!;
    const closed = new Promise<void>((resolve) => client!.once('close', () => resolve()));
    await Promise.all([s.stop(), s.stop()]);
    await s.stop();
    await closed; // the live session was ended too
    expect(fs.existsSync(s.dir)).to.equal(false);
    expect(await canConnect(s.port)).to.equal(false);
  });
});
