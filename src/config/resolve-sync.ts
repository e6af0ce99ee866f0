import { basename } from 'node:path';
import type { Diagnostic } from '../core/diagnostics.ts';
import type { FieldMapping, ResolvedSync, Schedule, Sla } from '../core/sync.ts';
import type { ParsedDefaults } from './config-schema.ts';
import { definitionHashOf } from './definition-hash.ts';
import { ConfigCodes, configError, configWarning, listNames, type ConfigCode } from './diagnostics.ts';
import { sensitiveKeyDiagnostics } from './sensitive-key.ts';
import { SYNC_NAME_HINT, SYNC_NAME_PATTERN, type ParsedSync } from './sync-schema.ts';

export const SYNC_FILE_SUFFIX = '.sync.ts';

export interface ResolveResult {
  sync?: ResolvedSync;
  diagnostics: Diagnostic[];
}

/** Whether the connector behind a destination finds records by `matchOn` ignoring case. */
export type MatchCaseRule = (destination: { connection: string; object: string; matchOn: string }) => boolean;

/**
 * A schema-valid sync plus the config's defaults → the engine's ResolvedSync, or why not.
 * `connectorIgnoresCase` answers for syncs that do not set `destination.matchIgnoresCase`.
 */
export function resolveSync(parsed: ParsedSync, file: string, defaults: ParsedDefaults, connectorIgnoresCase: MatchCaseRule = () => false): ResolveResult {
  const diagnostics: Diagnostic[] = [];
  const name = parsed.name ?? basename(file).slice(0, -SYNC_FILE_SUFFIX.length);
  const where = { file, sync: name };
  if (parsed.name === undefined && !SYNC_NAME_PATTERN.test(name)) {
    const message = `The file name does not make a valid sync name (${SYNC_NAME_HINT}); rename the file or set \`name\`.`;
    diagnostics.push(configError(ConfigCodes.INVALID_SYNC_NAME, message, { ...where, path: 'name' }));
  }

  const mapping: FieldMapping[] = Object.entries(parsed.mapping).map(([to, source]) =>
    typeof source === 'string' ? { to, from: source, sensitive: false } : { to, from: source.from, sensitive: source.sensitive ?? false },
  );
  const matchOn = resolveMatchOn(parsed, mapping, where, diagnostics);
  diagnostics.push(...sensitiveKeyDiagnostics(mapping, parsed.key, where));
  const mode = parsed.mode ?? defaults.mode;
  if (parsed.deletes !== undefined && mode !== 'mirror') {
    const message = `\`deletes\` only applies in mirror mode; this sync runs in ${mode} mode and never deletes. Remove it or set mode: 'mirror'.`;
    diagnostics.push(configWarning(ConfigCodes.DELETES_IGNORED, message, { ...where, path: 'deletes' }));
  }
  if (matchOn === undefined || diagnostics.some((d) => d.severity === 'error')) return { diagnostics };

  const source = { connection: parsed.source.connection, query: parsed.source.query };
  const addressed = { connection: parsed.destination.connection, object: parsed.destination.object, matchOn };
  const destination = { ...addressed, matchIgnoresCase: parsed.destination.matchIgnoresCase ?? connectorIgnoresCase(addressed) };
  const sync: ResolvedSync = {
    name,
    file,
    source,
    key: parsed.key,
    destination,
    mapping,
    mode,
    deleteGuard: { ...defaults.deletes, ...withoutUndefined(parsed.deletes ?? {}) },
    dependsOn: [...new Set(parsed.dependsOn ?? [])],
    readBatchSize: parsed.readBatchSize ?? defaults.readBatchSize,
    readTimeoutMs: parsed.readTimeout ?? defaults.readTimeout,
    definitionHash: definitionHashOf({ source, key: parsed.key, destination, mapping, mode }),
  };
  if (parsed.schedule) sync.schedule = resolveSchedule(parsed.schedule);
  if (parsed.sla) sync.sla = resolveSla(parsed.sla);
  return { sync, diagnostics };
}

/**
 * The destination field that carries the row key. Given explicitly it must be mapped from the key;
 * left out, it is the one field mapped from the key, and ambiguity is an error rather than a guess.
 */
function resolveMatchOn(
  parsed: ParsedSync,
  mapping: FieldMapping[],
  where: { file: string; sync: string },
  diagnostics: Diagnostic[],
): string | undefined {
  const { key } = parsed;
  const fromKey = mapping.filter((field) => field.from === key).map((field) => field.to);
  const explicit = parsed.destination.matchOn;
  const fail = (code: ConfigCode, path: string, message: string) => {
    diagnostics.push(configError(code, message, { ...where, path }));
    return undefined;
  };
  if (explicit !== undefined) {
    const field = mapping.find((f) => f.to === explicit);
    if (!field) {
      return fail(ConfigCodes.MATCH_ON_INVALID, 'destination.matchOn',
        `\`${explicit}\` is not a mapped field. Map the key column to it, e.g. mapping: { ${explicit}: '${key}' }.`);
    }
    if (field.from !== key) {
      return fail(ConfigCodes.MATCH_ON_INVALID, 'destination.matchOn',
        `\`${explicit}\` is mapped from column \`${field.from}\`, but matchOn must hold the key column \`${key}\`. ` +
          `Map it from \`${key}\` or change \`key\`.`);
    }
    return explicit;
  }
  if (fromKey.length === 1) return fromKey[0];
  if (fromKey.length === 0) {
    return fail(ConfigCodes.MATCH_ON_UNRESOLVED, 'mapping',
      `No destination field is mapped from the key column \`${key}\`, so records cannot be matched. ` +
        `Map it, e.g. mapping: { ${key}: '${key}' }.`);
  }
  return fail(ConfigCodes.MATCH_ON_UNRESOLVED, 'destination.matchOn',
    `Several fields are mapped from the key column \`${key}\` (${listNames(fromKey)}); ` +
      'set destination.matchOn to the one that identifies records.');
}

function resolveSchedule(schedule: NonNullable<ParsedSync['schedule']>): Schedule {
  const out: Schedule = {};
  if (schedule.cron !== undefined) out.cron = schedule.cron;
  if (schedule.every !== undefined) out.everyMs = schedule.every;
  if (schedule.timezone !== undefined) out.timezone = schedule.timezone;
  return out;
}

function resolveSla(sla: NonNullable<ParsedSync['sla']>): Sla {
  const out: Sla = { backlogWarnRatio: sla.backlogWarnRatio };
  if (sla.freshness !== undefined) out.freshnessMs = sla.freshness;
  if (sla.maxFailureRate !== undefined) out.maxFailureRate = sla.maxFailureRate;
  if (sla.maxBacklog !== undefined) out.maxBacklog = sla.maxBacklog;
  return out;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
