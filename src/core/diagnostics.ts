/**
 * A problem found while loading config, planning or validating, in the style of Terraform's tfdiags:
 * where it is (file and path inside it), a stable code, and a message that says what to do.
 */
export type Severity = 'error' | 'warning';

export interface Diagnostic {
  severity: Severity;
  code: string;
  message: string;
  /** The file it concerns, relative to the project root, when there is one. */
  file?: string;
  /** Where inside the file or sync, e.g. `mapping.email`. */
  path?: string;
  /** The sync it concerns, when there is one. */
  sync?: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = [d.file, d.path].filter(Boolean).join(' › ');
  const label = d.severity === 'error' ? 'Error' : 'Warning';
  return `${label} [${d.code}]${where ? ` ${where}` : ''}${d.sync && !d.file ? ` (sync ${d.sync})` : ''}: ${d.message}`;
}
