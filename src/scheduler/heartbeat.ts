import type { Logger } from 'pino';
import { describeError } from '../core/errors.ts';

export interface HeartbeatPinger {
  ping(): Promise<void>;
}

/**
 * The dead-man's switch: a GET to a monitor (healthchecks.io, Cronitor, an uptime checker) that
 * alerts when the pings stop. Failures are logged and never stop the scheduler; the URL may hold a
 * token, so it is never logged.
 */
export function heartbeatPinger(url: string, logger: Logger, timeoutMs = 10_000): HeartbeatPinger {
  return {
    async ping() {
      try {
        const response = await fetch(url, { method: 'GET', signal: AbortSignal.timeout(timeoutMs), headers: { 'user-agent': 'ebb-scheduler/1' } });
        await response.arrayBuffer().catch(() => undefined);
        if (!response.ok) logger.warn({ event: 'heartbeat-failed', status: response.status }, `heartbeat ping answered ${response.status}`);
      } catch (error) {
        logger.warn({ event: 'heartbeat-failed', error: describeError(error) }, 'heartbeat ping failed');
      }
    },
  };
}
