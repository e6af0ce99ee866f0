import { EbbError } from '../core/errors.ts';
import type { Diagnostic } from '../core/diagnostics.ts';

/**
 * Configuration that cannot be used. The loader itself reports problems as diagnostics and never
 * throws; this is for callers that need one value and have nowhere to put a list (resolving secrets
 * when a connection opens, parsing a duration given on the command line).
 */
export class ConfigError extends EbbError {
  readonly diagnostics: Diagnostic[];
  constructor(message: string, options?: { code?: string; diagnostics?: Diagnostic[]; cause?: unknown }) {
    super(options?.code ?? 'CONFIG', message, options);
    this.diagnostics = options?.diagnostics ?? [];
  }
}

/** Environment variables named by `env('NAME')` references are not set. */
export class MissingSecretsError extends ConfigError {
  readonly variables: string[];
  constructor(variables: string[], message: string) {
    super(message, { code: 'MISSING_SECRET' });
    this.variables = variables;
  }
}
