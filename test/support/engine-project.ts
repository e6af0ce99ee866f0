import { builtInKinds } from '../../src/cli/registry.ts';
import { connectionOptions, loadProject, resolveSecrets } from '../../src/config/index.ts';
import type { ResolvedConfig } from '../../src/core/sync.ts';
import type { Plan } from '../../src/core/plan.ts';
import { applyPlan, type ApplyResult } from '../../src/engine/executor.ts';
import type { EngineEvent } from '../../src/engine/events.ts';
import { planSyncs } from '../../src/engine/planner.ts';
import type { RetryPolicy } from '../../src/engine/retry.ts';
import { openSqliteSnapshotStore } from '../../src/snapshot/sqlite/index.ts';
import type { SnapshotStore } from '../../src/snapshot/store.ts';
import { EBB_VERSION } from '../../src/cli/version.ts';

/** The engine driven directly (no CLI), for tests that need a fast retry policy or the events. */
export interface EngineHarness {
  config: ResolvedConfig;
  store: SnapshotStore;
  events: EngineEvent[];
  plan(): Promise<Plan>;
  apply(plan: Plan, options?: { allowDeletes?: boolean; retry?: RetryPolicy; lockTtlMs?: number }): Promise<ApplyResult>;
  close(): Promise<void>;
}

export const FAST_RETRY: RetryPolicy = { maxRateLimitedRetries: 3, maxTransientRetries: 2, baseDelayMs: 20, maxDelayMs: 100 };

export async function openEngine(rootDir: string, env: NodeJS.ProcessEnv = {}): Promise<EngineHarness> {
  const loaded = await loadProject(rootDir, builtInKinds);
  if (!loaded.ok) throw new Error(loaded.diagnostics.map((d) => d.message).join('\n'));
  const config = loaded.config;
  const store = openSqliteSnapshotStore(config.snapshotPath);
  const events: EngineEvent[] = [];
  const options = (name: string) => resolveSecrets(connectionOptions(config.connections[name]!), env);
  const kindOf = (name: string) => config.connections[name]!.kind;
  return {
    config,
    store,
    events,
    plan: () =>
      planSyncs(config.syncs, {
        store,
        toolVersion: EBB_VERSION,
        openSource: (c) => builtInKinds.sources[kindOf(c)]!.open(options(c), { rootDir }),
        events: (e) => events.push(e),
      }),
    apply: (plan, o = {}) =>
      applyPlan(
        plan,
        {
          store,
          syncs: new Map(config.syncs.map((s) => [s.name, s])),
          connection: (c) => ({ definition: builtInKinds.connectors[kindOf(c)]!, options: options(c) }),
          rootDir,
          toolVersion: EBB_VERSION,
          events: (e) => events.push(e),
          ...(o.retry ? { retry: o.retry } : {}),
          ...(o.lockTtlMs ? { lockTtlMs: o.lockTtlMs } : {}),
        },
        { allowDeletes: o.allowDeletes ?? false },
      ),
    close: () => store.close(),
  };
}
