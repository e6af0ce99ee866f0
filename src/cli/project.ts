import { resolve } from 'node:path';
import { connectionOptions, loadProject, resolveSecrets, syncsInDependencyOrder } from '../config/index.ts';
import { formatDiagnostic } from '../core/diagnostics.ts';
import { TerminalError } from '../core/errors.ts';
import type { ResolvedConfig, ResolvedSync } from '../core/sync.ts';
import type { ResolvedConnection } from '../engine/executor.ts';
import type { SourceSession } from '../sources/source.ts';
import { openSqliteSnapshotStore } from '../snapshot/sqlite/index.ts';
import type { SnapshotStore } from '../snapshot/store.ts';
import type { CliIo } from './io.ts';
import { builtInKinds } from './registry.ts';
import { UsageError } from './usage-error.ts';

/** A loaded project: config, snapshot store, and how to open its connections. */
export interface Project {
  config: ResolvedConfig;
  store: SnapshotStore;
  openSource(connection: string): Promise<SourceSession>;
  connection(name: string): ResolvedConnection;
  /** The syncs named (all when none), in dependency order; unknown names are reported. */
  select(names: readonly string[]): ResolvedSync[];
  close(): Promise<void>;
}

/** Loads syncs/ and opens the snapshot; prints every diagnostic and returns null when the config is broken. */
export async function openProject(io: CliIo, projectDir: string | undefined): Promise<Project | null> {
  const rootDir = resolve(io.cwd, projectDir ?? '.');
  const loaded = await loadProject(rootDir, builtInKinds);
  if (!loaded.ok) {
    for (const d of loaded.diagnostics) io.err(formatDiagnostic(d));
    io.err(`\n${loaded.diagnostics.filter((d) => d.severity === 'error').length} problem(s) in ${rootDir}/syncs; nothing was run.`);
    return null;
  }
  for (const d of loaded.warnings) io.err(formatDiagnostic(d));
  const config = loaded.config;
  const store = openSqliteSnapshotStore(config.snapshotPath);
  const options = (name: string) => {
    const connection = config.connections[name];
    if (!connection) throw new TerminalError(`no connection named "${name}" in syncs/ebb.config.ts`);
    return { kind: connection.kind, options: resolveSecrets(connectionOptions(connection), io.env) };
  };
  return {
    config,
    store,
    async openSource(name) {
      const { kind, options: resolved } = options(name);
      const definition = builtInKinds.sources[kind];
      if (!definition) throw new TerminalError(`connection "${name}" has kind "${kind}", which is not a source`);
      return definition.open(resolved, { rootDir });
    },
    connection(name) {
      const { kind, options: resolved } = options(name);
      const definition = builtInKinds.connectors[kind];
      if (!definition) throw new TerminalError(`connection "${name}" has kind "${kind}", which is not a destination`);
      return { definition, options: resolved };
    },
    select(names) {
      const known = new Map(config.syncs.map((s) => [s.name, s]));
      const unknown = names.filter((n) => !known.has(n));
      if (unknown.length > 0) throw new UsageError(`unknown sync(s): ${unknown.join(', ')}. Known: ${[...known.keys()].join(', ')}`);
      const chosen = names.length === 0 ? config.syncs : config.syncs.filter((s) => names.includes(s.name));
      return syncsInDependencyOrder(chosen);
    },
    close: () => store.close(),
  };
}
