/** Configs for the differential spec: `$D` stands for the case's own folder. */

import { Prng } from '../../scripts/fuzz/prng.js';

export interface DiffCase {
  readonly name: string;
  readonly files: Readonly<Record<string, string>>;
  readonly aliases: readonly string[];
}

export const CASES: readonly DiffCase[] = [
  { name: 'first value wins', files: { config: 'Host web*\n  User first\n  Port 2201\nHost *\n  User second\n  Port 2202\n  HostName fallback.example\n' }, aliases: ['web1', 'db1'] },
  { name: 'negated host patterns', files: { config: 'Host * !web2 !*.internal\n  User everyone\nHost web?\n  User web\n' }, aliases: ['web1', 'web2', 'x.internal', 'db'] },
  { name: 'host patterns are case-sensitive, hostname is lowercased', files: { config: 'Host foo1\n  Port 1111\nHost FOO2\n  Port 2222\nHost *\n  HostName X%h.Example\n' }, aliases: ['Foo1', 'foo1', 'FOO2', 'foo2'] },
  { name: 'hostname tokens', files: { config: 'Host *\n  HostName %h.example.com\n  UserKnownHostsFile ~/kh_%h_%r_%p %d/x_%u_%n %%lit\n  GlobalKnownHostsFile /g/%h\n' }, aliases: ['a', 'b.c'] },
  { name: 'identity files add up, duplicates dropped', files: { config: 'Host a\n  IdentityFile ~/.ssh/one\n  IdentityFile %d/.ssh/two_%h\nHost *\n  IdentityFile ~/.ssh/one\n  IdentityFile "/path with space/three"\n' }, aliases: ['a', 'b'] },
  { name: 'equals signs, quotes and comments', files: { config: '# comment\nHost=a\n  User = "bob smith"\n  Port=2200 # trailing\n  IdentityFile \'/k/single quoted\'\n   \n\tHostName\ta.example\n' }, aliases: ['a'] },
  { name: 'include in place, absolute and globbed', files: { config: 'Include $D/conf.d/*.conf\nHost *\n  User late\n', 'conf.d': '', 'x': '' }, aliases: ['a'] },
  { name: 'include order by name', files: { config: 'Include $D/inc-*\n', 'inc-b': 'Host *\n  User from-b\n  Port 2\n', 'inc-a': 'Host a\n  User from-a\n' }, aliases: ['a', 'z'] },
  { name: 'include under a host block', files: { config: 'Host a\n  Include $D/inc\nHost *\n  Port 7\n', inc: 'User included\nHost b\n  Port 9\n' }, aliases: ['a', 'b'] },
  { name: 'included match state does not leak', files: { config: 'Host a\n  Include $D/inc\n  User after-include\n', inc: 'Host zzz\n  Port 9\n' }, aliases: ['a'] },
  { name: 'match host sees the hostname so far', files: { config: 'Host a\n  HostName b.example\nMatch host b.example\n  User by-hostname\nMatch originalhost a\n  Port 2022\n' }, aliases: ['a', 'b.example'] },
  { name: 'match negation and lists', files: { config: 'Match !host web*,db*\n  User other\nMatch host web*,!web2\n  User web\nMatch host *\n  Port 2\n' }, aliases: ['web1', 'web2', 'db1', 'x'] },
  { name: 'match user and localuser', files: { config: 'Host a\n  User admin\nMatch user admin\n  Port 2201\nMatch localuser nobody\n  Port 2202\nMatch !localuser nobody\n  HostName not-nobody\n' }, aliases: ['a', 'b'] },
  { name: 'match all', files: { config: 'Match all\n  User all\n' }, aliases: ['a'] },
  { name: 'match final re-reads with the hostname', files: { config: 'Host a\n  HostName real.example\nHost real.example\n  User by-final-pass\nMatch final host real.example\n  Port 2222\n' }, aliases: ['a', 'b'] },
  { name: 'match exec with tokens', files: { config: 'Match exec "test %h = a"\n  User exec-a\nMatch host nomatch exec "false"\n  Port 1\nMatch !exec "test %n = b"\n  Port 3\n' }, aliases: ['a', 'b'] },
  { name: 'proxyjump chains, first of proxyjump and proxycommand', files: { config: 'Host a\n  ProxyJump u@j1:2222,ssh://j2,[::1]:2200\nHost b\n  ProxyJump none\nHost *\n  ProxyJump fallback\n' }, aliases: ['a', 'b', 'c'] },
  { name: 'host key settings', files: { config: 'Host a\n  StrictHostKeyChecking accept-new\n  HashKnownHosts yes\nHost b\n  StrictHostKeyChecking no\nHost c\n  StrictHostKeyChecking yes\n  HashKnownHosts no\nHost *\n  StrictHostKeyChecking off\n' }, aliases: ['a', 'b', 'c', 'd'] },
  { name: 'times', files: { config: 'Host a\n  ConnectTimeout 7\n  ServerAliveInterval 1m30s\n  ServerAliveCountMax 5\nHost b\n  ConnectTimeout 2m\n' }, aliases: ['a', 'b'] },
  { name: 'identities only and the agent', files: { config: 'Host a\n  IdentitiesOnly yes\n  IdentityAgent none\nHost b\n  IdentityAgent ~/agent.sock\nHost *\n  IdentitiesOnly no\n  IdentityAgent SSH_AUTH_SOCK\n' }, aliases: ['a', 'b', 'c'] },
  { name: 'keywords are case-insensitive', files: { config: 'HOST a\n  USER upper\n  pOrT 2345\n' }, aliases: ['a'] },
];

