import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { register as registerCommonJs } from 'tsx/cjs/api';
import { register } from 'tsx/esm/api';
import type { Diagnostic } from '../core/diagnostics.ts';
import { ConfigCodes, configError } from './diagnostics.ts';

export type ImportedDefault = { ok: true; value: Record<string, unknown> } | { ok: false; diagnostic: Diagnostic };

export interface ModuleImporter {
  /** The file's default export if it is an object, or one diagnostic saying why not. Never throws. */
  importDefault(absolutePath: string, relativePath: string): Promise<ImportedDefault>;
  close(): Promise<void>;
}

/**
 * Imports user TypeScript with tsx, the way its `tsImport` does, but with one namespace per load
 * rather than per file: every load evaluates the files afresh (an edited sync is picked up by the
 * next load), and the hooks are switched off when the load ends. Both the ESM and the CommonJS hooks
 * are registered because a project without `"type": "module"` gets its .ts files compiled to
 * CommonJS, and their `require` of the ESM 'ebb' package needs tsx too.
 */
export function createModuleImporter(rootDir: string): ModuleImporter {
  const namespace = `ebb-config-${randomUUID()}`;
  const commonJs = registerCommonJs({ namespace });
  const api = register({ namespace });
  return {
    async importDefault(absolutePath, relativePath) {
      let module: Record<string, unknown>;
      try {
        module = (await api.import(pathToFileURL(absolutePath).href, import.meta.url)) as Record<string, unknown>;
      } catch (error) {
        return {
          ok: false,
          diagnostic: configError(
            ConfigCodes.IMPORT_FAILED,
            `Could not load ${relativePath}: ${firstLineOf(error, rootDir)}. Fix the file and run again.`,
            { file: relativePath },
          ),
        };
      }
      const value = unwrapCommonJsDefault(module.default);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        return { ok: true, value: value as Record<string, unknown> };
      }
      const what = value === undefined ? 'has no default export' : `default-exports ${describe(value)}, not an object`;
      const hint = relativePath.endsWith('ebb.config.ts')
        ? 'export default defineConfig({ ... })'
        : 'export default defineSync({ ... })';
      return {
        ok: false,
        diagnostic: configError(ConfigCodes.NO_DEFAULT_EXPORT, `${relativePath} ${what}; end it with \`${hint}\`.`, {
          file: relativePath,
        }),
      };
    },
    async close() {
      commonJs.unregister();
      await api.unregister();
    },
  };
}

/**
 * The one line of an import failure worth showing: the compiler's own message for syntax errors
 * (tsx wraps it as "Transform failed with 1 error:\n<file>:<line>:<col>: ERROR: ..."), otherwise the
 * error's first line. Never the stack: it points into tsx and Node, not at the user's mistake.
 */
function firstLineOf(error: unknown, rootDir: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message.split('\n').map((line) => line.trim()).filter(Boolean);
  const compilerLine = lines.find((line) => line.includes('ERROR:'));
  const line = (compilerLine ?? lines[0] ?? 'unknown error').replace(' ERROR:', '');
  const root = rootDir.endsWith('/') ? rootDir : `${rootDir}/`;
  return line.replaceAll(pathToFileURL(root).href, '').replaceAll(root, '').replace(/\.$/, '');
}

/** A CommonJS-compiled file's namespace default is its `module.exports`; the real default is inside. */
function unwrapCommonJsDefault(value: unknown): unknown {
  if (typeof value === 'object' && value !== null && (value as { __esModule?: unknown }).__esModule === true) {
    return (value as { default: unknown }).default;
  }
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
