import { DEFAULT_KNOBS, checkKnobPatch } from './knobs.ts';
import { TokenLimits } from './limits.ts';
import { SchemaRegistry } from './schema.ts';
import { StatsCollector } from './stats.ts';
import { RecordStore } from './store.ts';
import type { HubspotSandboxKnobs, HubspotSandboxOptions } from './types.ts';

/** Everything a running HubSpot sandbox holds; the HTTP layer and the in-process handle share it. */
export class SandboxState {
  readonly schemas: SchemaRegistry;
  readonly store = new RecordStore();
  readonly stats = new StatsCollector();
  readonly limits: TokenLimits;
  readonly tokens: ReadonlySet<string> | null;
  knobs: HubspotSandboxKnobs;

  constructor(options: HubspotSandboxOptions) {
    this.schemas = new SchemaRegistry(options.portalId ?? 62_515_000);
    this.tokens = options.tokens === undefined ? null : new Set(options.tokens);
    this.knobs = { ...DEFAULT_KNOBS };
    this.setKnobs({
      ...(options.requestsPer10s !== undefined ? { requestsPer10s: options.requestsPer10s } : {}),
      ...(options.dailyLimit !== undefined ? { dailyLimit: options.dailyLimit } : {}),
      ...(options.windowMs !== undefined ? { windowMs: options.windowMs } : {}),
      ...options.knobs,
    });
    this.limits = new TokenLimits(() => this.knobs);
  }

  setKnobs(patch: unknown): HubspotSandboxKnobs {
    this.knobs = { ...this.knobs, ...checkKnobPatch(patch) };
    return this.knobs;
  }
}
