/**
 * The order keys are offered in, as ssh does it (sshconnect2.c, pubkey_prepare): the agent's
 * keys in the agent's order, those that are one of the identity files first used through the
 * agent (its copy is unlocked), then, unless IdentitiesOnly, the agent's other keys; then the
 * identity files the agent does not hold. Each key is one attempt, so a refusal names the key.
 */
import './ssh2-certs.js'; // first: it extends ssh2 before ssh2 loads
import ssh2, { type AgentAuthMethod, type BaseAgent, type ParsedKey, type PublicKeyAuthMethod } from 'ssh2';
import { fingerprint } from './known-hosts.js';

const { BaseAgent: AgentBase, createAgent } = ssh2 as unknown as { BaseAgent: new () => BaseAgent; createAgent: (socket: string) => BaseAgent };

/** An identity file: its public key (from the key or a `.pub` beside it) and the private key when it could be read. */
export interface IdentityFile {
  readonly file: string;
  /** SSH wire form of the public key, when known. */
  readonly publicKey?: Buffer;
  readonly key?: ParsedKey;
}

/** One attempt: what is offered and how it is named in messages. */
export interface Offer {
  readonly method: PublicKeyAuthMethod | AgentAuthMethod;
  readonly label: string;
}

/** An agent that offers exactly one of another agent's keys. */
class OneKeyAgent extends AgentBase {
  readonly #inner: BaseAgent;
  readonly #key: ParsedKey;
  constructor(inner: BaseAgent, key: ParsedKey) {
    super();
    this.#inner = inner;
    this.#key = key;
  }
  override getIdentities(cb: (err: Error | undefined, keys?: ParsedKey[]) => void): void {
    cb(undefined, [this.#key]);
  }
  override sign(pub: ParsedKey | Buffer, data: Buffer, options: unknown, cb?: (err: Error | undefined, signature?: Buffer) => void): void {
    (this.#inner.sign as (...a: unknown[]) => void)(pub, data, options, cb);
  }
}

/** The agent's keys, or none when it cannot be asked (ssh goes on without it). */
export function agentKeys(socket: string): Promise<{ agent: BaseAgent; keys: ParsedKey[] } | { error: string }> {
  return new Promise((resolve) => {
    const agent = createAgent(socket);
    agent.getIdentities((err, keys) => resolve(err ? { error: err.message } : { agent, keys: (keys ?? []) as unknown as ParsedKey[] }));
  });
}

const label = (what: string, key: { type: string }, pub: Buffer): string => `${what} (${key.type} ${fingerprint(pub)})`;

/** The attempts, in ssh's order. */
export function authOffers(username: string, files: readonly IdentityFile[], agent: { agent: BaseAgent; keys: readonly ParsedKey[] } | undefined, identitiesOnly: boolean): Offer[] {
  const offers: Offer[] = [];
  const left = [...files];
  for (const key of agent?.keys ?? []) {
    const pub = key.getPublicSSH();
    const i = left.findIndex((f) => f.publicKey !== undefined && f.publicKey.equals(pub));
    const file = i >= 0 ? left.splice(i, 1)[0] : undefined;
    if (!file && identitiesOnly) continue;
    const what = file ? `${file.file} (through the agent)` : `agent key ${key.comment === '' ? '(no comment)' : `'${key.comment}'`}`;
    offers.push({ method: { type: 'agent', username, agent: new OneKeyAgent((agent as { agent: BaseAgent }).agent, key) }, label: label(what, key, pub) });
  }
  for (const f of left) {
    if (f.key) offers.push({ method: { type: 'publickey', username, key: f.key }, label: label(f.file, f.key, f.key.getPublicSSH()) });
  }
  return offers;
}
