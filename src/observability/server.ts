import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { EbbError } from '../core/errors.ts';
import { exposition } from './metrics.ts';

export interface ObservabilityServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  registry: Registry;
  /** For /healthz: ok when the scheduler loop ticked recently. */
  health(): { ok: boolean; [detail: string]: unknown };
}

export interface ObservabilityServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** `GET /metrics` (Prometheus text) and `GET /healthz` (200 ticking / 503 stalled) for the scheduler. */
export async function startObservabilityServer(options: ObservabilityServerOptions): Promise<ObservabilityServer> {
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://ebb').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'use GET\n');
    if (path === '/metrics') return send(res, 200, options.registry.contentType, await exposition(options.registry));
    if (path === '/healthz') {
      const health = options.health();
      return send(res, health.ok ? 200 : 503, 'application/json', `${JSON.stringify(health)}\n`);
    }
    send(res, 404, 'text/plain', 'not found: try /metrics or /healthz\n');
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, 'text/plain', `${(error as Error).message}\n`));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const hint = error.code === 'EADDRINUSE' ? `port ${options.port} is in use: set scheduler.metricsPort in syncs/ebb.config.ts to a free port (0 picks one)` : error.message;
      reject(new EbbError('METRICS_SERVER', `could not serve metrics on ${options.host}:${options.port}: ${hint}`, { cause: error }));
    });
    server.listen(options.port, options.host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
}
