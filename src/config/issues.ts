import type { z } from 'zod';
import type { Diagnostic } from '../core/diagnostics.ts';
import { ConfigCodes, configError, didYouMean, formatPath, listNames, type Where } from './diagnostics.ts';
import { fieldsAllowedAt } from './schema-fields.ts';

type Issue = z.core.$ZodIssue;

/**
 * zod issues as diagnostics that say what to do: missing fields are named, unknown fields get a
 * "did you mean" from the fields the schema allows at that spot, and union noise is reduced to the
 * branch the user was evidently writing. Parse with `reportInput: true` so missing and mistyped
 * values can be told apart.
 */
export function issuesToDiagnostics(issues: readonly Issue[], schema: z.ZodType, where: Where): Diagnostic[] {
  const out: Diagnostic[] = [];
  const add = (issue: Issue, prefix: readonly PropertyKey[]): void => {
    const path = [...prefix, ...issue.path];
    const at = { ...where, path: formatPath(path) };
    switch (issue.code) {
      case 'invalid_union':
        // No branch to pick from (a discriminated union's unknown tag): the union's own message says it.
        if (issue.errors.length === 0) return void out.push(configError(ConfigCodes.INVALID_VALUE, issue.message, at));
        for (const nested of closestBranch(issue.errors)) add(nested, path);
        return;
      case 'unrecognized_keys': {
        const allowed = fieldsAllowedAt(schema, path);
        for (const key of issue.keys) {
          out.push(
            configError(
              ConfigCodes.UNKNOWN_FIELD,
              `Unknown field \`${key}\`.${didYouMean(key, allowed)} Fields allowed here: ${listNames(allowed)}.`,
              { ...where, path: formatPath([...path, key]) },
            ),
          );
        }
        return;
      }
      case 'invalid_type': {
        const expected = describeExpected(issue.expected);
        const name = path.length > 0 ? `\`${String(path[path.length - 1])}\`` : 'a value';
        if (issue.input === undefined) {
          out.push(configError(ConfigCodes.MISSING_FIELD, `Missing ${name}: add it (${expected}).`, at));
        } else {
          out.push(configError(ConfigCodes.INVALID_VALUE, `Expected ${expected}, got ${describeValue(issue.input)}.`, at));
        }
        return;
      }
      case 'custom': {
        const code = typeof issue.params?.code === 'string' ? issue.params.code : ConfigCodes.INVALID_VALUE;
        out.push({ ...configError(ConfigCodes.INVALID_VALUE, issue.message, at), code });
        return;
      }
      default:
        out.push(configError(ConfigCodes.INVALID_VALUE, issue.message, at));
    }
  };
  for (const issue of issues) add(issue, []);
  return out;
}

/**
 * Of a union's failed branches, the one the user was writing: a branch that failed only because the
 * value has another type says nothing useful. When every branch failed that way, report the types
 * the union accepts instead.
 */
function closestBranch(branches: readonly (readonly Issue[])[]): Issue[] {
  const wrongTypeOnly = (branch: readonly Issue[]) =>
    branch.length === 1 && branch[0]?.code === 'invalid_type' && branch[0].path.length === 0;
  const candidates = branches.filter((branch) => !wrongTypeOnly(branch));
  if (candidates.length > 0) return [...candidates.reduce((a, b) => (b.length < a.length ? b : a))];
  const expected = [...new Set(branches.map((branch) => branch[0]).map((issue) => (issue?.code === 'invalid_type' ? describeExpected(issue.expected) : 'a value')))];
  const input = branches[0]?.[0]?.input;
  return [
    {
      code: 'custom',
      path: [],
      input,
      message: input === undefined ? `Missing value: add ${expected.join(' or ')}.` : `Expected ${expected.join(' or ')}, got ${describeValue(input)}.`,
      params: { code: input === undefined ? ConfigCodes.MISSING_FIELD : ConfigCodes.INVALID_VALUE },
    },
  ];
}

function describeExpected(expected: string): string {
  switch (expected) {
    case 'object':
    case 'record':
      return 'an object';
    case 'array':
      return 'an array';
    case 'int':
      return 'a whole number';
    default:
      return `a ${expected}`;
  }
}

/** Numbers and booleans are shown as written; strings and objects only by type (they may be long or secret). */
function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'function') return 'a function';
  return `a ${typeof value}`;
}
