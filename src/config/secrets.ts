import type { Diagnostic } from '../core/diagnostics.ts';
import { isSecretRef } from '../core/sync.ts';
import { ConfigCodes, configError, formatPath } from './diagnostics.ts';
import { MissingSecretsError } from './errors.ts';

/**
 * Option names that hold credentials. Matched on the end of the name, ignoring case, `_` and `-`, so
 * `accessToken`, `api_token`, `clientSecret` and `privateKeyPassphrase` count while `privateKeyPath`
 * or `tokenUrl` (paths and addresses, not secrets) do not.
 */
const SECRET_NAME_ENDINGS = ['token', 'secret', 'password', 'passphrase', 'privatekey', 'apikey'];

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function looksSecret(optionName: string): boolean {
  const normalised = optionName.toLowerCase().replace(/[_-]/g, '');
  return SECRET_NAME_ENDINGS.some((ending) => normalised.endsWith(ending));
}

/**
 * Literal secrets and malformed `env()` references in one connection's options. Values are never
 * echoed into the messages: diagnostics get printed and logged.
 */
export function secretProblems(connectionName: string, options: Record<string, unknown>, file: string): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const visit = (value: unknown, path: PropertyKey[]): void => {
    const where = { file, path: formatPath(['connections', connectionName, ...path]) };
    const name = path[path.length - 1];
    if (isPlainObject(value) && '$env' in value) {
      if (!isSecretRef(value) || Object.keys(value).length !== 1 || !ENV_NAME.test(value.$env)) {
        problems.push(
          configError(ConfigCodes.INVALID_SECRET_REF, "Write secret references as env('NAME'), where NAME is an environment variable name such as HUBSPOT_TOKEN.", where),
        );
      }
      return;
    }
    if (typeof name === 'string' && looksSecret(name) && (typeof value === 'string' || typeof value === 'number')) {
      const suggested = envNameFor(connectionName, name);
      problems.push(
        configError(
          ConfigCodes.LITERAL_SECRET,
          `\`${name}\` holds a literal secret. Move it into an environment variable and write \`${name}: env('${suggested}')\` (import { env } from 'ebb'), so it never lands in git, plans or logs.`,
          where,
        ),
      );
      return;
    }
    if (Array.isArray(value)) value.forEach((item, index) => visit(item, [...path, index]));
    else if (isPlainObject(value)) for (const [key, item] of Object.entries(value)) visit(item, [...path, key]);
  };
  for (const [key, value] of Object.entries(options)) visit(value, [key]);
  return problems;
}

/**
 * Options with every `env('NAME')` replaced by the variable's value. Called only when a connection
 * opens, so resolved secrets live in that session alone. Throws MissingSecretsError naming every
 * variable that is unset or empty, not just the first.
 */
export function resolveSecrets(options: Record<string, unknown>, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const missing: string[] = [];
  const resolve = (value: unknown): unknown => {
    if (isSecretRef(value)) {
      const resolved = env[value.$env];
      if (resolved === undefined || resolved === '') {
        if (!missing.includes(value.$env)) missing.push(value.$env);
        return undefined;
      }
      return resolved;
    }
    if (Array.isArray(value)) return value.map(resolve);
    if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
    return value;
  };
  const resolved = resolve(options) as Record<string, unknown>;
  if (missing.length > 0) {
    const list = missing.join(', ');
    const verb = missing.length === 1 ? 'is' : 'are';
    throw new MissingSecretsError(
      missing,
      `Environment variable${missing.length === 1 ? '' : 's'} ${list} ${verb} not set (or empty). Set ${missing.length === 1 ? 'it' : 'them'} before running, e.g. \`export ${missing[0]}=...\`; the config refers to ${missing.length === 1 ? 'it' : 'them'} with env('NAME').`,
    );
  }
  return resolved;
}

/** `hubspot` + `accessToken` → `HUBSPOT_ACCESS_TOKEN`. */
function envNameFor(connectionName: string, optionName: string): string {
  const snake = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9]+/g, '_').toUpperCase();
  return `${snake(connectionName)}_${snake(optionName)}`.replace(/^_+|_+$/g, '');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
