import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Diagnostic } from '../core/diagnostics.ts';
import type { ResolvedConfig, ResolvedSync } from '../core/sync.ts';
import { checkSyncConnections, connectorMatchCaseRule, type ProjectKinds } from './check-connections.ts';
import { CONFIG_FILE, loadConfigFile, type LoadedConfig } from './config-file.ts';
import { dependencyProblems } from './dependencies.ts';
import { ConfigCodes, configError, configWarning } from './diagnostics.ts';
import { createModuleImporter, type ModuleImporter } from './import-module.ts';
import { issuesToDiagnostics } from './issues.ts';
import { resolveOperations } from './resolve-operations.ts';
import { resolveSync, SYNC_FILE_SUFFIX } from './resolve-sync.ts';
import { syncSchema } from './sync-schema.ts';

export const SYNCS_DIR = 'syncs';
export { CONFIG_FILE };

export type LoadResult =
  | { ok: true; config: ResolvedConfig; warnings: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[] };

/**
 * Loads `syncs/ebb.config.ts` and every `syncs/*.sync.ts` under `rootDir`, and validates all of it
 * against the kinds the project can use. Reports every problem in one pass: it keeps going after a
 * bad file so the user fixes them all at once. Never throws for user mistakes, prints or exits.
 */
export async function loadProject(rootDir: string, kinds: ProjectKinds): Promise<LoadResult> {
  const root = resolve(rootDir);
  const syncsDir = join(root, SYNCS_DIR);
  if (!isDirectory(syncsDir)) {
    return {
      ok: false,
      diagnostics: [
        configError(ConfigCodes.SYNCS_DIR_MISSING, `No ${SYNCS_DIR}/ folder in ${root}. Run from the project root, or create ${SYNCS_DIR}/ with ebb.config.ts and one *.sync.ts file per sync.`),
      ],
    };
  }

  const diagnostics: Diagnostic[] = [];
  const importer = createModuleImporter(root);
  try {
    const config = await loadConfigFile(root, importer, kinds, diagnostics);
    const { syncs, unresolved } = await loadSyncFiles(root, syncsDir, importer, kinds, config, diagnostics);
    diagnostics.push(...duplicateNames(syncs), ...dependencyProblems(syncs, unresolved));
    if (!config.parsed || diagnostics.some((d) => d.severity === 'error')) return { ok: false, diagnostics };
    return {
      ok: true,
      config: {
        rootDir: root,
        snapshotPath: resolve(root, config.parsed.snapshot.path),
        connections: config.parsed.connections,
        syncs,
        ...resolveOperations(config.parsed, root),
      },
      warnings: diagnostics,
    };
  } finally {
    await importer.close();
  }
}

async function loadSyncFiles(
  root: string,
  syncsDir: string,
  importer: ModuleImporter,
  kinds: ProjectKinds,
  config: LoadedConfig,
  diagnostics: Diagnostic[],
): Promise<{ syncs: ResolvedSync[]; unresolved: Set<string> }> {
  const files = readdirSync(syncsDir).filter((name) => name.endsWith(SYNC_FILE_SUFFIX)).sort();
  if (files.length === 0) {
    diagnostics.push(configWarning(ConfigCodes.NO_SYNCS, `No *${SYNC_FILE_SUFFIX} files in ${SYNCS_DIR}/; add one per sync with \`export default defineSync({ ... })\`.`));
  }
  const syncs: ResolvedSync[] = [];
  // Names of syncs that exist but did not load, so `dependsOn` them is not also called unknown.
  const unresolved = new Set<string>();
  for (const name of files) {
    const file = `${SYNCS_DIR}/${name}`;
    const imported = await importer.importDefault(join(root, file), file);
    const declaredName = imported.ok && typeof imported.value.name === 'string' ? imported.value.name : undefined;
    const syncName = declaredName ?? name.slice(0, -SYNC_FILE_SUFFIX.length);
    unresolved.add(syncName);
    if (!imported.ok) {
      diagnostics.push(imported.diagnostic);
      continue;
    }
    const result = syncSchema.safeParse(imported.value, { reportInput: true });
    if (!result.success) {
      diagnostics.push(...issuesToDiagnostics(result.error.issues, syncSchema, { file, sync: syncName }));
      continue;
    }
    const resolved = resolveSync(result.data, file, config.defaults, connectorMatchCaseRule(config.connections, kinds));
    diagnostics.push(...resolved.diagnostics);
    if (!resolved.sync) continue;
    unresolved.delete(resolved.sync.name);
    // Without valid connections there is nothing to check against; that is reported already.
    if (config.connections) diagnostics.push(...checkSyncConnections(resolved.sync, config.connections, kinds, config.unusable));
    syncs.push(resolved.sync);
  }
  return { syncs, unresolved };
}

/** The first file to use a name keeps it; every later one is an error naming the first. */
function duplicateNames(syncs: ResolvedSync[]): Diagnostic[] {
  const firstFile = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  for (const sync of syncs) {
    const first = firstFile.get(sync.name);
    if (first === undefined) {
      firstFile.set(sync.name, sync.file);
      continue;
    }
    diagnostics.push(
      configError(ConfigCodes.DUPLICATE_SYNC_NAME, `Sync name \`${sync.name}\` is already used by ${first}; give each sync a unique \`name\`.`, {
        file: sync.file,
        path: 'name',
        sync: sync.name,
      }),
    );
  }
  return diagnostics;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
