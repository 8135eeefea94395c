/**
 * Host certificates for ssh2, which cannot negotiate them by itself (1.17.0): its list of
 * supported host-key algorithms has no `*-cert-v01@openssh.com` name, and its key exchange
 * (lib/protocol/kex.js) requires the signature type to equal the negotiated algorithm (a
 * certificate's host signs with the plain type), requires an RSA host key's type to be `ssh-rsa`
 * for `rsa-sha2-*` (a certificate's is `ssh-rsa-cert-v01@openssh.com`), and parses the host key
 * as a plain key to check the signature.
 *
 * No fork and no postinstall patch (the CLI is installed from npm, where hoisting makes patching
 * node_modules unreliable). Instead, before ssh2 is loaded, and for the one ssh2 version whose
 * kex.js is known byte for byte (its SHA-256 is checked):
 * 1. the certificate algorithm names are added to ssh2's supported list (a module-level array
 *    that client.js reads at each connect, so adding to it suffices);
 * 2. kex.js is read, given four small textual edits (below), compiled as the CommonJS module it
 *    is, and put in Node's module cache under its real file name, so that ssh2's own
 *    `require('./kex.js')` gets the edited copy.
 * The edits only widen what kex.js accepts for a negotiated certificate algorithm; the
 * certificate itself (CA signature, principals, validity, revocation) is checked by the
 * hostVerifier (host-certs.ts, host-keys.ts), as ssh2 hands it the whole certificate blob.
 * For any other ssh2 version, or if kex.js was already loaded, nothing is changed and
 * `certSupport` says why; orchestrate then never offers certificate algorithms.
 *
 * Every module that imports ssh2 imports this one first (ESM evaluates imports in order).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';

/** Host-certificate algorithms, as OpenSSH names them, most preferred first. */
export const CERT_ALGORITHMS = [
  'ssh-ed25519-cert-v01@openssh.com',
  'ecdsa-sha2-nistp256-cert-v01@openssh.com',
  'ecdsa-sha2-nistp384-cert-v01@openssh.com',
  'ecdsa-sha2-nistp521-cert-v01@openssh.com',
  'rsa-sha2-512-cert-v01@openssh.com',
  'rsa-sha2-256-cert-v01@openssh.com',
] as const;

const SSH2_VERSION = '1.17.0';
const KEX_SHA256 = '054ba4b81801596350f0e2e939746d2966297cffd4303b342c25b2fd5d295755';

/** Each edit: [text that must occur exactly once in kex.js, its replacement]. */
const EDITS: readonly (readonly [string, string])[] = [
  // Client, KEX reply: a certificate host key for a negotiated certificate algorithm
  // (rsa-sha2-512-cert-v01 is served as an ssh-rsa-cert-v01 key).
  [
    'if (hostPubKeyType !== this.negotiated.serverHostKey) {',
    'if (hostPubKeyType !== this.negotiated.serverHostKey\n                && hostPubKeyType !== certKeyType(this.negotiated.serverHostKey)) {',
  ],
  // Client, signature: a certificate's host signs with the plain algorithm.
  [
    'if (sigType !== negotiated.serverHostKey) {',
    'if (sigType !== negotiated.serverHostKey\n            && sigType !== certBaseAlgorithm(negotiated.serverHostKey)) {',
  ],
  // Client: the signature is checked with the certificate's own (inner) public key.
  ['parsedHostKey = parseDERKey(hostKey, name);', 'parsedHostKey = parseHostKey(hostKey, name);'],
  // Client: the RSA hash follows the signature type (equal to the algorithm for a plain key).
  [
    "switch (this.negotiated.serverHostKey) {\n          case 'rsa-sha2-256': hashAlgo = 'sha256'; break;\n          case 'rsa-sha2-512': hashAlgo = 'sha512'; break;\n        }\n\n        this._protocol._debug\n          && this._protocol._debug('Verifying signature ...');",
    "switch (sigType) {\n          case 'rsa-sha2-256': hashAlgo = 'sha256'; break;\n          case 'rsa-sha2-512': hashAlgo = 'sha512'; break;\n        }\n\n        this._protocol._debug\n          && this._protocol._debug('Verifying signature ...');",
  ],
];

