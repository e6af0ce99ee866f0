import type { Diagnostic } from '../core/diagnostics.ts';
import { describeError } from '../core/errors.ts';
import { isSecretRef, type ConnectionConfig, type ResolvedSync, type SyncMode } from '../core/sync.ts';
import type { ConnectorDefinition, WriteOperation } from '../connectors/connector.ts';
import type { SourceDefinition } from '../sources/source.ts';
import { ConfigCodes, configError, didYouMean, listNames } from './diagnostics.ts';
import type { MatchCaseRule } from './resolve-sync.ts';

/** The source and connector kinds a project may use, keyed by kind (`duckdb`, `hubspot`, ...). */
export interface ProjectKinds {
  sources: Record<string, SourceDefinition>;
  connectors: Record<string, ConnectorDefinition>;
}

/** A connection's options as its kind sees them: everything but `kind`, secret references unresolved. */
export function connectionOptions(connection: ConnectionConfig): Record<string, unknown> {
  const { kind: _kind, ...options } = connection;
  return options;
}

/**
 * What kinds validate: secret references stand in as a placeholder string, because the secret's
 * value is only known when a connection is opened; its presence is what can be checked now.
 */
export function optionsForValidation(connection: ConnectionConfig): Record<string, unknown> {
  const substitute = (value: unknown): unknown => {
    if (isSecretRef(value)) return `<env ${value.$env}>`;
    if (Array.isArray(value)) return value.map(substitute);
    if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v)]));
    return value;
  };
  return substitute(connectionOptions(connection)) as Record<string, unknown>;
}

/**
 * Kind and options of every connection. Returns the names of connections whose problems are already
 * reported, so syncs using them are not checked further (that would only repeat the same problem).
 */
export function checkConnections(
  connections: Record<string, ConnectionConfig>,
  kinds: ProjectKinds,
  file: string,
): { diagnostics: Diagnostic[]; unusable: Set<string> } {
  const diagnostics: Diagnostic[] = [];
  const unusable = new Set<string>();
  const knownKinds = [...new Set([...Object.keys(kinds.sources), ...Object.keys(kinds.connectors)])].sort();
  for (const [name, connection] of Object.entries(connections)) {
    const definitions = [own(kinds.sources, connection.kind), own(kinds.connectors, connection.kind)].filter((d) => d !== undefined);
    if (definitions.length === 0) {
      unusable.add(name);
      diagnostics.push(
        configError(ConfigCodes.UNKNOWN_KIND, `Unknown kind \`${connection.kind}\`.${didYouMean(connection.kind, knownKinds)} Known kinds: ${listNames(knownKinds)}.`, {
          file,
          path: `connections.${name}.kind`,
        }),
      );
      continue;
    }
    for (const definition of definitions) {
      const problems = guarded(() => definition.validateOptions(optionsForValidation(connection)));
      for (const problem of problems) {
        unusable.add(name);
        diagnostics.push(configError(ConfigCodes.INVALID_CONNECTION_OPTIONS, `${connection.kind} connection \`${name}\`: ${problem}`, { file, path: `connections.${name}` }));
      }
    }
  }
  return { diagnostics, unusable };
}

