import { describe, expect, it } from 'vitest';
import { progressReporter } from '../../src/cli/progress.ts';
import type { EngineEvent } from '../../src/engine/events.ts';
import { captureIo } from '../support/capture-io.ts';

const run: EngineEvent[] = [
  { type: 'apply-started', sync: 'contacts', runId: 'r', changes: 1000 },
  ...Array.from({ length: 10 }, (): EngineEvent => ({ type: 'batch-committed', sync: 'contacts', operation: 'upsert', delivered: 98, failed: 2, calls: 1 })),
];

describe('apply progress', () => {
  it('redraws one bar on a terminal', () => {
    const io = captureIo('/', {}, { isTTY: true });
    let drawn = '';
    const report = progressReporter(io, (text) => (drawn += text));
    for (const event of run) report(event);
    const frames = drawn.split('\r').filter(Boolean);
    expect(frames).toHaveLength(10);
    expect(frames[4]).toContain('[###############...............] contacts: 500/1000 rows (50%) · 5 API calls');
    expect(frames[9]).toMatch(/\[#{30}\] contacts: 1000\/1000 rows \(100%\)/);
    expect(drawn.endsWith('\n')).toBe(true);
  });

  it('prints plain lines at most every 10% elsewhere (CI logs), with retries explained', () => {
    const io = captureIo('/');
    const report = progressReporter(io, () => {
      throw new Error('no terminal: nothing may be redrawn');
    });
    report(run[0]!);
    report({ type: 'retry-scheduled', sync: 'contacts', reason: 'rate-limited', attempt: 1, delayMs: 400, message: 'Too many requests' });
    for (const event of run.slice(1)) report(event);
    const lines = io.stdout().split('\n');
    expect(lines[0]).toBe('Applying 1000 change(s) to contacts…');
    expect(lines[1]).toBe('  retrying (rate-limited, attempt 1) in 400 ms: Too many requests');
    expect(lines.filter((l) => l.includes('rows ('))).toHaveLength(10);
    expect(lines.at(-1)).toBe('  contacts: 1000/1000 rows (100%) · 10 API calls · 1 retries');
  });
});