/** The fuzzer's seeded generator (mulberry32): the same seed gives the same values on every run. */
function rng(seed: number): () => number {
  const prng = new Prng(seed);
  return () => prng.next();
}

const ALIASES = ['web1', 'web2', 'db1', 'a', 'b.example.com', 'Web1'];
const HOST_PATTERNS = ['*', 'web*', '!web2', 'db?', 'a', 'b.example.com', '*.example.com', 'Web1', '!a', '?eb1'];
const MATCHES = ['host web*', 'originalhost WEB1', 'host B.example.com', '!host db1', 'originalhost a,b*', 'host *.example.com', 'user root', 'user u?', 'final host web1', 'all', 'localuser root,!nobody', 'exec "test %n = db1"', 'canonical host a'];
const OPTIONS = [
  'HostName %h.example.com', 'HostName fixed.example', 'User u1', 'User u2', 'Port 2201', 'Port 2202', 'IdentityFile ~/.ssh/k1', 'IdentityFile %d/k_%h',
  'IdentitiesOnly yes', 'ProxyJump j1,u@j2:23', 'ProxyJump none', 'StrictHostKeyChecking accept-new', 'StrictHostKeyChecking no', 'HashKnownHosts yes',
  'UserKnownHostsFile ~/kh_%h %d/kh2', 'GlobalKnownHostsFile /etc/g_%h', 'ConnectTimeout 5', 'ServerAliveInterval 15', 'IdentityAgent none',
];

export function generated(count: number, seed: number): DiffCase[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const block = (): string => {
    const head = r() < 0.6 ? `Host ${Array.from({ length: 1 + Math.floor(r() * 2) }, () => pick(HOST_PATTERNS)).join(' ')}` : `Match ${pick(MATCHES)}`;
    return `${head}\n${Array.from({ length: 1 + Math.floor(r() * 3) }, () => `  ${pick(OPTIONS)}`).join('\n')}\n`;
  };
  return Array.from({ length: count }, () => {
    const top = r() < 0.3 ? `${pick(OPTIONS)}\n` : '';
    const blocks = Array.from({ length: 2 + Math.floor(r() * 4) }, block);
    const include = r() < 0.4;
    if (include) blocks.splice(Math.floor(r() * blocks.length), 0, `${r() < 0.5 ? `Host ${pick(HOST_PATTERNS)}\n  ` : ''}Include $D/inc\n`);
    return {
      name: '',
      files: { config: top + blocks.join(''), ...(include ? { inc: blocks.length > 0 ? block() + (r() < 0.5 ? `${pick(OPTIONS)}\n` : '') : '' } : {}) },
      aliases: [pick(ALIASES), pick(ALIASES), pick(ALIASES)],
    };
  });
}