/** A sync's connections exist, play the right role, and its destination object supports its mode. */
export function checkSyncConnections(
  sync: ResolvedSync,
  connections: Record<string, ConnectionConfig>,
  kinds: ProjectKinds,
  unusable: ReadonlySet<string>,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const where = (path: string) => ({ file: sync.file, path, sync: sync.name });
  const roleOf = (kind: string) => ({ source: Object.hasOwn(kinds.sources, kind), destination: Object.hasOwn(kinds.connectors, kind) });
  const namesWithRole = (role: 'source' | 'destination') =>
    Object.entries(connections).filter(([, c]) => roleOf(c.kind)[role]).map(([n]) => n);

  for (const role of ['source', 'destination'] as const) {
    const name = sync[role].connection;
    const path = `${role}.connection`;
    const connection = own(connections, name);
    if (!connection) {
      const known = Object.keys(connections);
      diagnostics.push(
        configError(ConfigCodes.UNKNOWN_CONNECTION, `No connection named \`${name}\` in syncs/ebb.config.ts.${didYouMean(name, known)} Known connections: ${listNames(known)}.`, where(path)),
      );
      continue;
    }
    if (unusable.has(name)) continue;
    if (!roleOf(connection.kind)[role]) {
      const other = role === 'source' ? 'destination' : 'source';
      diagnostics.push(
        configError(
          ConfigCodes.CONNECTION_ROLE_MISMATCH,
          `\`${name}\` is a ${connection.kind} connection, which can only be a ${other}. Use a ${role} connection here: ${listNames(namesWithRole(role))}.`,
          where(path),
        ),
      );
      continue;
    }
    if (role === 'destination') diagnostics.push(...checkObject(sync, name, connection, kinds, where));
  }
  return diagnostics;
}

function checkObject(
  sync: ResolvedSync,
  name: string,
  connection: ConnectionConfig,
  kinds: ProjectKinds,
  where: (path: string) => { file: string; path: string; sync: string },
): Diagnostic[] {
  const connector = own(kinds.connectors, connection.kind);
  if (!connector) return [];
  let operations: WriteOperation[];
  try {
    operations = connector.capabilities(sync.destination.object, optionsForValidation(connection)).operations;
  } catch (error) {
    return [configError(ConfigCodes.UNKNOWN_OBJECT, `${connection.kind} connection \`${name}\` cannot write \`${sync.destination.object}\`: ${describeError(error)}`, where('destination.object'))];
  }
  const missing = missingOperations(sync.mode, new Set(operations));
  if (!missing) return [];
  return [
    configError(
      ConfigCodes.MODE_NOT_SUPPORTED,
      `Mode \`${sync.mode}\` needs ${missing}, but ${connection.kind} \`${sync.destination.object}\` supports only ${listNames(operations)}. Choose another mode or object.`,
      where('mode'),
    ),
  ];
}

/** What a mode needs that the object lacks, in words, or undefined when the object can do it. */
export function missingOperations(mode: SyncMode, operations: ReadonlySet<WriteOperation>): string | undefined {
  const canUpsert = operations.has('upsert') || (operations.has('create') && operations.has('update'));
  const upsertNeed = "'upsert' (or both 'create' and 'update')";
  switch (mode) {
    case 'update':
      return operations.has('update') ? undefined : "'update'";
    case 'create':
      return operations.has('create') || operations.has('upsert') ? undefined : "'create' (or 'upsert')";
    case 'upsert':
      return canUpsert ? undefined : upsertNeed;
    case 'mirror':
      if (!canUpsert && !operations.has('delete')) return `${upsertNeed} and 'delete'`;
      if (!canUpsert) return upsertNeed;
      return operations.has('delete') ? undefined : "'delete'";
  }
}

/** A kind's validateOptions that throws is a bug in the kind, but still a reason, not a crash. */
function guarded(check: () => string[]): string[] {
  try {
    return check();
  } catch (error) {
    return [`its options could not be checked: ${describeError(error)}`];
  }
}

/**
 * What each destination's connector says about matching keys ignoring case. An unknown connection or
 * object counts as exact matching here: `checkSyncConnections` reports those problems.
 */
export function connectorMatchCaseRule(connections: Record<string, ConnectionConfig> | undefined, kinds: ProjectKinds): MatchCaseRule {
  return ({ connection: name, object, matchOn }) => {
    const connection = connections === undefined ? undefined : own(connections, name);
    const connector = connection === undefined ? undefined : own(kinds.connectors, connection.kind);
    if (!connection || !connector?.matchIgnoresCase) return false;
    try {
      return connector.matchIgnoresCase(object, matchOn, optionsForValidation(connection));
    } catch {
      return false;
    }
  };
}

/** Own properties only: a connection or kind named `constructor` must not find Object's. */
export function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
