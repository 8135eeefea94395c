/**
 * ssh_config applied to a topology's endpoints, before any plan is made: for each host,
 * hypervisor and bastion, the values ssh would use for its address (the alias), under what the
 * topology wrote (topology values win). ProxyJump hops become bastion endpoints, each resolved
 * through ssh_config as ssh resolves a jump host (its own ProxyJump applies to the first hop).
 * Each endpoint records where its settings came from. The simulated fleet is never passed here.
 */
import type { SshEndpoint, Topology } from '../topology/index.js';
import { expandEnv, expandTokens, type HostConfig, type JumpHop, type SshConfigCache, type SshConfigSettings, type TokenContext } from '../sshconfig/index.js';
import { expandHome } from '../util/home.js';

/** Jump hosts that lead to further jump hosts, at most (a loop in ProxyJump is cut here). */
const MAX_JUMP_DEPTH = 8;

export interface SshConfigContext {
  readonly cache: SshConfigCache;
  /** `-F FILE` on the command line: read instead of every other file (`none`: no file). */
  readonly file?: string | undefined;
  /** Used where neither `file` nor the endpoint's `ssh_config` says (ORCHESTRATE_SSH_CONFIG). */
  readonly fallback?: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly local: { readonly user: string; readonly home: string; readonly hostName: string; readonly uid: number };
}

export interface AppliedConfig {
  readonly topology: Topology;
  readonly warnings: readonly string[];
  readonly errors: readonly string[];
}

class Applier {
  readonly warnings = new Set<string>();
  readonly errors = new Set<string>();
  readonly #ctx: SshConfigContext;
  readonly #done = new Map<SshEndpoint, SshEndpoint>();

  constructor(ctx: SshConfigContext) {
    this.#ctx = ctx;
  }

  endpoint(ep: SshEndpoint, depth = 0): SshEndpoint {
    const hit = this.#done.get(ep);
    if (hit) return hit;
    const file = this.#ctx.file ?? ep.sshConfig ?? this.#ctx.fallback;
    const found = this.#ctx.cache.lookup(ep.address, file);
    for (const w of found.settings.warnings) this.warnings.add(w);
    for (const e of found.settings.errors) this.errors.add(e);
    const out = this.#merge(ep, found, depth);
    this.#done.set(ep, out);
    // A resolved endpoint (a hop reached through another) is not resolved again.
    this.#done.set(out, out);
    return out;
  }

