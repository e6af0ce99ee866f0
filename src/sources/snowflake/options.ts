import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { SourceError } from '../../core/errors.ts';
import { isSecretRef } from '../../core/sync.ts';
import type { SourceContext } from '../source.ts';

const text = (what: string) => z.string().trim().min(1, `${what} must not be empty`);
/** Secrets are `env('NAME')` references in config files and plain strings once resolved. */
const secret = (what: string) => z.union([text(what), z.custom<{ $env: string }>(isSecretRef, `${what} must be a string or env('VAR')`)]);

const snowflakeOptionsSchema = z
  .strictObject({
    /** Account identifier (`xy12345.eu-west-1`, `myorg-myaccount`). */
    account: text('account').regex(/^\w+([.-]\w+)*$/, 'account must look like `xy12345.eu-west-1` or `myorg-myaccount` (letters, digits, `_`, `.`, `-`)'),
    username: text('username'),
    warehouse: text('warehouse').optional(),
    role: text('role').optional(),
    database: text('database').optional(),
    schema: text('schema').optional(),
    /** Overrides the endpoint derived from `account` (a proxy, PrivateLink, or a local emulator). */
    accessUrl: z
      .url('accessUrl must be a full URL such as https://xy12345.eu-west-1.snowflakecomputing.com')
      .refine((url) => !url.endsWith('/'), 'accessUrl must not end with `/` (the driver would request `//session/...`)')
      .optional(),
    password: secret('password').optional(),
    /** PKCS#8 PEM private key file for key-pair (JWT) login, relative to the project root. */
    privateKeyPath: text('privateKeyPath').optional(),
    privateKeyPassphrase: secret('privateKeyPassphrase').optional(),
    /** OAuth access token. */
    token: secret('token').optional(),
  })
  .superRefine((options, context) => {
    const methods = (['password', 'privateKeyPath', 'token'] as const).filter((key) => options[key] !== undefined);
    if (methods.length !== 1) {
      context.addIssue({
        code: 'custom',
        message: methods.length === 0
          ? 'set one way to log in: `password`, `privateKeyPath` (key-pair, recommended for services) or `token` (OAuth)'
          : `set only one way to log in, not ${methods.map((key) => `\`${key}\``).join(' and ')}`,
      });
    }
    if (options.privateKeyPassphrase !== undefined && options.privateKeyPath === undefined) {
      context.addIssue({ code: 'custom', path: ['privateKeyPassphrase'], message: 'privateKeyPassphrase only applies together with privateKeyPath' });
    }
  });

export type SnowflakeAuth =
  | { method: 'password'; password: string }
  | { method: 'key-pair'; privateKeyPath: string; privateKeyPassphrase: string | undefined }
  | { method: 'oauth'; token: string };

export interface SnowflakeOptions {
  account: string;
  username: string;
  warehouse: string | undefined;
  role: string | undefined;
  database: string | undefined;
  schema: string | undefined;
  accessUrl: string | undefined;
  auth: SnowflakeAuth;
}

export function validateSnowflakeOptions(options: Record<string, unknown>): string[] {
  const parsed = snowflakeOptionsSchema.safeParse(withoutKind(options));
  return parsed.success ? [] : describeIssues(parsed.error);
}

/** Options as `open` receives them: validated, secrets resolved, the key path made absolute. */
export function resolveSnowflakeOptions(options: Record<string, unknown>, context: SourceContext): SnowflakeOptions {
  const parsed = snowflakeOptionsSchema.safeParse(withoutKind(options));
  if (!parsed.success) {
    throw new SourceError(`invalid Snowflake connection options: ${describeIssues(parsed.error).join('; ')}`, { code: 'SOURCE_INVALID_OPTIONS' });
  }
  const o = parsed.data;
  return {
    account: o.account,
    username: o.username,
    warehouse: o.warehouse,
    role: o.role,
    database: o.database,
    schema: o.schema,
    accessUrl: o.accessUrl,
    auth: o.password !== undefined
      ? { method: 'password', password: resolved(o.password, 'password') }
      : o.privateKeyPath !== undefined
        ? {
          method: 'key-pair',
          privateKeyPath: isAbsolute(o.privateKeyPath) ? o.privateKeyPath : resolve(context.rootDir, o.privateKeyPath),
          privateKeyPassphrase: o.privateKeyPassphrase === undefined ? undefined : resolved(o.privateKeyPassphrase, 'privateKeyPassphrase'),
        }
        : { method: 'oauth', token: resolved(o.token!, 'token') },
  };
}

function resolved(value: string | { $env: string }, option: string): string {
  if (typeof value === 'string') return value;
  throw new SourceError(
    `Snowflake option ${option} is still the reference env('${value.$env}'); secrets must be resolved before the source opens`,
    { code: 'SOURCE_INVALID_OPTIONS' },
  );
}

/** The engine may hand over the whole connection block, `kind` included. */
function withoutKind(options: Record<string, unknown>): Record<string, unknown> {
  const { kind: _kind, ...rest } = options;
  return rest;
}

function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
}
