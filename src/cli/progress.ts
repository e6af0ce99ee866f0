import type { EngineEvent, EventSink } from '../engine/events.ts';
import type { CliIo } from './io.ts';

/**
 * Shows a long apply as it goes: a redrawn bar on a terminal, a plain line every ~10% (or 5 s)
 * elsewhere, so CI logs show progress without thousands of lines.
 */
export function progressReporter(io: CliIo, write: (text: string) => void = (t) => process.stdout.write(t)): EventSink {
  let total = 0;
  let done = 0;
  let calls = 0;
  let retries = 0;
  let lastPlainAt = 0;
  let lastPlainShare = 0;
  let sync = '';
  const line = () => {
    const share = total === 0 ? 1 : done / total;
    return { share, text: `${sync}: ${done}/${total} rows (${Math.floor(share * 100)}%) · ${calls} API calls · ${retries} retries` };
  };
  return (event: EngineEvent) => {
    switch (event.type) {
      case 'apply-started':
        ({ sync } = event);
        total = event.changes;
        done = calls = retries = 0;
        lastPlainShare = 0;
        io.out(`Applying ${event.changes} change(s) to ${event.sync}…`);
        return;
      case 'batch-committed': {
        done += event.delivered + event.failed;
        calls += event.calls;
        const { share, text } = line();
        if (io.isTTY) {
          const width = 30;
          const filled = Math.round(share * width);
          write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}   `);
          if (done >= total) write('\n');
        } else if (Math.floor(share * 10) > Math.floor(lastPlainShare * 10) || Date.now() - lastPlainAt > 5000 || done >= total) {
          lastPlainShare = share;
          lastPlainAt = Date.now();
          io.out(`  ${text}`);
        }
        return;
      }
      case 'retry-scheduled':
        retries += 1;
        if (!io.isTTY) io.out(`  retrying (${event.reason}, attempt ${event.attempt}) in ${event.delayMs} ms: ${event.message}`);
        return;
      case 'pace-adjusted':
        io.out(`  pacing ${event.account} at ${event.requests} requests per ${event.windowMs} ms: ${event.reason}`);
        return;
      default:
        return;
    }
  };
}
