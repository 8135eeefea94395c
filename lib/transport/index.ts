// First: host certificates for ssh2, which must be set up before ssh2 loads (ssh2-certs.ts).
export { certSupport, CERT_ALGORITHMS, type CertSupport } from './ssh2-certs.js';
export { SshTransport, type SshTransportOptions } from './ssh-pool.js';
export { execLocal } from './local.js';
export { fastSigningKey } from './fast-key.js';
export { tail } from './output.js';
export { PGID_MARKER, killGroupCommand, unwrapCommand, wrapCommand } from './remote-process.js';
export type { CommandResult, ConnectError, ConnectErrorKind, Endpoint, ExecOptions, ExecOutcome, ProbeOptions, ProbeResult, Stream, Transport } from './types.js';
export { describeLocalError, isLocalResourceError } from './local-limits.js';
export { NullTransport } from './null.js';
export { withSecrets } from './secrets.js';
