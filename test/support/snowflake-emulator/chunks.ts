import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { EmulatorState } from './state.ts';

const gzipAsync = promisify(gzip);

/**
 * GET /chunks/{queryId}/{index}: plays the part of the S3 object holding one chunk of a large result
 * (spec §5). No session token (like a presigned URL); the result's qrmk comes back as the SSE-C key.
 * Body: JSON rows joined by commas without the outer brackets, gzip-encoded, and never served as
 * application/json (axios would try to parse it).
 */
export async function handleChunkRequest(
  state: EmulatorState, request: IncomingMessage, response: ServerResponse, queryId: string, index: number,
): Promise<void> {
  const stored = state.results.get(queryId);
  const range = stored?.chunks[index];
  if (!stored || !range) return sendS3Error(response, 404, 'NoSuchKey');
  if (request.headers['x-amz-server-side-encryption-customer-key'] !== stored.qrmk) {
    return sendS3Error(response, 400, 'InvalidArgument');
  }
  state.counters.chunkDownloads++;
  const rows = stored.encodeRows(range.start, range.end);
  const body = await gzipAsync(Buffer.from(rows.map((row) => JSON.stringify(row)).join(','), 'utf8'));
  response.writeHead(200, {
    'Content-Type': 'binary/octet-stream',
    'Content-Encoding': 'gzip',
    'Content-Length': body.length,
  });
  response.end(body);
}

function sendS3Error(response: ServerResponse, status: number, code: string): void {
  const text = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code></Error>`;
  response.writeHead(status, { 'Content-Type': 'application/xml' });
  response.end(text);
}
