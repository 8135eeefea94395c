/** The parts of an SSH endpoint that ssh_config sets (lib/cli/ssh-endpoint-config.ts), and where each setting came from. */
export interface SshConfigFields {
  /** ssh_config IdentityFile list (tokens and `~` expanded), offered when `identity` is not set. */
  readonly identities?: readonly string[];
  /** ssh_config IdentitiesOnly: of the agent's keys, only those of the identity files. @default false */
  readonly identitiesOnly?: boolean;
  /** ssh_config IdentityAgent: the agent's socket, instead of SSH_AUTH_SOCK. */
  readonly agentSocket?: string;
  /** ssh_config ServerAliveInterval and ServerAliveCountMax (interval 0: none). @default 5 s × 3 */
  readonly keepalive?: { readonly intervalMs: number; readonly countMax: number };
  /** The topology's `ssh_config`: another file to read (absolute), or `none`. Read by the CLI, before planning. */
  readonly sshConfig?: string;
  /** The ssh_config files read for this endpoint (for messages). */
  readonly sshConfigFiles?: readonly string[];
  /**
   * Where each connection setting came from: `file:line:col` of the topology, or `file:line` of
   * an ssh_config file. A setting not listed has its default.
   */
  readonly sources?: Readonly<Record<string, string>>;
}
