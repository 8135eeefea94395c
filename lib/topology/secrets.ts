/**
 * Secret variables: `vars: { db_password: { secret: true, env: DB_PASSWORD } }` in the topology
 * (or `file: PATH`, or `value: …`). A secret's variable renders to the placeholder
 * `{{secret:db_password}}`, which plans keep; the value is read at the CLI edge when a run starts
 * and filled in only as each command is sent (util/secrets.ts). Pure: where the value is, not the
 * value, except for `value:`, which is written in the file itself. Hosts and roles refer to a
 * secret with `{{secret:NAME}}` in their own vars (e.g. one password per database host).
 */
import path from 'node:path';
import { SECRET_NAME, secretNames, secretPlaceholder } from '../util/secrets.js';
import { stringVars, type ResolveContext } from './context.js';
import type { Host, Role } from './model.js';
import type { RawTopology } from './schema.js';

/** Where a secret's value is read from when a run starts. */
export type SecretSource =
  /** The environment variable of that name. */
  | { readonly env: string }
  /** That file (a path relative to the topology is made relative to its folder). */
  | { readonly file: string }
  /** Written in `topology` (the file) itself. */
  | { readonly value: string; readonly topology: string };

export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

type RawVars = NonNullable<RawTopology['vars']>;
type RawSecret = Extract<RawVars[string], object>;

/** The topology's vars, secrets rendered as their placeholders, and the secrets' sources. */
export function topologyVars(ctx: ResolveContext, raw: RawTopology['vars'], file: string): { vars: Record<string, string>; secrets: Map<string, SecretSource> } {
  const plain: Record<string, string | number | boolean> = {};
  const secrets = new Map<string, SecretSource>();
  for (const [name, value] of Object.entries(raw ?? {})) {
    // (null is not a secret: the shape check reports it; it reads 'null', as it always did.)
    if (typeof value !== 'object' || value === null) plain[name] = value as string | number | boolean;
    else {
      const source = secretSource(ctx, name, value, file);
      if (source) secrets.set(name, source);
    }
  }
  const vars = stringVars(plain);
  for (const name of secrets.keys()) vars[name] = secretPlaceholder(name);
  return { vars, secrets };
}

function secretSource(ctx: ResolveContext, name: string, raw: RawSecret, file: string): SecretSource | undefined {
  const at = (key?: string): ReturnType<ResolveContext['at']> => ctx.at(['vars', name, ...(key === undefined ? [] : [key])], { key: key === undefined });
  if (!SECRET_NAME.test(name)) {
    ctx.error(at(), `secret '${name}': its name must be a variable name (a letter or _, then letters, digits, _ . -)`);
    return undefined;
  }
  const given = (['env', 'file', 'value'] as const).filter((k) => raw[k] !== undefined);
  if (given.length !== 1) {
    ctx.error(at(), `secret '${name}' needs exactly one of env, file or value${given.length > 1 ? ` (it has ${given.join(' and ')})` : ''}`);
    return undefined;
  }
  if (raw.env !== undefined) {
    if (ENV_NAME.test(raw.env)) return { env: raw.env };
    ctx.error(at('env'), `secret '${name}': '${raw.env}' is not an environment variable name`);
    return undefined;
  }
  if (raw.file !== undefined) return { file: path.isAbsolute(raw.file) ? raw.file : path.join(path.dirname(file), raw.file) };
  const value = String(raw.value);
  if (value !== '') return { value, topology: file };
  ctx.error(at('value'), `secret '${name}' is empty`);
  return undefined;
}

/** Every `{{secret:NAME}}` written in a role's or host's vars names a secret of the topology. */
export function checkSecretRefs(ctx: ResolveContext, secrets: ReadonlyMap<string, SecretSource>, hosts: readonly Host[], roles: ReadonlyMap<string, Role>): void {
  const check = (vars: Readonly<Record<string, string>>, where: readonly string[]): void => {
    for (const [key, value] of Object.entries(vars)) {
      for (const name of secretNames(value)) {
        if (!secrets.has(name)) ctx.error(ctx.at([...where, 'vars', key]), `unknown secret '${name}' (declare it in the topology's vars: ${name}: { secret: true, env: NAME })`);
      }
    }
  };
  for (const role of roles.values()) check(role.vars, ['roles', role.name]);
  for (const host of hosts) check(host.vars, ['hosts', host.name]);
}
