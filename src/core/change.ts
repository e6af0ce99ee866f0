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

/**
 * The mapped fields whose canonical value differs between what was last delivered and the model, in a
 * stable order. Only `after`'s fields count: a field in `before` alone is no longer mapped, and Ebb
 * stops managing it (it is left as it is in the destination) rather than clear it.
 */
export function changedFieldsBetween(before: Row, after: Row, canonical: (v: Row[string]) => string): string[] {
  const changed: string[] = [];
  for (const field of Object.keys(after).sort()) {
    if (canonical(before[field] ?? null) !== canonical(after[field] ?? null)) changed.push(field);
  }
  return changed;
}

/** Fields the snapshot holds for the record that the mapping no longer has. */
export function fieldsNoLongerMapped(change: Change): string[] {
  if (change.action !== 'update' || !change.before || !change.after) return [];
  const after = change.after;
  return Object.keys(change.before).filter((field) => !(field in after));
}

/**
 * An update that differs from the snapshot only by fields no longer mapped: the destination needs
 * nothing, and apply only writes the snapshot (without those fields), so later plans see it unchanged.
 */
export function isSnapshotOnly(change: Change): boolean {
  return change.action === 'update' && change.changedFields.length === 0;
}
