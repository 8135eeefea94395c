/**
 * OpenSSH known_hosts: parsing, host matching (patterns, negation, hashed names, `[host]:port`)
 * and the host-key verdict an ssh2 `hostVerifier` needs. Pure; no I/O (callers read and append
 * the file). Host names are compared lowercased, as the `ssh` client and `ssh-keygen -H` do.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** One usable line of a known_hosts file. */
export interface KnownHostsEntry {
  /** The file it was read from, when the parser was told (for messages). */
  readonly file?: string;
  /** 1-based line number in the text that was parsed. */
  readonly line: number;
  readonly marker?: 'revoked' | 'cert-authority';
  /** The comma-separated host patterns; for a hashed line, the single `|1|salt|hash` field. */
  readonly patterns: readonly string[];
  /** Present when the host field is hashed (`|1|base64(salt)|base64(HMAC-SHA1(salt, host))`). */
  readonly hashed?: { readonly salt: Buffer; readonly hash: Buffer };
  /** E.g. `ssh-ed25519`; always equal to the type name inside the key blob. */
  readonly keyType: string;
  readonly keyBase64: string;
}

/** The line that decided a verdict: its file (when the entries carry one) and line number. */
export interface EntryAt {
  readonly file?: string;
  readonly line: number;
}

/** The outcome of checking an offered host key against known_hosts entries. */
export type HostKeyVerdict =
  | ({ readonly status: 'match' } & EntryAt)
  /** No key of the host at all; `authority` is the first `@cert-authority` line for it, if any. */
  | { readonly status: 'unknown'; readonly authority?: EntryAt }
  | ({ readonly status: 'mismatch'; readonly expectedType: string } & EntryAt)
  /** The host has known keys, but only of other types than the one offered. */
  | ({ readonly status: 'other-type'; readonly knownType: string } & EntryAt)
  | ({ readonly status: 'revoked' } & EntryAt);

const HASH_MAGIC = '|1|';
const SHA1_BYTES = 20;
const MARKERS: Readonly<Record<string, 'revoked' | 'cert-authority'>> = {
  '@revoked': 'revoked',
  '@cert-authority': 'cert-authority',
};

/**
 * Parses known_hosts text; `file`, when given, is recorded in each entry for messages. Blank
 * lines, comments and malformed lines (bad marker, bad hashed field, a key that does not decode or
 * whose blob type differs from the type field) are skipped, as OpenSSH skips them.
 */
export function parseKnownHosts(text: string, file?: string): KnownHostsEntry[] {
  const entries: KnownHostsEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const entry = parseLine(raw, index + 1, file);
    if (entry) entries.push(entry);
  });
  return entries;
}

function parseLine(raw: string, line: number, file: string | undefined): KnownHostsEntry | undefined {
  const fields = raw.trim().split(/[ \t]+/);
  if (fields[0] === undefined || fields[0] === '' || fields[0].startsWith('#')) return undefined;
  let marker: 'revoked' | 'cert-authority' | undefined;
  if (fields[0].startsWith('@')) {
    marker = MARKERS[fields[0]];
    if (marker === undefined) return undefined;
    fields.shift();
  }
  const [hostField, keyType, keyBase64] = fields;
  if (hostField === undefined || keyType === undefined || keyBase64 === undefined) return undefined;
  if (!isValidKey(keyType, keyBase64)) return undefined;
  const base = { ...(file === undefined ? {} : { file }), line, keyType, keyBase64, ...(marker ? { marker } : {}) };
  if (hostField.startsWith('|')) {
    const hashed = parseHashed(hostField);
    return hashed ? { ...base, patterns: [hostField], hashed } : undefined;
  }
  const patterns = hostField.split(',').filter((p) => p !== '');
  return patterns.length > 0 ? { ...base, patterns } : undefined;
}

function isValidKey(keyType: string, keyBase64: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(keyBase64)) return false;
  const blob = Buffer.from(keyBase64, 'base64');
  return blob.toString('base64') === keyBase64 && readKeyType(blob) === keyType;
}

function parseHashed(field: string): { salt: Buffer; hash: Buffer } | undefined {
  if (!field.startsWith(HASH_MAGIC)) return undefined;
  const parts = field.slice(HASH_MAGIC.length).split('|');
  if (parts.length !== 2) return undefined;
  const salt = Buffer.from(parts[0] ?? '', 'base64');
  const hash = Buffer.from(parts[1] ?? '', 'base64');
  return salt.length === SHA1_BYTES && hash.length === SHA1_BYTES ? { salt, hash } : undefined;
}

