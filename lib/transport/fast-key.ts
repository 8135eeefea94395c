/**
 * A private key parsed once, whose ed25519 signatures use a node:crypto KeyObject. ssh2 signs
 * with PEM text, which node:crypto parses again on every call: 0.43 ms per ed25519 signature on
 * a quiet 2-core machine (7.8 ms under load) against 0.03 ms (0.35 ms) with a KeyObject — once
 * per login, so a thousand logins at once cost seconds. Other key types keep ssh2's own signing.
 */
import './ssh2-certs.js'; // first: it extends ssh2 before ssh2 loads
import { createPrivateKey, sign } from 'node:crypto';
import ssh2, { type ParsedKey } from 'ssh2';

const { utils } = ssh2;

/** The parsed key (an Error when it cannot be parsed, e.g. passphrase-protected). */
export function fastSigningKey(text: string | Buffer): ParsedKey | Error {
  const parsed = utils.parseKey(text);
  if (parsed instanceof Error) return parsed;
  const key = Array.isArray(parsed) ? (parsed[0] as ParsedKey) : parsed;
  const pem = key.getPrivatePEM();
  if (key.type !== 'ssh-ed25519' || pem === null) return key;
  const object = createPrivateKey(pem);
  Object.defineProperty(key, 'sign', {
    value: (data: Buffer): Buffer | Error => {
      try {
        return sign(null, data, object);
      } catch (e) {
        return e as Error;
      }
    },
  });
  return key;
}
