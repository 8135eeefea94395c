/**
 * `{{name}}` placeholders in commands. Pure. Lives in util/ (re-exported by topology/) so that
 * the power drivers can render commands without loading the topology loader (yaml, zod).
 */

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;

/** The placeholder names used in `text`, in order of first use. */
export function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ''))];
}

type Part = string | { readonly key: string; readonly whole: string };

/** Templates split into text and placeholders, by text: plans render the same commands for thousands of hosts. */
const compiled = new Map<string, readonly Part[]>();

function compile(text: string): readonly Part[] {
  const parts: Part[] = [];
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    parts.push(text.slice(last, m.index), { key: m[1] ?? '', whole: m[0] });
    last = m.index + m[0].length;
  }
  parts.push(text.slice(last));
  return parts;
}

function partsOf(text: string): readonly Part[] {
  let parts = compiled.get(text);
  if (!parts) {
    if (compiled.size >= 10_000) compiled.clear();
    compiled.set(text, (parts = compile(text)));
  }
  return parts;
}

/** Replaces every placeholder with its value; unknown names are left as written (validation reports them). */
export function renderTemplate(text: string, vars: Readonly<Record<string, string>>): string {
  if (!text.includes('{{')) return text;
  let out = '';
  // Own keys only: `{{constructor}}` is a variable like any other, not Object.prototype's.
  for (const part of partsOf(text)) out += typeof part === 'string' ? part : (Object.hasOwn(vars, part.key) ? vars[part.key] : undefined) ?? part.whole;
  return out;
}

/** renderTemplate with each value looked up by name (no record of every variable is built). */
export function renderTemplateWith(text: string, lookup: (name: string) => string | undefined): string {
  if (!text.includes('{{')) return text;
  let out = '';
  for (const part of partsOf(text)) out += typeof part === 'string' ? part : lookup(part.key) ?? part.whole;
  return out;
}
