/**
 * OpenSSH host certificates (PROTOCOL.certkeys): parsing, the CA's signature, and the checks
 * `ssh` makes before it trusts one (sshconnect.c, check_host_cert; sshkey.c,
 * sshkey_cert_check_authority). Pure: the caller finds the CA line and gives the clock.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

const CERT_SUFFIX = '-cert-v01@openssh.com';
const HOST_CERT = 2;

/** The plain key type each certificate type wraps, and how many public fields it has. */
const PLAIN: Readonly<Record<string, { type: string; fields: number }>> = {
  [`ssh-ed25519${CERT_SUFFIX}`]: { type: 'ssh-ed25519', fields: 1 },
  [`ecdsa-sha2-nistp256${CERT_SUFFIX}`]: { type: 'ecdsa-sha2-nistp256', fields: 2 },
  [`ecdsa-sha2-nistp384${CERT_SUFFIX}`]: { type: 'ecdsa-sha2-nistp384', fields: 2 },
  [`ecdsa-sha2-nistp521${CERT_SUFFIX}`]: { type: 'ecdsa-sha2-nistp521', fields: 2 },
  [`ssh-rsa${CERT_SUFFIX}`]: { type: 'ssh-rsa', fields: 2 },
};

export interface Certificate {
  /** E.g. `ssh-ed25519-cert-v01@openssh.com`. */
  readonly type: string;
  /** The certified key as a plain public key blob (e.g. an `ssh-ed25519` blob). */
  readonly key: Buffer;
  readonly serial: bigint;
  /** 1 user, 2 host. */
  readonly certType: number;
  readonly keyId: string;
  readonly principals: readonly string[];
  /** Seconds since the epoch; valid from `validAfter` inclusive to `validBefore` exclusive. */
  readonly validAfter: bigint;
  readonly validBefore: bigint;
  readonly criticalOptions: readonly string[];
  readonly extensions: readonly string[];
  /** The CA's public key blob. */
  readonly signatureKey: Buffer;
  readonly signature: Buffer;
  /** The bytes the CA signed: everything before the signature field. */
  readonly signed: Buffer;
}

/** True for a `*-cert-v01@openssh.com` key type. */
export function isCertificateType(type: string): boolean {
  return type.endsWith(CERT_SUFFIX);
}

