/**
 * Key generation for simulated hosts and tests, and keys that sign and verify fast.
 *
 * ssh2's generateKeyPairSync('ed25519') writes a malformed key about once in 200 (a public key
 * whose first byte is 0 loses it: 31 bytes), which ssh2 itself then refuses to parse; such keys
 * are thrown away and generated again.
 *
 * ssh2 signs and verifies with PEM text, which node:crypto parses again on every call: 0.43 ms
 * per ed25519 signature on the 2-core bench machine when quiet (7.8 ms under load) against 0.03 ms
 * (0.35 ms) with a KeyObject. A fleet signs once per SSH connection (the host key in the key
 * exchange) and verifies once per login, thousands of times for 1,000 VMs; fastHostKey and
 * keyVerifier keep the KeyObject instead.
 */
import '../transport/index.js'; // first: it extends ssh2 before ssh2 loads (transport/ssh2-certs.ts)
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import ssh2, { type ParsedKey } from 'ssh2';
import { fastSigningKey } from '../transport/index.js';

const { utils } = ssh2;

export interface KeyPair {
  /** OpenSSH private key format. */
  readonly private: string;
  /** `ssh-ed25519 AAAA…`. */
  readonly public: string;
  readonly parsed: ParsedKey;
}

export function generateEd25519(): KeyPair {
  for (let attempt = 0; attempt < 50; attempt++) {
    const keys = utils.generateKeyPairSync('ed25519');
    const pub = utils.parseKey(keys.public);
    const priv = utils.parseKey(keys.private);
    if (!(pub instanceof Error) && !(priv instanceof Error)) return { private: keys.private, public: keys.public, parsed: pub };
  }
  throw new Error('could not generate a valid ed25519 key');
}

const ED25519 = 'ssh-ed25519';

/**
 * A host key (OpenSSH private format) parsed once; an ed25519 key's `sign` uses a KeyObject
 * (other kinds keep ssh2's; lib/transport/fast-key.ts). ssh2's Server takes it as `{ key }`
 * (parseKey returns a parsed key as it is).
 */
export function fastHostKey(text: string): ParsedKey {
  const key = fastSigningKey(text);
  if (key instanceof Error) throw key;
  return key;
}

/** Checks signatures of one public key (its SSH wire blob): with a KeyObject made once for ed25519, else with ssh2's verify. */
export type KeyVerifier = (data: Buffer, signature: Buffer, algo: string | undefined) => boolean;

const verifiers = new Map<string, KeyVerifier | undefined>();

/** The verifier of an authorized key, cached by the key (a fleet's hosts share one client key); undefined when it cannot be parsed. */
export function keyVerifier(blob: Buffer): KeyVerifier | undefined {
  const id = blob.toString('base64');
  if (verifiers.has(id)) return verifiers.get(id);
  const parsed = utils.parseKey(blob);
  const pem = parsed instanceof Error ? null : parsed.getPublicPEM();
  let made: KeyVerifier | undefined;
  if (!(parsed instanceof Error) && pem !== null && parsed.type === ED25519) {
    const object: KeyObject = createPublicKey(pem);
    made = (data, signature) => {
      try {
        return verify(null, data, object, signature);
      } catch {
        return false;
      }
    };
  } else if (!(parsed instanceof Error)) {
    made = (data, signature, algo) => parsed.verify(data, signature, algo) === true;
  }
  verifiers.set(id, made);
  return made;
}
