import type { Row } from './values.ts';

/** What a plan proposes for one record. `delete` appears only for syncs in mirror mode. */
export type ChangeAction = 'create' | 'update' | 'delete';

export interface Change {
  action: ChangeAction;
  /** The model's row key, as a string. */
  key: string;
  /** Mapped payload (destination field → value) after the change; null for deletes. */
  after: Row | null;
  /** What the destination last acknowledged; null for creates. */
  before: Row | null;
  /** Destination fields whose value differs; every mapped field for creates, none for deletes. */
  changedFields: string[];
  /** Fingerprint of `after`; what the snapshot will hold once the destination acknowledges. */
  fingerprint: string | null;
  /** The destination's id for the record, when the snapshot knows it. */
  remoteId: string | null;
}

export type ChangeTotals = Record<ChangeAction, number>;

export function emptyTotals(): ChangeTotals {
  return { create: 0, update: 0, delete: 0 };
}

export function totalsOf(changes: readonly Change[]): ChangeTotals {
  const totals = emptyTotals();
  for (const change of changes) totals[change.action] += 1;
  return totals;
}

/** Fields whose canonical value differs between two payloads, in a stable order. */
export function changedFieldsBetween(before: Row, after: Row, canonical: (v: Row[string]) => string): string[] {
  const fields = new Set([...Object.keys(before), ...Object.keys(after)]);
  const changed: string[] = [];
  for (const field of [...fields].sort()) {
    const a = before[field] ?? null;
    const b = after[field] ?? null;
    if (canonical(a) !== canonical(b)) changed.push(field);
  }
  return changed;
}