/** Reads SSH wire fields; every read throws a RangeError past the end. */
class Reader {
  #pos = 0;
  constructor(readonly buf: Buffer) {}
  get pos(): number {
    return this.#pos;
  }
  get done(): boolean {
    return this.#pos === this.buf.length;
  }
  bytes(): Buffer {
    const len = this.uint32();
    if (this.#pos + len > this.buf.length) throw new RangeError('truncated');
    const out = this.buf.subarray(this.#pos, this.#pos + len);
    this.#pos += len;
    return out;
  }
  string(): string {
    return this.bytes().toString('utf8');
  }
  uint32(): number {
    if (this.#pos + 4 > this.buf.length) throw new RangeError('truncated');
    const v = this.buf.readUInt32BE(this.#pos);
    this.#pos += 4;
    return v;
  }
  uint64(): bigint {
    if (this.#pos + 8 > this.buf.length) throw new RangeError('truncated');
    const v = this.buf.readBigUInt64BE(this.#pos);
    this.#pos += 8;
    return v;
  }
}

/** Parses a certificate blob; throws a RangeError saying what is wrong. */
export function parseCertificate(blob: Buffer): Certificate {
  try {
    return parse(blob);
  } catch (e) {
    throw new RangeError(`malformed certificate: ${(e as Error).message}`);
  }
}

function parse(blob: Buffer): Certificate {
  const r = new Reader(blob);
  const type = r.string();
  const plain = PLAIN[type];
  if (plain === undefined) throw new RangeError(`unsupported type ${type}`);
  r.bytes(); // nonce
  const start = r.pos;
  for (let i = 0; i < plain.fields; i++) r.bytes();
  const key = Buffer.concat([wire(Buffer.from(plain.type)), blob.subarray(start, r.pos)]);
  const serial = r.uint64();
  const certType = r.uint32();
  const keyId = r.string();
  const principals = names(r.bytes(), false);
  const validAfter = r.uint64();
  const validBefore = r.uint64();
  const criticalOptions = names(r.bytes(), true);
  const extensions = names(r.bytes(), true);
  r.bytes(); // reserved
  const signatureKey = r.bytes();
  const signed = blob.subarray(0, r.pos);
  const signature = r.bytes();
  if (!r.done) throw new RangeError('trailing data');
  return { type, key, serial, certType, keyId, principals, validAfter, validBefore, criticalOptions, extensions, signatureKey, signature, signed };
}

/** A packed list of strings; options and extensions are name/data pairs (only names kept). */
function names(buf: Buffer, pairs: boolean): string[] {
  const r = new Reader(buf);
  const out: string[] = [];
  while (!r.done) {
    out.push(r.string());
    if (pairs) r.bytes();
  }
  return out;
}

function wire(b: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}

/**
 * Why `ssh` would not trust this certificate for `host` at `now` (seconds), or undefined when it
 * would (the caller has found a `@cert-authority` line for its signature key and checked
 * revocation). Stricter than OpenSSH in one way: a certificate with no principals is refused
 * (OpenSSH takes it as valid for every host name).
 */
export function certificateProblem(cert: Certificate, host: string, now: number): string | undefined {
  if (cert.certType !== HOST_CERT) return `it is a ${cert.certType === 1 ? 'user' : `type ${cert.certType}`} certificate, not a host certificate`;
  const sig = signatureProblem(cert);
  if (sig !== undefined) return sig;
  const t = BigInt(Math.floor(now));
  if (t < cert.validAfter) return `it is not valid before ${when(cert.validAfter)}`;
  if (t >= cert.validBefore) return `it expired at ${when(cert.validBefore)}`;
  if (cert.principals.length === 0) return 'it names no principals (host names it is valid for)';
  const name = host.toLowerCase();
  if (!cert.principals.includes(name)) return `it is not valid for ${name} (principals: ${cert.principals.join(', ')})`;
  if (cert.criticalOptions.length > 0) return `it has critical options, which host certificates must not have (${cert.criticalOptions.join(', ')})`;
  return undefined;
}

function when(seconds: bigint): string {
  return seconds >= 253402300800n ? 'forever' : new Date(Number(seconds) * 1000).toISOString();
}

/** Curve of each ECDSA type: JWK name, coordinate bytes, hash. */
const CURVES: Readonly<Record<string, { crv: string; size: number; hash: string }>> = {
  'ecdsa-sha2-nistp256': { crv: 'P-256', size: 32, hash: 'sha256' },
  'ecdsa-sha2-nistp384': { crv: 'P-384', size: 48, hash: 'sha384' },
  'ecdsa-sha2-nistp521': { crv: 'P-521', size: 66, hash: 'sha512' },
};
const RSA_HASH: Readonly<Record<string, string>> = { 'rsa-sha2-256': 'sha256', 'rsa-sha2-512': 'sha512' };

/** Why the CA's signature does not hold, or undefined when it does. */
export function signatureProblem(cert: Certificate): string | undefined {
  try {
    const caKey = new Reader(cert.signatureKey);
    const caType = caKey.string();
    const sig = new Reader(cert.signature);
    const sigType = sig.string();
    const sigData = sig.bytes();
    let ok: boolean;
    if (caType === 'ssh-ed25519' && sigType === caType) {
      ok = verify(null, cert.signed, jwk({ kty: 'OKP', crv: 'Ed25519', x: url(caKey.bytes()) }), sigData);
    } else if (CURVES[caType] !== undefined && sigType === caType) {
      const c = CURVES[caType];
      if (caKey.string() !== c.crv.replace('P-', 'nistp')) return 'its CA key is malformed';
      const q = caKey.bytes();
      if (q[0] !== 4 || q.length !== 1 + 2 * c.size) return 'its CA key is malformed';
      const key = jwk({ kty: 'EC', crv: c.crv, x: url(q.subarray(1, 1 + c.size)), y: url(q.subarray(1 + c.size)) });
      const rs = new Reader(sigData);
      const p1363 = Buffer.concat([fixed(rs.bytes(), c.size), fixed(rs.bytes(), c.size)]);
      ok = verify(c.hash, cert.signed, { key, dsaEncoding: 'ieee-p1363' }, p1363);
    } else if (caType === 'ssh-rsa' && RSA_HASH[sigType] !== undefined) {
      const e = caKey.bytes();
      const n = caKey.bytes();
      ok = verify(RSA_HASH[sigType], cert.signed, jwk({ kty: 'RSA', n: url(unsigned(n)), e: url(unsigned(e)) }), sigData);
    } else {
      // ssh-rsa (SHA-1) signatures are refused, as OpenSSH's default CASignatureAlgorithms does.
      return `its CA signature (${sigType} by a ${caType} key) is of a kind orchestrate does not accept`;
    }
    return ok ? undefined : 'its CA signature does not verify';
  } catch (e) {
    return `its CA signature cannot be checked (${(e as Error).message})`;
  }
}

function jwk(key: Record<string, string>): KeyObject {
  return createPublicKey({ key, format: 'jwk' });
}

function url(b: Buffer): string {
  return b.toString('base64url');
}

/** An mpint without its sign byte. */
function unsigned(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}

/** An mpint as exactly `size` big-endian bytes. */
function fixed(b: Buffer, size: number): Buffer {
  const u = unsigned(b);
  if (u.length > size) throw new RangeError('signature value too long');
  return Buffer.concat([Buffer.alloc(size - u.length), u]);
}
