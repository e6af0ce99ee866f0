import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** One item of Intercom's `error.list` body. `field` is optional in the real API too. */
export interface IntercomErrorItem {
  code: string;
  message: string;
  field?: string;
}

/** A failure a route handler raises; the server renders it as Intercom's `error.list`. */
export class SandboxHttpError extends Error {
  readonly status: number;
  readonly errors: IntercomErrorItem[];
  constructor(status: number, errors: IntercomErrorItem[]) {
    super(errors.map((e) => e.message).join('; '));
    this.status = status;
    this.errors = errors;
  }
}

export function errorList(errors: IntercomErrorItem[]): Record<string, unknown> {
  return { type: 'error.list', request_id: randomUUID(), errors };
}

export function notFound(message: string): SandboxHttpError {
  return new SandboxHttpError(404, [{ code: 'not_found', message }]);
}

export function invalid(message: string, field?: string, code = 'parameter_invalid'): SandboxHttpError {
  return new SandboxHttpError(400, [{ code, message, ...(field === undefined ? {} : { field }) }]);
}

const MAX_BODY_BYTES = 1_000_000;

/** The parsed JSON body: an empty body is `{}`; anything that is not a JSON object is a 400, as Intercom does. */
export async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw invalid('Request body is too large');
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid('There was a problem in the JSON you submitted');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalid('The request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
