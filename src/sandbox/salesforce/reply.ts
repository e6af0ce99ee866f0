import type { IncomingMessage, ServerResponse } from 'node:http';

/** What an endpoint answers; the server adds Sforce-Limit-Info and any knob delay before sending it. */
export interface Reply {
  status: number;
  /** JSON body; omitted for empty replies. */
  json?: unknown;
  /** Raw text body (CSV), sent with `contentType`. */
  text?: string;
  contentType?: string;
}

export function ok(json: unknown, status = 200): Reply {
  return { status, json };
}

export function empty(status: number): Reply {
  return { status };
}

export function csv(text: string): Reply {
  return { status: 200, text, contentType: 'text/csv' };
}

/** Salesforce's whole-request error: a JSON array of `{message, errorCode}`. */
export function sfError(status: number, errorCode: string, message: string): Reply {
  return { status, json: [{ message, errorCode }] };
}

export async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readText(req);
  return text === '' ? null : (JSON.parse(text) as unknown);
}

export function send(res: ServerResponse, reply: Reply, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  if (reply.json !== undefined) {
    const text = JSON.stringify(reply.json);
    res.writeHead(reply.status, { 'content-type': 'application/json;charset=UTF-8', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  } else if (reply.text !== undefined) {
    res.writeHead(reply.status, { 'content-type': reply.contentType ?? 'text/plain', 'content-length': Buffer.byteLength(reply.text), ...headers });
    res.end(reply.text);
  } else {
    res.writeHead(reply.status, headers);
    res.end();
  }
}
