import type { Diagnostic } from '../core/diagnostics.ts';

/**
 * Stable codes for every problem the loader reports. Tools (the CLI's `--json`, editors, CI
 * annotations) key on these, so they never change meaning once released.
 */
export const ConfigCodes = {
  SYNCS_DIR_MISSING: 'SYNCS_DIR_MISSING',
  CONFIG_FILE_MISSING: 'CONFIG_FILE_MISSING',
  NO_SYNCS: 'NO_SYNCS',
  IMPORT_FAILED: 'IMPORT_FAILED',
  NO_DEFAULT_EXPORT: 'NO_DEFAULT_EXPORT',
  MISSING_FIELD: 'MISSING_FIELD',
  UNKNOWN_FIELD: 'UNKNOWN_FIELD',
  INVALID_VALUE: 'INVALID_VALUE',
  INVALID_DURATION: 'INVALID_DURATION',
  INVALID_CRON: 'INVALID_CRON',
  CRON_NEVER_FIRES: 'CRON_NEVER_FIRES',
  INVALID_TIMEZONE: 'INVALID_TIMEZONE',
  INVALID_SCHEDULE: 'INVALID_SCHEDULE',
  INVALID_SYNC_NAME: 'INVALID_SYNC_NAME',
  INVALID_SECRET_REF: 'INVALID_SECRET_REF',
  LITERAL_SECRET: 'LITERAL_SECRET',
  DUPLICATE_SYNC_NAME: 'DUPLICATE_SYNC_NAME',
  UNKNOWN_CONNECTION: 'UNKNOWN_CONNECTION',
  CONNECTION_ROLE_MISMATCH: 'CONNECTION_ROLE_MISMATCH',
  UNKNOWN_KIND: 'UNKNOWN_KIND',
  INVALID_CONNECTION_OPTIONS: 'INVALID_CONNECTION_OPTIONS',
  UNKNOWN_OBJECT: 'UNKNOWN_OBJECT',
  MODE_NOT_SUPPORTED: 'MODE_NOT_SUPPORTED',
  MATCH_ON_UNRESOLVED: 'MATCH_ON_UNRESOLVED',
  MATCH_ON_INVALID: 'MATCH_ON_INVALID',
  SENSITIVE_KEY: 'SENSITIVE_KEY',
  UNKNOWN_DEPENDENCY: 'UNKNOWN_DEPENDENCY',
  DEPENDENCY_CYCLE: 'DEPENDENCY_CYCLE',
  DELETES_IGNORED: 'DELETES_IGNORED',
} as const;

export type ConfigCode = (typeof ConfigCodes)[keyof typeof ConfigCodes];

export interface Where {
  file?: string;
  path?: string;
  sync?: string;
}

export function configError(code: ConfigCode, message: string, where: Where = {}): Diagnostic {
  return { severity: 'error', code, message, ...defined(where) };
}

export function configWarning(code: ConfigCode, message: string, where: Where = {}): Diagnostic {
  return { severity: 'warning', code, message, ...defined(where) };
}

/** `['mapping', 'phone', 'from']` → `mapping.phone.from`; array indexes as `dependsOn[1]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** The closest candidate within a small edit distance, for "did you mean" hints. */
export function closestMatch(input: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(input.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(input.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

export function didYouMean(input: string, candidates: Iterable<string>): string {
  const match = closestMatch(input, candidates);
  return match ? ` Did you mean \`${match}\`?` : '';
}

/** `a, b, c` with backticks, or `(none)` when empty. */
export function listNames(names: Iterable<string>): string {
  const list = [...names];
  return list.length === 0 ? '(none)' : list.map((n) => `\`${n}\``).join(', ');
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function defined(where: Where): Where {
  const out: Where = {};
  if (where.file !== undefined) out.file = where.file;
  if (where.path !== undefined && where.path !== '') out.path = where.path;
  if (where.sync !== undefined) out.sync = where.sync;
  return out;
}
