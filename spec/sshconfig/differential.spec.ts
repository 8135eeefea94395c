/**
 * Our ssh_config resolution against OpenSSH's own (`ssh -G -F FILE ALIAS`), on hand-written
 * configs (patterns, negation, Include, Match, first value wins, tokens) and on generated ones.
 * Compared: the settings orchestrate uses, in ssh -G's form.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execMatch, expandTokens, fsConfigReader, parseJump, SshConfigCache, type LocalFacts, type SshConfigSettings } from '../../lib/sshconfig/index.js';
import { expandHome } from '../../lib/util/home.js';
import { CASES, generated } from './differential-cases.js';

const SSH = '/usr/bin/ssh';
function unavailable(): string | undefined {
  try {
    accessSync(SSH, constants.X_OK);
    return undefined;
  } catch {
    return `${SSH} not found (install openssh-client)`;
  }
}

const info = os.userInfo();
const local: LocalFacts = { user: info.username, home: info.homedir, hostName: os.hostname(), uid: info.uid, exec: execMatch };
const KEYS = ['hostname', 'user', 'port', 'identityfile', 'identitiesonly', 'identityagent', 'proxyjump', 'userknownhostsfile', 'globalknownhostsfile', 'stricthostkeychecking', 'hashknownhosts', 'connecttimeout', 'serveraliveinterval', 'serveralivecountmax'];
const DEFAULT_IDS = ['id_rsa', 'id_ecdsa', 'id_ecdsa_sk', 'id_ed25519', 'id_ed25519_sk', 'id_xmss', 'id_dsa'].map((k) => `~/.ssh/${k}`);

/** `ssh -G` output, the keys we compare, multi-valued ones as lists. */
function sshG(file: string, alias: string): Record<string, string[]> {
  const out = execFileSync(SSH, ['-G', '-F', file, alias], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const r: Record<string, string[]> = {};
  for (const line of out.split('\n')) {
    const [k, ...v] = line.split(' ');
    const key = (k ?? '').toLowerCase();
    if (!KEYS.includes(key)) continue;
    if (key === 'identityfile') (r[key] ??= []).push(v.join(' '));
    else r[key] = key.endsWith('knownhostsfile') ? v : [v.join(' ')];
  }
  if (r['proxyjump']) r['proxyjump'] = [JSON.stringify(parseJump(r['proxyjump'][0] ?? ''))];
  r['stricthostkeychecking'] = [policyOf(r['stricthostkeychecking']?.[0] ?? 'ask')];
  for (const k of ['hashknownhosts', 'identitiesonly']) r[k] = [r[k]?.[0] === 'yes' || r[k]?.[0] === 'true' ? 'yes' : 'no'];
  return r;
}

function policyOf(v: string): string {
  return v === 'true' || v === 'yes' || v === 'ask' ? 'strict' : v === 'accept-new' ? 'accept-new' : 'off';
}

/** Ours, in the same form. */
function ours(s: SshConfigSettings, alias: string): Record<string, string[]> {
  const hostname = s.hostName?.value ?? alias.toLowerCase();
  const user = s.user?.value ?? local.user;
  const port = s.port?.value ?? 22;
  const tokens = { host: hostname, originalHost: alias, port, remoteUser: user, localUser: local.user, home: local.home, localHost: local.hostName, uid: local.uid, jump: '' };
  const expand = (f: string): string => {
    const e = expandTokens(expandHome(f, local.home), tokens);
    return 'value' in e ? e.value : `ERROR ${e.error}`;
  };
  const r: Record<string, string[]> = {
    hostname: [hostname], user: [user], port: [String(port)],
    identityfile: s.identityFiles.length > 0 ? s.identityFiles.map((f) => f.value) : DEFAULT_IDS,
    identitiesonly: [s.identitiesOnly?.value === true ? 'yes' : 'no'],
    userknownhostsfile: (s.userKnownHostsFiles?.value ?? ['~/.ssh/known_hosts', '~/.ssh/known_hosts2']).map(expand),
    // ssh expands tokens in the user files only.
    globalknownhostsfile: [...(s.globalKnownHostsFiles?.value ?? ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'])],
    stricthostkeychecking: [s.hostKeyPolicy?.value ?? 'strict'],
    hashknownhosts: [s.hashKnownHosts?.value === true ? 'yes' : 'no'],
    connecttimeout: [s.connectTimeoutMs === undefined ? 'none' : String(s.connectTimeoutMs.value / 1000)],
    serveraliveinterval: [String((s.serverAliveIntervalMs?.value ?? 0) / 1000)],
    serveralivecountmax: [String(s.serverAliveCountMax?.value ?? 3)],
  };
  if (s.identityAgent) r['identityagent'] = [/^(none|SSH_AUTH_SOCK)$/.test(s.identityAgent.value) ? s.identityAgent.value : expand(s.identityAgent.value)];
  if (s.proxyJump && s.proxyJump.value.length > 0) r['proxyjump'] = [JSON.stringify(s.proxyJump.value)];
  return r;
}

describe(`ssh_config resolution agrees with ssh -G${unavailable() === undefined ? '' : ` (unavailable: ${unavailable() ?? ''})`}`, function () {
  this.timeout(120_000);
  let dir: string;
  before(function () {
    const why = unavailable();
    if (why !== undefined) {
      if (process.env['ORCHESTRATE_REQUIRE_OPENSSH'] === '1') throw new Error(`OpenSSH tests required but unavailable: ${why}`);
      this.skip();
    }
    dir = mkdtempSync(path.join(os.tmpdir(), 'orchestrate-sshg-'));
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Writes the case's files (`$D` is the case's folder) and compares every alias. */
  function check(name: string, files: Readonly<Record<string, string>>, aliases: readonly string[]): void {
    const d = path.join(dir, name);
    execFileSync('mkdir', ['-p', d]);
    for (const [f, text] of Object.entries(files)) writeFileSync(path.join(d, f), text.replaceAll('$D', d));
    const cache = new SshConfigCache({ reader: fsConfigReader, local });
    for (const alias of aliases) {
      const { settings } = cache.lookup(alias, path.join(d, 'config'));
      expect(settings.errors, `${name} ${alias}`).to.deep.equal([]);
      expect(ours(settings, alias), `${name}: ${alias}\n${files['config'] ?? ''}`).to.deep.equal(sshG(path.join(d, 'config'), alias));
    }
  }

  for (const c of CASES) it(c.name, () => check(c.name, c.files, c.aliases));

  it('agrees on 60 generated configs (3 names each)', () => {
    for (const [i, c] of generated(60, 777).entries()) check(`gen-${i}`, c.files, c.aliases);
  });
});