/** The name known_hosts uses for an endpoint: `host` on port 22, else `[host]:port`; lowercased. */
export function hostPattern(host: string, port: number): string {
  const name = host.toLowerCase();
  return port === 22 ? name : `[${name}]:${port}`;
}

/** True when the entry's host field (patterns with `*`, `?`, `!` negation, or a hashed name) covers `host` on `port`. */
export function matchesHost(entry: KnownHostsEntry, host: string, port: number): boolean {
  const name = hostPattern(host, port);
  if (entry.hashed) {
    const actual = hashName(entry.hashed.salt, name);
    return actual.length === entry.hashed.hash.length && timingSafeEqual(actual, entry.hashed.hash);
  }
  let matched = false;
  for (const pattern of entry.patterns) {
    const negated = pattern.startsWith('!');
    if (!globMatch(negated ? pattern.slice(1).toLowerCase() : pattern.toLowerCase(), name)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

function hashName(salt: Buffer, name: string): Buffer {
  return createHmac('sha1', salt).update(name).digest();
}

/** Glob match with `*` (any run) and `?` (any one character); iterative, no backtracking blow-up. */
function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    const c = pattern[p];
    if (c === '*') {
      starP = p++;
      starT = t;
    } else if (c !== undefined && (c === '?' || c === text[t])) {
      p++;
      t++;
    } else if (starP >= 0) {
      p = starP + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/**
 * Checks an offered host key (the raw blob ssh2 hands to `hostVerifier`) against the entries of
 * every file, user files first then global ones, as OpenSSH loads them into one list
 * (sshconnect.c, check_host_key; hostfile.c, check_hostkeys_by_key_or_type): `revoked` when a
 * matching `@revoked` line anywhere holds this key; else `match` when any plain entry holds it;
 * else `mismatch` (first plain entry with the same key type but another key); else `other-type`
 * (the host is known, by keys of other types only); else `unknown` (no key of the host at all),
 * naming the first `@cert-authority` line for the host if there is one: a plain key offered by a
 * host that a CA vouches for is checked as OpenSSH checks it, against plain lines only (the CA
 * vouches for certificates, which ssh2 cannot negotiate; see host-keys.ts).
 *
 * `other-type` is a changed key, not a new host: OpenSSH's hostfile.c
 * (check_hostkeys_by_key_or_type) returns HOST_CHANGED when "no key matches but a key with a
 * different type is found", and sshconnect.c (check_host_key) refuses HOST_CHANGED under every
 * StrictHostKeyChecking but `no`; only HOST_NEW, a host with no known key, is added under
 * `accept-new`. A server that stops offering the known type (or an attacker offering another
 * one) must not get a new key recorded silently.
 */
export function checkHostKey(entries: readonly KnownHostsEntry[], host: string, port: number, blob: Buffer): HostKeyVerdict {
  const keyType = readKeyType(blob);
  if (keyType === undefined) return { status: 'unknown' };
  const keyBase64 = blob.toString('base64');
  const relevant = entries.filter((e) => e.marker !== 'cert-authority' && matchesHost(e, host, port));
  const same = (e: KnownHostsEntry): boolean => e.keyType === keyType && e.keyBase64 === keyBase64;
  const revoked = relevant.find((e) => e.marker === 'revoked' && same(e));
  if (revoked) return { status: 'revoked', ...at(revoked) };
  const plain = relevant.filter((e) => e.marker === undefined);
  const match = plain.find(same);
  if (match) return { status: 'match', ...at(match) };
  const changed = plain.find((e) => e.keyType === keyType);
  if (changed) return { status: 'mismatch', ...at(changed), expectedType: changed.keyType };
  const other = plain[0];
  if (other) return { status: 'other-type', ...at(other), knownType: other.keyType };
  const authority = entries.find((e) => e.marker === 'cert-authority' && matchesHost(e, host, port));
  return authority ? { status: 'unknown', authority: at(authority) } : { status: 'unknown' };
}

function at(e: KnownHostsEntry): EntryAt {
  return e.file === undefined ? { line: e.line } : { file: e.file, line: e.line };
}

/** The key type named at the start of an SSH wire-format public key (uint32 length + name), e.g. `ssh-ed25519`. Throws a RangeError on a malformed blob. */
export function keyTypeOf(blob: Buffer): string {
  const type = readKeyType(blob);
  if (type === undefined) throw new RangeError('not an SSH public key blob');
  return type;
}

function readKeyType(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const length = blob.readUInt32BE(0);
  if (length === 0 || length > 64 || blob.length < 4 + length) return undefined;
  const type = blob.toString('latin1', 4, 4 + length);
  return /^[\x21-\x7e]+$/.test(type) ? type : undefined;
}

/** `SHA256:` + unpadded base64 of the blob's SHA-256, as `ssh-keygen -lf` prints. */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/**
 * One known_hosts line (no trailing newline) for `host`/`port` and the blob. With `hash`, the host
 * field is `|1|salt|HMAC-SHA1`; the salt is random unless given (it must be 20 bytes, as OpenSSH requires).
 */
export function knownHostsLine(host: string, port: number, blob: Buffer, options?: { hash?: boolean; salt?: Buffer }): string {
  const name = hostPattern(host, port);
  let hostField = name;
  if (options?.hash === true) {
    const salt = options.salt ?? randomBytes(SHA1_BYTES);
    if (salt.length !== SHA1_BYTES) throw new RangeError(`salt must be ${SHA1_BYTES} bytes`);
    hostField = `${HASH_MAGIC}${salt.toString('base64')}|${hashName(salt, name).toString('base64')}`;
  }
  return `${hostField} ${keyTypeOf(blob)} ${blob.toString('base64')}`;
}

/** Key types already known for the host (plain entries only, file order, deduplicated), to prefer them in negotiation. */
export function knownTypesFor(entries: readonly KnownHostsEntry[], host: string, port: number): string[] {
  const types = entries.filter((e) => e.marker === undefined && matchesHost(e, host, port)).map((e) => e.keyType);
  return [...new Set(types)];
}

/**
 * The entries of a known_hosts file, indexed so that finding a host's entries does not scan the
 * file: plain exact names are looked up in a map; only wildcard, negated and hashed entries are
 * tested one by one (OpenSSH does the same scan, but once per connection; here the answer is
 * kept per host and port). Entries are returned in file order.
 */
export class KnownHostsIndex {
  readonly #exact = new Map<string, KnownHostsEntry[]>();
  #others: KnownHostsEntry[] = [];
  readonly #cache = new Map<string, readonly KnownHostsEntry[]>();

  constructor(entries: readonly KnownHostsEntry[] = []) {
    this.add(entries);
  }

  /**
   * Adds entries. `name` (a hostPattern) says which host they are for, when the caller knows it
   * (a line it just wrote): a hashed entry is then filed under that name instead of being tested
   * one by one for every host.
   */
  add(entries: readonly KnownHostsEntry[], name?: string): void {
    for (const e of entries) {
      const plain = !e.hashed && e.patterns.every((p) => !/[*?!]/.test(p));
      if (name !== undefined && e.hashed) {
        const list = this.#exact.get(name);
        if (list) list.push(e);
        else this.#exact.set(name, [e]);
        continue;
      }
      if (!plain) {
        this.#others.push(e);
        continue;
      }
      for (const name of new Set(e.patterns.map((p) => p.toLowerCase()))) {
        const list = this.#exact.get(name);
        if (list) list.push(e);
        else this.#exact.set(name, [e]);
      }
    }
    this.#cache.clear();
  }

  /** Every entry whose host field covers `host` on `port`, in file order. */
  forHost(host: string, port: number): readonly KnownHostsEntry[] {
    const name = hostPattern(host, port);
    const cached = this.#cache.get(name);
    if (cached) return cached;
    const matched = this.#others.filter((e) => matchesHost(e, host, port));
    const found = [...(this.#exact.get(name) ?? []), ...matched].sort((a, b) => a.line - b.line);
    this.#cache.set(name, found);
    // A hashed name is one host's: once found, it is filed under that name and no longer costs
    // an HMAC for every other host (a hashed file of N hosts costs N²/2 HMACs, not N²).
    const hashed = matched.filter((e) => e.hashed);
    if (hashed.length > 0) {
      this.#others = this.#others.filter((e) => !hashed.includes(e));
      this.#exact.set(name, [...(this.#exact.get(name) ?? []), ...hashed]);
    }
    return found;
  }
}
