/** Any other YAML file orchestrate reads (a fleet file), checked against a zod schema with located messages. Pure. */
import type { z } from 'zod';
import type { Diagnostic } from './diagnostic.js';
import { checkShape } from './shape.js';
import { parseYamlSource } from './source.js';

export function parseYamlFile<T>(file: string, text: string, schema: z.ZodType<T>): { value?: T; diagnostics: Diagnostic[] } {
  const parsed = parseYamlSource(file, text);
  if (!parsed.syntaxOk) return { diagnostics: parsed.diagnostics };
  const shape = checkShape(parsed.source, schema);
  return { ...(shape.value === undefined ? {} : { value: shape.value }), diagnostics: [...parsed.diagnostics, ...shape.diagnostics] };
}
