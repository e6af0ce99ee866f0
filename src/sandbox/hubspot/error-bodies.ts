import { randomUUID } from 'node:crypto';
import type { PropertyProblem } from './validate-values.ts';

/** HubSpot's error JSON shapes (see destination-apis.md §1.3). Every field is optional to clients. */

export interface ErrorDetailBody {
  message: string;
  code?: string;
  in?: string;
  context?: Record<string, string[]>;
}

/** What went wrong with one batch input; becomes an entry of a 207's `errors[]` or a whole-batch 4xx body. */
export interface InputFailure {
  category: string;
  message: string;
  details: ErrorDetailBody[];
  /** Identifies the input (objectWriteTraceId, ids) in the 207 entry's `context`. */
  context: Record<string, string[]>;
}

export function propertyFailure(problems: PropertyProblem[], context: Record<string, string[]>): InputFailure {
  const listed = problems.map((problem) => ({ isValid: false, message: problem.message, error: problem.code, name: problem.name }));
  return {
    category: 'VALIDATION_ERROR',
    message: `Property values were not valid: ${JSON.stringify(listed)}`,
    details: problems.map((problem) => ({
      message: problem.message,
      code: problem.code,
      in: problem.name,
      context: { propertyName: [problem.name] },
    })),
    context,
  };
}

/** One entry of a 207 response's `errors[]` (StandardError). */
export function standardError(failure: InputFailure): Record<string, unknown> {
  return {
    status: 'error',
    category: failure.category,
    message: failure.message,
    context: failure.context,
    errors: failure.details,
    links: {},
  };
}

/** A whole-request error body (400, 404, 409, 500 ...). */
export function errorBody(
  category: string,
  message: string,
  extra: { errors?: ErrorDetailBody[]; context?: Record<string, string[]>; subCategory?: string } = {},
): Record<string, unknown> {
  return { status: 'error', message, correlationId: randomUUID(), category, ...extra };
}

/** Several inputs failing a batch that cannot be partially applied: HubSpot reports them in one 400/409. */
export function wholeBatchBody(failures: InputFailure[]): { status: number; body: Record<string, unknown> } {
  const allConflicts = failures.every((failure) => failure.category === 'CONFLICT');
  const allMissing = failures.every((failure) => failure.category === 'OBJECT_NOT_FOUND');
  const status = allConflicts ? 409 : allMissing ? 404 : 400;
  const first = failures[0];
  const category = allConflicts ? 'CONFLICT' : allMissing ? 'OBJECT_NOT_FOUND' : 'VALIDATION_ERROR';
  const message = failures.length === 1 && first ? first.message : failures.map((failure) => failure.message).join('\n');
  const propertyNames = [...new Set(failures.flatMap((failure) => failure.details.flatMap((detail) => detail.context?.propertyName ?? [])))];
  return {
    status,
    body: errorBody(category, message, {
      errors: failures.flatMap((failure) => failure.details),
      ...(propertyNames.length > 0 ? { context: { properties: propertyNames } } : {}),
    }),
  };
}

export type RateLimitPolicy = 'TEN_SECONDLY_ROLLING' | 'DAILY';

export function rateLimitBody(policy: RateLimitPolicy): Record<string, unknown> {
  return {
    status: 'error',
    message: policy === 'DAILY' ? 'You have reached your daily limit.' : 'You have reached your ten_secondly_rolling limit.',
    errorType: 'RATE_LIMIT',
    correlationId: randomUUID(),
    policyName: policy,
    requestId: randomUUID(),
  };
}

export function unauthorizedBody(): Record<string, unknown> {
  return errorBody(
    'INVALID_AUTHENTICATION',
    'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
  );
}

export function missingScopesBody(scopes: string[]): Record<string, unknown> {
  return {
    ...errorBody(
      'MISSING_SCOPES',
      "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
      { errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: scopes } }] },
    ),
    links: { scopes: 'https://developers.hubspot.com/scopes' },
  };
}
