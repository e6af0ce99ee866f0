import pino, { type DestinationStream, type Logger } from 'pino';
import type { LoggingSettings } from '../core/sync.ts';

export type { Logger } from 'pino';

/**
 * Structured JSON-lines logs for machines (the scheduler, alerts), separate from the CLI's human
 * output on stdout: to `logging.file` when configured, else stderr. Writes are synchronous so the last
 * lines before an exit (a SIGTERM shutdown) are never lost. Credential-looking fields are redacted in
 * case one ever slips into a logged object.
 */
export function createLogger(settings: LoggingSettings, destination?: DestinationStream): Logger {
  const stream = destination ?? (settings.file ? pino.destination({ dest: settings.file, mkdir: true, sync: true }) : pino.destination({ dest: 2, sync: true }));
  return pino(
    {
      name: 'ebb',
      level: settings.level,
      redact: { paths: ['*.secret', '*.token', '*.accessToken', '*.password', '*.authorization', '*.heartbeatUrl'], censor: '[redacted]' },
    },
    stream,
  );
}

/** A logger that drops everything, for library callers and tests that do not read logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
