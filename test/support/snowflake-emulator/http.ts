import type { IncomingMessage, ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';

/** Every Snowflake JSON reply is HTTP 200 with this envelope; logical errors are `success: false` (spec §2.2). */
export interface Envelope {
  data: unknown;
  code: string | null;
  message: string | null;
  success: boolean;
  headers?: null;
}

export function ok(data: unknown, code: string | null = null, message: string | null = null): Envelope {
  return { data, code, message, success: true, headers: null };
}

export function fail(code: string, message: string, data: unknown = null): Envelope {
  return { data, code, message, success: false, headers: null };
}

export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  const raw = Buffer.concat(parts);
  // Node never gzips request bodies, but the Python/Go drivers do: accept both (spec §2.1).
  const gzipped = raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b;
  return gzipped ? gunzipSync(raw) : raw;
}

export async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readBody(request);
  if (body.length === 0) return {};
  return JSON.parse(body.toString('utf8')) as Record<string, unknown>;
}

export function sendEnvelope(response: ServerResponse, envelope: Envelope): void {
  sendJson(response, 200, envelope);
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

/** The session token from `Authorization: Snowflake Token="…"`. */
export function bearerToken(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization ?? '';
  return /Snowflake Token="([^"]*)"/.exec(header)?.[1];
}
