import type { ChangeTotals } from '../core/change.ts';
import type { WriteOperation } from '../connectors/connector.ts';

/**
 * Everything the engine does is reported as events; the CLI's progress display, the logs and the
 * scheduler's metrics all subscribe to these instead of the engine printing anything.
 */
export type EngineEvent =
  | { type: 'plan-started'; sync: string }
  | { type: 'plan-read-progress'; sync: string; rows: number }
  | { type: 'plan-finished'; sync: string; totals: ChangeTotals; modelRows: number; errored: boolean }
  | { type: 'apply-started'; sync: string; runId: string; changes: number }
  | { type: 'batch-sent'; sync: string; operation: WriteOperation; size: number }
  | { type: 'batch-committed'; sync: string; operation: WriteOperation; delivered: number; failed: number; calls: number }
  | { type: 'retry-scheduled'; sync: string; reason: 'rate-limited' | 'transient' | 'rows'; attempt: number; delayMs: number; message: string }
  | { type: 'pace-adjusted'; account: string; requests: number; windowMs: number; reason: string }
  | { type: 'apply-finished'; sync: string; runId: string; result: SyncApplyResult }
  | { type: 'apply-skipped'; sync: string; reason: string };

export interface SyncApplyResult {
  sync: string;
  runId: string;
  status: 'succeeded' | 'partial' | 'failed' | 'skipped';
  planned: number;
  delivered: number;
  failed: number;
  apiCalls: number;
  rateLimited: number;
  message: string | null;
  /**
   * Changes not sent because a stop was requested, or because the snapshot could no longer record
   * anything; they stay pending (not failed).
   */
  unsent?: number;
  /**
   * Rows the destination accepted that the snapshot could not record (its disk full, say). Still
   * pending: the next plan proposes them again.
   */
  unrecorded?: number;
}

/** The status of a run that stopped before its end: partial if anything got through. */
export function stoppedStatus(delivered: number): 'partial' | 'failed' {
  return delivered > 0 ? 'partial' : 'failed';
}

export type EventSink = (event: EngineEvent) => void;

export const ignoreEvents: EventSink = () => {};

/**
 * `sink`, made harmless to the run: an observer that throws (a log on a full disk, say) must not change
 * what is delivered or recorded, so its error stops here. Reporting it is the observer's own job.
 */
export function shielded(sink: EventSink = ignoreEvents): EventSink {
  return (event) => {
    try {
      sink(event);
    } catch {
      // deliberately dropped: see above
    }
  };
}
