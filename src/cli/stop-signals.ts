/**
 * Ctrl-C and SIGTERM for the commands that stop gracefully (`apply` while sending, `run`, `schedule`):
 * while these handlers are installed, bin/ebb.js stands aside instead of exiting at once.
 */
export interface StopSignals {
  (): void;
  /** Resolves on a second signal. */
  forced: Promise<void>;
}

/** First SIGTERM/SIGINT: graceful stop; second: forced. Call the result to remove the handlers. */
export function onStopSignals(graceful: (signal: string) => void, force: (signal: string) => void): StopSignals {
  let count = 0;
  let resolveForced!: () => void;
  const forced = new Promise<void>((resolve) => (resolveForced = resolve));
  const handler = (signal: NodeJS.Signals) => {
    count += 1;
    if (count === 1) return graceful(signal);
    force(signal);
    resolveForced();
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  const dispose = (() => {
    process.off('SIGTERM', handler);
    process.off('SIGINT', handler);
  }) as StopSignals;
  dispose.forced = forced;
  return dispose;
}
