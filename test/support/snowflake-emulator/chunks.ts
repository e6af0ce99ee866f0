import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { ChunkBodyFault, EmulatorState } from './state.ts';

const gzipAsync = promisify(gzip);

/**
 * GET /chunks/{queryId}/{index}: plays the part of the S3 object holding one chunk of a large result
 * (spec §5). No session token (like a presigned URL); the result's qrmk comes back as the SSE-C key.
 * Body: JSON rows joined by commas without the outer brackets, gzip-encoded, and never served as
 * application/json (axios would try to parse it).
 */
export async function handleChunkRequest(
  state: EmulatorState, request: IncomingMessage, response: ServerResponse, queryId: string, index: number, fault?: ChunkBodyFault,
): Promise<void> {
  const stored = state.results.get(queryId);
  const range = stored?.chunks[index];
  if (!stored || !range) return sendS3Error(response, 404, 'NoSuchKey');
  if (request.headers['x-amz-server-side-encryption-customer-key'] !== stored.qrmk) {
    return sendS3Error(response, 400, 'InvalidArgument');
  }
  state.counters.chunkDownloads++;
  // The chunk's announced rowCount stays range.end - range.start, whatever the body holds.
  const end = Math.max(range.start, range.end - (state.knobs.rowsMissingPerChunk ?? 0));
  const rows = stored.encodeRows(range.start, end);
  const body = await gzipAsync(Buffer.from(rows.map((row) => JSON.stringify(row)).join(','), 'utf8'));
  if (fault === 'drop-mid-body') return dropMidBody(response, body);
  const sent = fault === 'corrupt-gzip' ? corrupted(body) : fault === 'half-gzip' ? body.subarray(0, body.length >> 1) : body;
  response.writeHead(200, chunkHeaders(sent.length));
  response.end(sent);
}

function chunkHeaders(length: number): Record<string, string | number> {
  return { 'Content-Type': 'binary/octet-stream', 'Content-Encoding': 'gzip', 'Content-Length': length };
}

/** Promises the whole body, sends half, then resets the connection. */
function dropMidBody(response: ServerResponse, body: Buffer): void {
  response.writeHead(200, chunkHeaders(body.length));
  response.write(body.subarray(0, body.length >> 1), () => response.socket?.destroy());
}

/** The same length, with a run of bytes in the middle of the deflate data overwritten. */
function corrupted(body: Buffer): Buffer {
  const copy = Buffer.from(body);
  const middle = copy.length >> 1;
  copy.fill(0xff, middle, Math.min(copy.length - 8, middle + 32));
  return copy;
}

function sendS3Error(response: ServerResponse, status: number, code: string): void {
  const text = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code></Error>`;
  response.writeHead(status, { 'Content-Type': 'application/xml' });
  response.end(text);
}
