/**
 * Opening one ssh2 connection: credentials, host-key verification, keepalive, Nagle off, and
 * errors sorted into the kinds the engine acts on (unreachable, timeout, auth, host-key, config).
 */
import './ssh2-certs.js'; // first: it extends ssh2 before ssh2 loads
import type { Duplex } from 'node:stream';
import type { LimitFunction } from 'p-limit';
import ssh2, { type AgentAuthMethod, type AuthHandlerMiddleware, type Client as SshClient, type ConnectConfig, type PublicKeyAuthMethod } from 'ssh2';
import { agentKeys, authOffers, type Offer } from './auth-order.js';
import type { SshEndpoint } from '../topology/index.js';
import type { Credentials, CredentialStore } from './credentials.js';
import type { HostKeyStore } from './host-keys.js';
import { describeLocalError, isLocalResourceError, unknownName } from './local-limits.js';
import type { ConnectError } from './types.js';

const { Client } = ssh2;

/** Dead peers are noticed after interval × (count + 1): 5 s × 4 = 20 s. */
export const KEEPALIVE = { intervalMs: 5000, countMax: 3 } as const;

export interface ConnectDeps {
  readonly hostKeys: HostKeyStore;
  readonly credentials: CredentialStore;
  /** Things worth telling the user; `warning` ones must not go unnoticed (a host key that contradicts known_hosts under `off`). */
  readonly onNote?: (endpoint: SshEndpoint, message: string, level: 'note' | 'warning') => void;
  /** Bounds the handshakes in progress on the controller (key exchange costs CPU on both ends). */
  readonly handshakes: LimitFunction;
}

/** known_hosts key types → host-key algorithms to offer first. */
function hostKeyAlgorithms(types: readonly string[]): string[] {
  return types.flatMap((t) => (t === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [t]));
}

export type ConnectOutcome = { readonly client: SshClient } | { readonly error: ConnectError };

/**
 * Connects and authenticates. Resolves (never rejects) with a ready client or the reason it failed.
 * `onClose` fires once when a ready connection later closes.
 */
export function openConnection(endpoint: SshEndpoint, deps: ConnectDeps, options: { sock?: Duplex; onClose: () => void }): Promise<ConnectOutcome> {
  return new Promise((resolve) => {
    const creds = deps.credentials.for(endpoint);
    if (!creds.ok) {
      resolve({ error: { kind: 'config', message: creds.message } });
      return;
    }
    const client = new Client();
    let settled = false;
    let hostKeyProblem: string | undefined;
    /** What was offered, for the message when every key is refused. */
    const offered: string[] = [];
    const settle = (outcome: ConnectOutcome): void => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    client.on('ready', () => settle({ client }));
    client.on('error', (err: Error & { level?: string; code?: string }) => {
      if (!settled) {
        settle({ error: classify(err, hostKeyProblem, endpoint, offered) });
        client.end();
      }
      // After ready, errors (keepalive timeout, resets) are followed by 'close', handled there.
    });
    client.on('close', () => {
      if (settled) options.onClose();
      if (offered.length > 0) settle({ error: tooManyKeys(endpoint, offered) });
      settle({ error: { kind: 'unreachable', message: `${endpoint.address}:${endpoint.port} closed the connection before login` } });
    });
    const preferred = hostKeyAlgorithms(deps.hostKeys.preferredTypes(endpoint));
    const config: ConnectConfig = {
      host: endpoint.address,
      port: endpoint.port,
      username: endpoint.user,
      // The key parsed once (no PEM parse per login) and no `none` round trip first.
      authHandler: creds.credentials.files !== undefined ? orderedAuth(endpoint.user, creds.credentials, offered) : authMethods(endpoint.user, creds.credentials),
      readyTimeout: endpoint.connectTimeoutMs,
      keepaliveInterval: endpoint.keepalive?.intervalMs ?? KEEPALIVE.intervalMs,
      keepaliveCountMax: endpoint.keepalive?.countMax ?? KEEPALIVE.countMax,
      ...(preferred.length > 0 ? { algorithms: { serverHostKey: { prepend: preferred } as never } } : {}),
      ...(options.sock ? { sock: options.sock as NonNullable<ConnectConfig['sock']> } : {}),
      hostVerifier: (key: Buffer): boolean => {
        const decision = deps.hostKeys.verify(endpoint, key);
        if (!decision.ok) hostKeyProblem = decision.message;
        else if (decision.note !== undefined) deps.onNote?.(endpoint, decision.note, decision.warning === true ? 'warning' : 'note');
        return decision.ok;
      },
    };
    client.connect(config);
    client.setNoDelay(true);
  });
}

