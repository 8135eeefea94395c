import type { SourceLocation } from './model.js';

/** A problem in a topology or playbook file that the user can fix. Collected, never thrown. */
export interface Diagnostic {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly location: SourceLocation;
}

/** `file:line:col: message`, the form editors and terminals make clickable. */
export function formatDiagnostic(d: Diagnostic): string {
  const { file, line, col } = d.location;
  return `${file}:${line}:${col}: ${d.severity === 'warning' ? 'warning: ' : ''}${d.message}`;
}

/** Sorted by file, line and column, so output is stable whatever order the rules ran in. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      a.location.file.localeCompare(b.location.file) ||
      a.location.line - b.location.line ||
      a.location.col - b.location.col ||
      a.message.localeCompare(b.message),
  );
}