  #merge(ep: SshEndpoint, found: HostConfig, depth: number): SshEndpoint {
    const s = found.settings;
    const written = ep.sources ?? {};
    const src: Record<string, string> = { ...written };
    const pick = <T>(field: string, v: { value: T; at: string } | undefined, current: T): T => {
      if (written[field] !== undefined && field !== 'address') return current;
      if (v === undefined) return current;
      src[field] = v.at;
      return v.value;
    };
    const address = pick('address', s.hostName, ep.address);
    const user = pick('user', s.user, ep.user);
    const port = pick('port', s.port, ep.port);
    const tokens: TokenContext = { host: address, originalHost: ep.address, port, remoteUser: user, localUser: this.#ctx.local.user, home: this.#ctx.local.home, localHost: this.#ctx.local.hostName, uid: this.#ctx.local.uid, jump: '' };
    const files = (list: readonly string[], at: string): string[] => list.map((f) => this.#path(f, tokens, at));
    const out: Record<string, unknown> = {
      ...ep, address, user, port,
      hostKeyPolicy: pick('hostKeyPolicy', s.hostKeyPolicy, ep.hostKeyPolicy),
      hashKnownHosts: pick('hashKnownHosts', s.hashKnownHosts, ep.hashKnownHosts),
      connectTimeoutMs: written['connectTimeout'] === undefined && s.connectTimeoutMs ? (src['connectTimeout'] = s.connectTimeoutMs.at, s.connectTimeoutMs.value) : ep.connectTimeoutMs,
      sshConfigFiles: found.files,
    };
    if (s.userKnownHostsFiles && written['knownHosts'] === undefined) {
      out['knownHosts'] = files(s.userKnownHostsFiles.value, s.userKnownHostsFiles.at);
      src['knownHosts'] = s.userKnownHostsFiles.at;
    }
    if (s.globalKnownHostsFiles && written['globalKnownHosts'] === undefined) {
      // ssh expands `~` but no token in the global files.
      out['globalKnownHosts'] = s.globalKnownHostsFiles.value.filter((f) => f !== 'none').map((f) => expandHome(f, this.#ctx.local.home));
      src['globalKnownHosts'] = s.globalKnownHostsFiles.at;
    }
    if (s.identityFiles.length > 0 && written['identity'] === undefined) {
      out['identities'] = s.identityFiles.map((f) => this.#path(f.value, tokens, f.at));
      src['identity'] = [...new Set(s.identityFiles.map((f) => f.at))].join(', ');
    }
    if (s.identitiesOnly) {
      out['identitiesOnly'] = s.identitiesOnly.value;
      src['identitiesOnly'] = s.identitiesOnly.at;
    }
    this.#agent(s, written, out, src, tokens);
    this.#keepalive(s, out, src);
    if (written['jump'] === undefined && s.proxyJump) {
      // `ProxyJump none` (no hops) connects directly.
      const chain = this.#chain(ep, s.proxyJump.value, s.proxyJump.at, depth);
      if (chain === undefined) delete out['jump'];
      else out['jump'] = chain;
      src['jump'] = s.proxyJump.at;
    } else if (ep.jump) {
      out['jump'] = this.endpoint(ep.jump, depth + 1);
    }
    out['sources'] = src;
    return out as unknown as SshEndpoint;
  }

  #agent(s: SshConfigSettings, written: Record<string, string>, out: Record<string, unknown>, src: Record<string, string>, tokens: TokenContext): void {
    if (!s.identityAgent || written['agent'] !== undefined) return;
    const v = s.identityAgent.value;
    src['agent'] = s.identityAgent.at;
    if (v === 'none') out['agent'] = false;
    else if (v !== 'SSH_AUTH_SOCK') {
      const socket = v.startsWith('$') && !v.startsWith('${') ? this.#ctx.env[v.slice(1)] : this.#path(v, tokens, s.identityAgent.at);
      if (socket === undefined || socket === '') this.errors.add(`${s.identityAgent.at}: IdentityAgent ${v}: the variable is not set`);
      else out['agentSocket'] = socket;
    }
  }

  #keepalive(s: SshConfigSettings, out: Record<string, unknown>, src: Record<string, string>): void {
    if (!s.serverAliveIntervalMs && !s.serverAliveCountMax) return;
    out['keepalive'] = { intervalMs: s.serverAliveIntervalMs?.value ?? 5000, countMax: s.serverAliveCountMax?.value ?? 3 };
    src['keepalive'] = (s.serverAliveIntervalMs ?? s.serverAliveCountMax)?.at ?? '';
  }

  /** The hops in order: the last one is the endpoint's bastion, each reached through the one before. */
  #chain(target: SshEndpoint, hops: readonly JumpHop[], at: string, depth: number): SshEndpoint | undefined {
    if (hops.length === 0) return undefined;
    if (depth + hops.length > MAX_JUMP_DEPTH) {
      this.errors.add(`${at}: ProxyJump of ${target.address} leads through more than ${MAX_JUMP_DEPTH} jump hosts (a loop?)`);
      return undefined;
    }
    let via: SshEndpoint | undefined;
    hops.forEach((hop, i) => {
      const base = this.#hopBase(target, hop, at, i === 0 ? undefined : via);
      // The first hop is resolved fully (its own ProxyJump applies); later ones are reached through the previous hop.
      via = this.endpoint(base, depth + i + 1);
    });
    return via;
  }

  /** A jump host as the topology would have it: the target's key and known_hosts settings, the hop's own user and port. */
  #hopBase(target: SshEndpoint, hop: JumpHop, at: string, via: SshEndpoint | undefined): SshEndpoint {
    const carried = ['identity', 'agent', 'knownHosts', 'globalKnownHosts', 'hashKnownHosts', 'hostKeyPolicy', 'connectTimeout'];
    const sources: Record<string, string> = { address: at, ...(hop.user === undefined ? {} : { user: at }), ...(hop.port === undefined ? {} : { port: at }), ...(via ? { jump: at } : {}) };
    for (const k of carried) if (target.sources?.[k] !== undefined) sources[k] = target.sources[k];
    const { jump: _j, identities: _i, identitiesOnly: _o, agentSocket: _a, keepalive: _k, sshConfigFiles: _f, ...rest } = target;
    return {
      ...rest, name: hop.host, address: hop.host, port: hop.port ?? 22, user: hop.user ?? 'root',
      ...(via ? { jump: via } : {}), sources,
    };
  }

  #path(f: string, tokens: TokenContext, at: string): string {
    const t = expandTokens(expandHome(f, this.#ctx.local.home), tokens);
    if ('error' in t) {
      this.errors.add(`${at}: ${t.error}`);
      return f;
    }
    return expandEnv(t.value, this.#ctx.env) ?? t.value;
  }
}

/** The topology with ssh_config applied to every endpoint. */
export function applySshConfig(topology: Topology, ctx: SshConfigContext): AppliedConfig {
  const a = new Applier(ctx);
  const hosts = topology.hosts.map((h) => ({ ...h, ssh: a.endpoint(h.ssh) }));
  const hypervisors = new Map([...topology.hypervisors].map(([name, ep]) => [name, a.endpoint(ep)]));
  return { topology: { ...topology, hosts, hypervisors }, warnings: [...a.warnings], errors: [...a.errors, ...ctx.cache.errors] };
}
