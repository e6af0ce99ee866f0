import type { SyncMode } from '../../core/sync.ts';
import type { RemoteField, WriteOperation } from '../connector.ts';
import type { Meter, SalesforceClient } from './client.ts';
import { matchCaseProblem, matchesIgnoringCase } from './match-case.ts';
import { reservedFieldProblem } from './payload.ts';

/** A describe field with the Salesforce specifics `checkMapping` needs. */
export interface SalesforceField extends RemoteField {
  label: string;
  createable: boolean;
  updateable: boolean;
  externalId: boolean;
  /** Must be set when a record is created (not nillable, not defaulted by the platform). */
  requiredOnCreate: boolean;
}

interface DescribeField {
  name: string;
  label?: string;
  type: string;
  createable?: boolean;
  updateable?: boolean;
  externalId?: boolean;
  unique?: boolean;
  caseSensitive?: boolean;
  nillable?: boolean;
  defaultedOnCreate?: boolean;
}

export async function describeObject(client: SalesforceClient, meter: Meter, object: string): Promise<SalesforceField[]> {
  const result = await client.call(meter, `describe of ${object}`, (conn) => conn.describe(object));
  return (result.fields as unknown as DescribeField[]).map((f) => {
    const createable = f.createable === true;
    const updateable = f.updateable === true;
    return {
      name: f.name,
      label: f.label ?? f.name,
      type: f.type,
      writable: createable || updateable,
      unique: f.externalId === true,
      matchesIgnoringCase: matchesIgnoringCase(f),
      createable,
      updateable,
      externalId: f.externalId === true,
      requiredOnCreate: createable && f.nillable === false && f.defaultedOnCreate !== true,
    };
  });
}

export type MappingTargets = Readonly<Record<string, string>> | ReadonlyArray<{ to: string }>;

function targetsOf(mapping: MappingTargets): string[] {
  return Array.isArray(mapping) ? mapping.map((m: { to: string }) => m.to) : Object.keys(mapping);
}

/**
 * Problems with a mapping against an object's describe, before anything is sent: a mapped `Id` or
 * `attributes` (which the connector sets itself), unknown fields, fields the mode cannot write, a
 * matchOn that is not an External ID or that Salesforce compares in another case sensitivity than the
 * sync's `matchIgnoresCase` (false when the sync sets nothing), required fields left unmapped.
 */
export function checkMapping(
  fields: readonly RemoteField[],
  mapping: MappingTargets,
  matchOn: string,
  mode: SyncMode | WriteOperation,
  matchIgnoresCase = false,
): string[] {
  const problems: string[] = [];
  const byName = new Map(fields.map((f) => [f.name, f as Partial<SalesforceField> & RemoteField]));
  const byLower = new Map(fields.map((f) => [f.name.toLowerCase(), f.name]));
  const creates = mode === 'upsert' || mode === 'mirror' || mode === 'create';
  const updates = mode === 'upsert' || mode === 'mirror' || mode === 'update';
  const unknown = (name: string, role: string): string => {
    const near = byLower.get(name.toLowerCase());
    return `${role} "${name}" is not a field of this object${near ? `; did you mean "${near}"? API names are case-sensitive` : '; check its API name (custom fields end in __c)'}`;
  };

  const targets = targetsOf(mapping);
  for (const name of targets) {
    const reserved = reservedFieldProblem(name);
    if (reserved) {
      problems.push(reserved);
      continue;
    }
    const field = byName.get(name);
    if (!field) {
      problems.push(unknown(name, 'mapped field'));
      continue;
    }
    const createable = field.createable ?? field.writable;
    const updateable = field.updateable ?? field.writable;
    if (creates && !createable) problems.push(`field "${name}" cannot be set when creating a record (not createable), which ${mode} mode needs; remove it from the mapping or check the integration user's field permissions`);
    if (updates && !updateable) problems.push(`field "${name}" cannot be updated (not updateable), which ${mode} mode needs; remove it from the mapping or check the integration user's field permissions`);
  }

  const key = byName.get(matchOn);
  if (!key) problems.push(unknown(matchOn, 'matchOn'));
  else if ((mode === 'upsert' || mode === 'mirror') && !(key.externalId ?? key.unique)) {
    problems.push(`matchOn "${matchOn}" is not an External ID field, so Salesforce cannot upsert by it; mark it External ID (Setup → Object Manager → Fields) or match on another field`);
  }
  const caseProblem = key ? matchCaseProblem(key, matchIgnoresCase) : null;
  if (caseProblem) problems.push(caseProblem);

  if (creates) {
    const mapped = new Set(targets);
    for (const field of byName.values()) {
      if (field.requiredOnCreate && !mapped.has(field.name)) problems.push(`field "${field.name}" is required to create a record but is not mapped`);
    }
  }
  return problems;
}
