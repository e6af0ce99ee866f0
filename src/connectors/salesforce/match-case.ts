import type { RemoteField } from '../connector.ts';

/** The describe attributes that decide how Salesforce compares a field's values when it upserts by it. */
export interface CaseAttributes {
  externalId?: boolean;
  unique?: boolean;
  caseSensitive?: boolean;
}

/**
 * Whether Salesforce finds records by this field ignoring case. Per "Upserting Records" (Apex guide),
 * only a field that is Unique with "Treat "ABC" and "abc" as duplicate values" matches ignoring case;
 * describe reports that choice as `caseSensitive: false`. Undefined for fields an upsert cannot match
 * on, and when describe does not report `caseSensitive`, because then nothing can be told.
 */
export function matchesIgnoringCase(field: CaseAttributes): boolean | undefined {
  if (field.externalId !== true || field.caseSensitive === undefined) return undefined;
  return field.unique === true && !field.caseSensitive;
}

/**
 * A problem when the sync compares keys differently from how Salesforce matches `matchOn`: either way,
 * Ebb's idea of "one record" and Salesforce's would differ for keys that differ only in case.
 */
export function matchCaseProblem(field: RemoteField, matchIgnoresCase: boolean): string | null {
  if (field.matchesIgnoringCase === undefined || field.matchesIgnoringCase === matchIgnoresCase) return null;
  if (field.matchesIgnoringCase) {
    return (
      `matchOn "${field.name}" is a unique External ID that Salesforce matches ignoring case ("ABC" = "abc"): set destination.matchIgnoresCase: true in the sync, ` +
      'or keys that differ only in case would be planned as different records (in mirror mode, a key that changes only in case would delete the record)'
    );
  }
  return (
    `matchOn "${field.name}" is an External ID that Salesforce matches exactly ("ABC" ≠ "abc"), but the sync sets destination.matchIgnoresCase: true: remove it, ` +
    'or keys that differ only in case would be planned as one record while Salesforce keeps them as two (upserting a key that changes only in case would create a second record)'
  );
}
