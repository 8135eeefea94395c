/**
 * JSON Schemas for editors (yaml-language-server) and CI, generated from the zod schemas, with
 * the rules of the loader a schema can say added: the power drivers and the keys each takes, the
 * duration syntax, exactly one kind per check, manager per service, `run` or `service` per step,
 * place per probe and source per secret, the actions of each service manager, two hosts per
 * pair, and `x-` extension keys in every mapping of fixed keys. What a schema cannot say
 * (references between entries, templated values, unique names in a list, cycles) is listed in
 * spec/topology/json-schema.spec.ts. Pure.
 */
import { z } from 'zod';
import { SERVICE_ACTIONS } from './resolve-check.js';
import {
  CHECK_KINDS, CheckSchema, DRIVER_KEYS, DurationSchema, HealthSchema, PairSchema, PlaybookSchema, POWER_DRIVERS, PowerSchema, ProbeSchema,
  SecretVarSchema, SERVICE_MANAGERS, ServiceSchema, StepSchema, TopologySchema,
} from './schema.js';
import { ENV_NAME } from './secrets.js';
import { SECRET_NAME } from '../util/secrets.js';

type Json = Record<string, unknown>;

/** What parseDuration takes: number-unit parts, white space around. */
const DURATION_PATTERN = '^\\s*(?:[0-9]+(?:\\.[0-9]+)?(?:ms|s|m|h))+\\s*$';
/** An extension key, as in Compose. */
const EXTENSION = '^x-.';

const only = (keys: readonly string[]): Json[] => keys.map((k) => ({ required: [k] }));
const props = (json: Json): Record<string, Json> => (json.properties ?? {}) as Record<string, Json>;

const checkRules = (json: Json): void => {
  json.oneOf = only(CHECK_KINDS);
  // expect and exit judge a command's output.
  json.dependentRequired = { expect: ['run'], exit: ['run'] };
};

/** Extra JSON Schema for the zod schemas the loader checks further. */
const EXTRA = new Map<unknown, (json: Json) => void>([
  [DurationSchema, (json) => {
    json.pattern = DURATION_PATTERN;
  }],
  [PowerSchema, (json) => {
    Object.assign(props(json).driver ?? {}, { enum: [...POWER_DRIVERS] });
    json.allOf = POWER_DRIVERS.map((d) => ({
      if: { required: ['driver'], properties: { driver: { const: d } } },
      then: { propertyNames: { type: 'string', anyOf: [{ enum: [...DRIVER_KEYS[d]] }, { pattern: EXTENSION }] } },
    }));
  }],
  [CheckSchema, checkRules],
  [HealthSchema, checkRules],
  [ServiceSchema, (json) => {
    json.oneOf = only(SERVICE_MANAGERS);
    json.dependentRequired = { signal: ['pidfile'], command: ['pidfile'], graceful: ['initd'], kill_pidfile: ['initd'] };
    json.allOf = [
      ...SERVICE_MANAGERS.map((m) => {
        const actions = SERVICE_ACTIONS[m];
        return { if: { required: [m] }, then: { properties: { action: actions ? { enum: [...actions] } : { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_-]*$' } } } };
      }),
      { if: { required: ['pidfile', 'action'], properties: { action: { enum: ['start', 'restart'] } } }, then: { required: ['command'] } },
    ];
  }],
  [StepSchema, (json) => {
    json.oneOf = only(['run', 'service']);
  }],
  [PairSchema, (json) => {
    Object.assign(props(json).hosts ?? {}, { minItems: 2, maxItems: 2, uniqueItems: true });
    json.anyOf = only(['drbd', 'pacemaker']);
  }],
  [ProbeSchema, (json) => {
    json.oneOf = [{ required: ['role'] }, { required: ['host'] }, { required: ['local'], properties: { local: { const: true } } }];
  }],
  [SecretVarSchema, (json) => {
    json.oneOf = only(['env', 'file', 'value']);
    Object.assign(props(json).env ?? {}, { pattern: ENV_NAME.source });
  }],
]);

/** Every mapping of fixed keys also takes `x-` extension keys. */
function allowExtensions(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) allowExtensions(item);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const json = node as Json;
  if (json.additionalProperties === false && json.properties !== undefined) json.patternProperties = { [EXTENSION]: {} };
  for (const value of Object.values(json)) allowExtensions(value);
}

function generate(schema: z.ZodType, title: string, description: string): Json {
  const json = z.toJSONSchema(schema, {
    io: 'input', unrepresentable: 'any',
    override: (ctx) => EXTRA.get(ctx.zodSchema)?.(ctx.jsonSchema as Json),
  }) as Json;
  allowExtensions(json);
  return { ...json, title, description };
}

export function topologyJsonSchema(): Json {
  const json = generate(TopologySchema, 'orchestrate topology', 'Hosts, roles and their dependencies, power control and timeouts. See docs/topology.md.');
  // A secret's name is a variable name.
  const vars = props(json).vars;
  if (vars) vars.patternProperties = { [`^(?!${SECRET_NAME.source.slice(1, -1)}$)`]: { allOf: [vars.additionalProperties ?? {}, { not: { type: 'object', required: ['secret'] } }] } };
  return json;
}

export function playbookJsonSchema(): Json {
  return generate(PlaybookSchema, 'orchestrate playbook', 'The steps and checks of one role. See docs/playbooks.md.');
}
