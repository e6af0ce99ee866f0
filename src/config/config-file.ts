import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../core/diagnostics.ts';
import type { ConnectionConfig } from '../core/sync.ts';
import { checkConnections, type ProjectKinds } from './check-connections.ts';
import { BUILT_IN_DEFAULTS, configSchema, defaultsSchema, type ParsedConfig, type ParsedDefaults } from './config-schema.ts';
import { ConfigCodes, configError } from './diagnostics.ts';
import type { ModuleImporter } from './import-module.ts';
import { issuesToDiagnostics } from './issues.ts';
import { secretProblems } from './secrets.ts';

export const CONFIG_FILE = 'syncs/ebb.config.ts';

export interface LoadedConfig {
  /** The whole config, only when all of it is valid. */
  parsed?: ParsedConfig;
  /**
   * The connections whenever that part is valid, even if another part is not, so the syncs are still
   * checked against them and the user sees every problem in one pass.
   */
  connections?: Record<string, ConnectionConfig>;
  defaults: ParsedDefaults;
  /** Connections whose problems are already reported; syncs using them are not checked further. */
  unusable: Set<string>;
}

/** Imports and validates `syncs/ebb.config.ts`, pushing every problem found onto `diagnostics`. */
export async function loadConfigFile(root: string, importer: ModuleImporter, kinds: ProjectKinds, diagnostics: Diagnostic[]): Promise<LoadedConfig> {
  const file = CONFIG_FILE;
  const nothing: LoadedConfig = { defaults: BUILT_IN_DEFAULTS, unusable: new Set() };
  if (!existsSync(join(root, file))) {
    diagnostics.push(
      configError(ConfigCodes.CONFIG_FILE_MISSING, `Create ${file} with \`export default defineConfig({ connections: { ... } })\` naming the warehouse and destinations your syncs use.`, { file }),
    );
    return nothing;
  }
  const imported = await importer.importDefault(join(root, file), file);
  if (!imported.ok) {
    diagnostics.push(imported.diagnostic);
    return nothing;
  }
  const raw = imported.value;

  // Literal secrets are looked for in the raw value: that problem must not wait for the others.
  if (typeof raw.connections === 'object' && raw.connections !== null) {
    for (const [name, options] of Object.entries(raw.connections)) {
      if (typeof options === 'object' && options !== null) diagnostics.push(...secretProblems(name, options as Record<string, unknown>, file));
    }
  }

  const result = configSchema.safeParse(raw, { reportInput: true });
  if (!result.success) diagnostics.push(...issuesToDiagnostics(result.error.issues, configSchema, { file }));
  const connections = result.success ? result.data.connections : configSchema.shape.connections.safeParse(raw.connections).data;
  const defaults = result.success ? result.data.defaults : (defaultsSchema.safeParse(raw.defaults ?? {}).data ?? BUILT_IN_DEFAULTS);
  if (!connections) return { ...nothing, defaults };

  const checked = checkConnections(connections, kinds, file);
  diagnostics.push(...checked.diagnostics);
  return { ...(result.success ? { parsed: result.data } : {}), connections, defaults, unusable: checked.unusable };
}
