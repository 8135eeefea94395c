/**
 * `{{name}}` placeholders in commands. Pure. Lives in util/ (re-exported by topology/) so that
 * the power drivers can render commands without loading the topology loader (yaml, zod).
 */

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;

/** The placeholder names used in `text`, in order of first use. */
export function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ''))];
}

/** Replaces every placeholder with its value; unknown names are left as written (validation reports them). */
export function renderTemplate(text: string, vars: Readonly<Record<string, string>>): string {
  return text.replace(PLACEHOLDER, (whole, key: string) => vars[key] ?? whole);
}