/** Appended to kex.js (function declarations are hoisted, so the edits above can call them). */
const HELPERS = `
// Added by orchestrate (lib/transport/ssh2-certs.ts): host certificates.
const CERT_SUFFIX = '-cert-v01@openssh.com';
function certBaseAlgorithm(algo) {
  return algo.endsWith(CERT_SUFFIX) ? algo.slice(0, -CERT_SUFFIX.length) : undefined;
}
function certKeyType(algo) {
  return /^rsa-sha2-(256|512)-cert-v01@openssh\\.com$/.test(algo) ? 'ssh-rsa' + CERT_SUFFIX : undefined;
}
function parseHostKey(data, type) {
  if (!type.endsWith(CERT_SUFFIX)) return parseDERKey(data, type);
  // A certificate: string nonce, then the plain key's public fields (PROTOCOL.certkeys).
  if (data.length < 4 || data.length < 4 + data.readUInt32BE(0))
    return new Error('Malformed host certificate');
  return parseDERKey(data.subarray(4 + data.readUInt32BE(0)), type.slice(0, -CERT_SUFFIX.length));
}
`;

export type CertSupport = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Whether host certificates can be negotiated in this process, and if not, why (`reason` completes "cannot use host certificates with …"). */
export const certSupport: CertSupport = install();

function install(): CertSupport {
  const require = createRequire(import.meta.url);
  let root: string;
  let version: string;
  try {
    const manifest = require.resolve('ssh2/package.json');
    root = path.dirname(manifest);
    version = (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version ?? '?';
  } catch (e) {
    return { ok: false, reason: `ssh2 not found (${(e as Error).message})` };
  }
  const kexFile = path.join(root, 'lib', 'protocol', 'kex.js');
  if (version !== SSH2_VERSION) return { ok: false, reason: `this ssh2 version (${version}; orchestrate knows how to extend ${SSH2_VERSION})` };
  if (require.cache[kexFile] !== undefined) return { ok: false, reason: 'ssh2 loaded before orchestrate could extend it' };
  const edited = editKex(readFileSync(kexFile, 'utf8'));
  if (!edited.ok) return edited;
  const constants = require(path.join(root, 'lib', 'protocol', 'constants.js')) as { SUPPORTED_SERVER_HOST_KEY: string[] };
  for (const name of CERT_ALGORITHMS) {
    if (!constants.SUPPORTED_SERVER_HOST_KEY.includes(name)) constants.SUPPORTED_SERVER_HOST_KEY.push(name);
  }
  // Compiled exactly as Node's CommonJS loader would (same wrapper, file name and lookup paths).
  const CjsModule = Module as unknown as CjsModuleClass;
  const mod = new CjsModule(kexFile, undefined);
  mod.filename = kexFile;
  mod.paths = CjsModule._nodeModulePaths(path.dirname(kexFile));
  require.cache[kexFile] = mod as unknown as NodeJS.Module; // cached first, as Node does
  try {
    mod._compile(edited.source, kexFile);
  } catch (e) {
    delete require.cache[kexFile];
    return { ok: false, reason: `ssh2's key exchange not extended (${(e as Error).message})` };
  }
  mod.loaded = true;
  return { ok: true };
}

/** kex.js with the edits and helpers, if it is the known file byte for byte. */
export function editKex(source: string): { readonly ok: true; readonly source: string } | { readonly ok: false; readonly reason: string } {
  const hash = createHash('sha256').update(source).digest('hex');
  if (hash !== KEX_SHA256) return { ok: false, reason: `this ssh2 version's key exchange (kex.js, sha256 ${hash.slice(0, 12)}…), which orchestrate does not know how to extend` };
  let edited = source;
  for (const [from, to] of EDITS) {
    const at = edited.indexOf(from);
    // The hash pins the text, so this holds; checked anyway rather than half-editing.
    if (at < 0 || edited.indexOf(from, at + 1) >= 0) return { ok: false, reason: `kex.js edit not applicable: ${from.slice(0, 40)}` };
    edited = edited.slice(0, at) + to + edited.slice(at + from.length);
  }
  return { ok: true, source: edited + HELPERS };
}

/** The parts of Node's CommonJS Module class used here (not in @types/node's public surface). */
interface CjsModuleClass {
  new (id: string, parent: undefined): CjsModule;
  _nodeModulePaths(dir: string): string[];
}
interface CjsModule {
  filename: string;
  paths: string[];
  loaded: boolean;
  _compile(content: string, filename: string): void;
}
