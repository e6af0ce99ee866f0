import { createServer, type IncomingMessage } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';

export interface ReceivedCall {
  method: string;
  headers: IncomingMessage['headers'];
  body: string;
  json: Record<string, unknown>;
  /** The status the receiver answered. */
  status: number;
}

export interface AlertReceiver {
  url: string;
  calls: ReceivedCall[];
  /** Calls answered 2xx: what a team actually received. */
  accepted(): ReceivedCall[];
  /** Answer the next N calls with this status (e.g. 500, 400). */
  failNext(n: number, status?: number): void;
  /** Hold the next N calls for `ms` before answering 200 (past a sender's timeout). */
  stallNext(n: number, ms: number): void;
  /** Answer the next N calls with a redirect to `location`; what follows the redirect is answered 200 as usual. */
  redirectNext(n: number, status: number, location: string): void;
  close(): Promise<void>;
}

/** A team's alert endpoint: records every call with its raw body and headers. */
export async function startAlertReceiver(): Promise<AlertReceiver> {
  const calls: ReceivedCall[] = [];
  let failures = 0;
  let failStatus = 500;
  let stalls = 0;
  let stallMs = 0;
  let redirects = 0;
  let redirect = { status: 301, location: '' };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    let status = 200;
    if (redirects > 0) {
      redirects -= 1;
      calls.push({ method: req.method ?? '', headers: req.headers, body, json: {}, status: redirect.status });
      res.writeHead(redirect.status, { location: redirect.location });
      res.end();
      return;
    }
    if (failures > 0) {
      failures -= 1;
      status = failStatus;
    } else if (stalls > 0) {
      stalls -= 1;
      await new Promise((resolve) => setTimeout(resolve, stallMs));
    }
    calls.push({ method: req.method ?? '', headers: req.headers, body, json: JSON.parse(body || '{}') as Record<string, unknown>, status });
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'text/plain' });
    res.end(status === 200 ? 'ok' : 'nope');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/alerts`,
    calls,
    accepted: () => calls.filter((c) => c.status >= 200 && c.status < 300),
    failNext(n, status = 500) {
      failures = n;
      failStatus = status;
    },
    stallNext(n, ms) {
      stalls = n;
      stallMs = ms;
    },
    redirectNext(n, status, location) {
      redirects = n;
      redirect = { status, location };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface SilentServer {
  url: string;
  /** Requests received so far (one per attempt; the client may open more connections than that). */
  requests(): number;
  close(): Promise<void>;
}

/** An endpoint that accepts connections and never answers: a hung proxy, a stuck receiver. */
export async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  let requests = 0;
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    // Read the requests, answer nothing.
    socket.on('data', (chunk: Buffer) => (requests += chunk.toString('latin1').match(/^POST \S+ HTTP\/1\.1\r$/gm)?.length ?? 0));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/alerts`,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
