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
  const stderr = () => pino.destination({ dest: 2, sync: true });
  const stream = destination ?? (settings.file ? fallingBackToStderr(pino.destination({ dest: settings.file, mkdir: true, sync: true }), settings.file, stderr) : stderr());
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

/**
 * `file`, until a write to it fails (a full disk): then one line on stderr says so, and the log goes on
 * there. Synchronous writes throw, and a log line must never break the run that wrote it.
 */
function fallingBackToStderr(file: DestinationStream, path: string, stderr: () => DestinationStream): DestinationStream {
  let target: DestinationStream | null = file;
  return {
    write(line: string) {
      try {
        target?.write(line);
        return;
      } catch (error) {
        if (target !== file) {
          target = null; // stderr failing too: nowhere left to write
          return;
        }
        const notice = { level: 50, time: Date.now(), name: 'ebb', event: 'log-file-failed', msg: `could not write the log file ${path} (${(error as Error).message}); logging to stderr from now on` };
        target = stderr();
        this.write(`${JSON.stringify(notice)}\n`);
        this.write(line);
      }
    },
  };
}
