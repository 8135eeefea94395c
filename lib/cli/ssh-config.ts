/**
 * Reading ssh_config at the CLI edge: the files (`-F FILE`, else each endpoint's `ssh_config`,
 * else ORCHESTRATE_SSH_CONFIG, else ~/.ssh/config then /etc/ssh/ssh_config), read once per
 * run, applied to every endpoint before the plan is made. Problems ssh would refuse are fatal;
 * settings orchestrate does not follow are warned about.
 */
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { PlanSource } from '../plan/index.js';
import { execMatch, fsConfigReader, SshConfigCache, type ConfigReader } from '../sshconfig/index.js';
import type { Topology } from '../topology/index.js';
import { CliError } from '../errors.js';
import { EXIT } from './exit.js';
import type { CliIO } from './io.js';
import { applySshConfig } from './ssh-endpoint-config.js';

/** The local facts ssh's tokens use; `~` is $HOME. */
function localFacts(io: CliIO): { user: string; home: string; hostName: string; uid: number } {
  let user = io.env['USER'] ?? '';
  let uid = -1;
  try {
    const info = os.userInfo();
    user = info.username;
    uid = info.uid;
  } catch {
    // no passwd entry: $USER
  }
  return { user, home: io.env['HOME'] ?? os.homedir(), hostName: os.hostname(), uid };
}

/** `topology` with ssh_config applied; every file read is added to `sources` (a saved plan goes stale when one changes). */
export function withSshConfig(topology: Topology, io: CliIO, file: string | undefined, sources: PlanSource[]): Topology {
  const abs = (f: string | undefined): { file?: string } => (f === undefined ? {} : { file: f === 'none' ? 'none' : path.resolve(io.cwd, f) });
  const fallback = abs(io.env['ORCHESTRATE_SSH_CONFIG']).file;
  const local = localFacts(io);
  const reader: ConfigReader = {
    // A topology's ssh_config is relative to the topology file as written, so to the working directory.
    read: (f) => {
      const text = fsConfigReader.read(path.resolve(io.cwd, f));
      if (text !== undefined) sources.push({ file: path.resolve(io.cwd, f), sha256: createHash('sha256').update(text).digest('hex') });
      return text;
    },
    glob: fsConfigReader.glob,
  };
  const cache = new SshConfigCache({ reader, local: { ...local, exec: execMatch } });
  const applied = applySshConfig(topology, {
    cache, env: io.env, local, ...abs(file), ...(fallback === undefined ? {} : { fallback }),
  });
  for (const w of applied.warnings) io.err(`warning: ssh_config ${w}`);
  if (applied.errors.length > 0) {
    for (const e of applied.errors) io.err(`ssh_config ${e}`);
    throw new CliError(`ssh_config: ${applied.errors.length} problem${applied.errors.length === 1 ? '' : 's'} found (ssh would refuse it too)`, { exitCode: EXIT.invalid });
  }
  return applied.topology;
}
