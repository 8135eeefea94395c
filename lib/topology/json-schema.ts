/** JSON Schemas for editors (yaml-language-server), generated from the zod schemas. Pure. */
import { z } from 'zod';
import { PlaybookSchema, TopologySchema } from './schema.js';

function generate(schema: z.ZodType, title: string, description: string): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...json, title, description };
}

export function topologyJsonSchema(): Record<string, unknown> {
  return generate(TopologySchema, 'orchestrate topology', 'Hosts, roles and their dependencies, power control and timeouts. See docs/topology.md.');
}

export function playbookJsonSchema(): Record<string, unknown> {
  return generate(PlaybookSchema, 'orchestrate playbook', 'The steps and checks of one role. See docs/playbooks.md.');
}
