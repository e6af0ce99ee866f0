import type { Diagnostic } from '../core/diagnostics.ts';
import type { FieldMapping } from '../core/sync.ts';
import { ConfigCodes, configError, formatPath, type Where } from './diagnostics.ts';

/**
 * `sensitive` on a field mapped from the key column, refused. A row's key names its record in every
 * plan heading, in `--json`'s `key`, in `ebb errors` and in the snapshot, so the value could never be
 * masked: accepting the flag would promise what Ebb cannot keep. The matchOn field is always mapped
 * from the key, so this covers it too.
 */
export function sensitiveKeyDiagnostics(mapping: readonly FieldMapping[], key: string, where: Pick<Where, 'file' | 'sync'>): Diagnostic[] {
  return mapping
    .filter((field) => field.sensitive && field.from === key)
    .map((field) =>
      configError(
        ConfigCodes.SENSITIVE_KEY,
        `\`${field.to}\` is mapped from the key column \`${key}\`, and a key is shown wherever its record is (plans, --json, \`ebb errors\`), ` +
          `so it cannot be masked. Drop \`sensitive\` from it, or key the sync by a column that is not sensitive (an internal id, matched on a ` +
          `destination field that holds it) and map \`${field.to}\` as an ordinary sensitive field.`,
        { ...where, path: formatPath(['mapping', field.to, 'sensitive']) },
      ),
    );
}
