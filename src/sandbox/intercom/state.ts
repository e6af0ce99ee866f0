import {
  DEFAULT_CUSTOM_ATTRIBUTES,
  DEFAULT_REQUESTS_PER_10S,
  DEFAULT_SANDBOX_TOKEN,
  DEFAULT_WINDOW_MS,
  type IntercomSandboxOptions,
} from './options.ts';
import { RateWindow } from './rate-window.ts';
import { IntercomStore } from './store.ts';

/** Behaviour that tests and the demo change at runtime (in process or via `POST /__sandbox/knobs`). */
export interface IntercomSandboxKnobs {
  /** The next N API requests answer `failStatus` instead of being served. */
  failNext: number;
  failStatus: number;
  /** Requests served normally before the `failNext` failures start (a failure in the middle of a run). */
  failAfter: number;
  /** Wait this long before serving each API request (provokes client timeouts). */
  delayMs: number;
  /** Record keys (external_id, email or company_id) whose writes are rejected with a 400 `error.list`. */
  rejectKeys: string[];
  /** New contacts stay invisible to search for this long. */
  searchLagMs: number;
  retryAfterOn429: boolean;
  requestsPerWindow: number;
  windowMs: number;
  token: string;
}

export interface IntercomSandboxStats {
  /** API requests received (read-back under /__sandbox/ is not counted). */
  requests: number;
  /** Per endpoint, e.g. `POST /contacts`, `PUT /contacts/{id}`. */
  byEndpoint: Record<string, number>;
  byStatus: Record<string, number>;
  rateLimited: number;
  unauthorized: number;
  /** 409 conflicts returned (duplicate creates). */
  conflicts: number;
  injectedFailures: number;
  /**
   * Most API requests in flight at once. Intercom has no batch endpoint, so this stands in for the
   * "batch sizes seen" of the other sandboxes: every write carries exactly one record.
   */
  peakInFlight: number;
  createsPerKey: { contacts: Record<string, number>; companies: Record<string, number> };
}

function emptyStats(): Omit<IntercomSandboxStats, 'createsPerKey'> {
  return { requests: 0, byEndpoint: {}, byStatus: {}, rateLimited: 0, unauthorized: 0, conflicts: 0, injectedFailures: 0, peakInFlight: 0 };
}

function nonNegativeInteger(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new Error(`knob ${name} must be a non-negative integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

export class SandboxState {
  readonly store: IntercomStore;
  readonly window: RateWindow;
  readonly knobs: IntercomSandboxKnobs;
  counters = emptyStats();
  inFlight = 0;

  constructor(options: IntercomSandboxOptions) {
    this.store = new IntercomStore(options.customAttributes ?? DEFAULT_CUSTOM_ATTRIBUTES);
    this.knobs = {
      failNext: 0,
      failStatus: 500,
      failAfter: 0,
      delayMs: 0,
      rejectKeys: [],
      searchLagMs: options.searchLagMs ?? 0,
      retryAfterOn429: options.retryAfterOn429 ?? false,
      requestsPerWindow: options.requestsPer10s ?? DEFAULT_REQUESTS_PER_10S,
      windowMs: options.windowMs ?? DEFAULT_WINDOW_MS,
      token: options.token ?? DEFAULT_SANDBOX_TOKEN,
    };
    this.setKnobs(this.knobs);
    this.window = new RateWindow(this.knobs.requestsPerWindow, this.knobs.windowMs);
  }

  /** Validates and applies a partial knob update; a bad value throws before anything changes. */
  setKnobs(partial: Partial<IntercomSandboxKnobs>): void {
    const next = { ...this.knobs, ...partial };
    nonNegativeInteger('failNext', next.failNext);
    nonNegativeInteger('failAfter', next.failAfter);
    nonNegativeInteger('delayMs', next.delayMs);
    nonNegativeInteger('searchLagMs', next.searchLagMs);
    if (nonNegativeInteger('failStatus', next.failStatus) < 400) throw new Error('knob failStatus must be an HTTP error status (>= 400)');
    if (nonNegativeInteger('requestsPerWindow', next.requestsPerWindow) < 1) throw new Error('knob requestsPerWindow must be at least 1');
    if (nonNegativeInteger('windowMs', next.windowMs) < 1) throw new Error('knob windowMs must be at least 1');
    if (!Array.isArray(next.rejectKeys) || !next.rejectKeys.every((k) => typeof k === 'string')) throw new Error('knob rejectKeys must be a list of strings');
    if (typeof next.retryAfterOn429 !== 'boolean') throw new Error('knob retryAfterOn429 must be a boolean');
    if (typeof next.token !== 'string' || next.token === '') throw new Error('knob token must be a non-empty string');
    const limitsChanged = next.requestsPerWindow !== this.knobs.requestsPerWindow || next.windowMs !== this.knobs.windowMs;
    Object.assign(this.knobs, next);
    if (limitsChanged && this.window !== undefined) this.window.reconfigure(next.requestsPerWindow, next.windowMs);
  }

  stats(): IntercomSandboxStats {
    return {
      ...structuredClone(this.counters),
      createsPerKey: {
        contacts: Object.fromEntries(this.store.creates.contacts),
        companies: Object.fromEntries(this.store.creates.companies),
      },
    };
  }

  /** Forgets records, creation counts and statistics; keeps the custom attributes and the knobs. */
  reset(): void {
    this.store.contacts.clear();
    this.store.companies.clear();
    this.store.creates.contacts.clear();
    this.store.creates.companies.clear();
    this.counters = emptyStats();
    this.window.reconfigure(this.knobs.requestsPerWindow, this.knobs.windowMs);
  }
}
