/**
 * Key generation for simulated hosts and tests. ssh2's generateKeyPairSync('ed25519') writes a
 * malformed key about once in 200 (a public key whose first byte is 0 loses it: 31 bytes), which
 * ssh2 itself then refuses to parse; such keys are thrown away and generated again.
 */
import ssh2, { type ParsedKey } from 'ssh2';

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