/** The key, then the agent's keys: no `none` attempt first (a round trip that can only fail). */
function authMethods(username: string, c: Credentials): (PublicKeyAuthMethod | AgentAuthMethod)[] {
  return [
    ...c.keys.map((key) => ({ type: 'publickey' as const, username, key })),
    ...(c.agent !== undefined ? [{ type: 'agent' as const, username, agent: c.agent }] : []),
  ];
}

/** The keys in ssh's order (auth-order.ts), one attempt each, the agent asked first. */
function orderedAuth(username: string, c: Credentials, offered: string[]): AuthHandlerMiddleware {
  let offers: Offer[] | undefined;
  let i = 0;
  return (_left, _partial, next) => {
    const go = (): void => {
      const o = offers?.[i++];
      // ssh2 stops trying on `false` (its types leave it out).
      if (!o) return next(false as unknown as AgentAuthMethod);
      offered.push(o.label);
      next(o.method);
    };
    if (offers) return go();
    void (c.agent === undefined ? Promise.resolve(undefined) : agentKeys(c.agent)).then((a) => {
      offers = authOffers(username, c.files ?? [], a && 'agent' in a ? a : undefined, c.identitiesOnly === true);
      go();
    });
  };
}

function tooManyKeys(ep: SshEndpoint, offered: readonly string[]): ConnectError {
  const n = `${offered.length} key${offered.length === 1 ? '' : 's'}`;
  return { kind: 'auth', message: `${ep.user}@${ep.address}:${ep.port} closed the connection after refusing ${n} (its MaxAuthTries; IdentitiesOnly offers only the IdentityFile keys): ${offered.join('; ')}` };
}

function classify(err: Error & { level?: string; code?: string }, hostKeyProblem: string | undefined, ep: SshEndpoint, offered: readonly string[]): ConnectError {
  const where = `${ep.address}:${ep.port}`;
  if (hostKeyProblem !== undefined) return { kind: 'host-key', message: hostKeyProblem };
  // sshd drops the connection after MaxAuthTries refused keys (a reset or a close, not a refusal).
  if (offered.length > 0 && err.level !== 'client-authentication' && err.level !== 'client-timeout') return tooManyKeys(ep, offered);
  if (err.level === 'client-authentication' && offered.length > 0) return { kind: 'auth', message: `${ep.user}@${where} refused every key offered: ${offered.join('; ')}` };
  if (err.level === 'client-authentication' && ep.identities !== undefined) return { kind: 'auth', message: `${ep.user}@${where}: no key to offer (IdentityFile: ${ep.identities.join(', ')}${ep.identitiesOnly === true ? '; IdentitiesOnly: the agent\'s other keys are not offered' : ''})` };
  if (err.level === 'client-authentication') return { kind: 'auth', message: `${ep.user}@${where} refused every key (${err.message})` };
  if (err.level === 'client-timeout') return { kind: 'timeout', message: `no SSH handshake from ${where} within ${ep.connectTimeoutMs} ms` };
  if (err.level === 'agent') return { kind: 'config', message: `ssh-agent: ${err.message}` };
  if (isLocalResourceError(err.code)) return { kind: 'local', message: `cannot connect to ${where}: ${describeLocalError(err.code)}` };
  // A name that does not resolve will not start to while a host boots: final, at once.
  if (err.code === 'ENOTFOUND') return { kind: 'config', message: unknownName(ep.address, ep.sshConfigFiles) };
  const code = err.code === undefined ? err.message : `${err.code}`;
  return { kind: 'unreachable', message: `cannot connect to ${where}: ${code}` };
}
