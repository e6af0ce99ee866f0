import { randomUUID } from 'node:crypto';
import { emptyTotals, fieldsNoLongerMapped, isSnapshotOnly } from '../core/change.ts';
import { changeList } from '../core/change-set.ts';
import type { Diagnostic } from '../core/diagnostics.ts';
import { LocalStorageError, OUTCOME_UNKNOWN, describeError } from '../core/errors.ts';
import { fingerprintOf } from '../core/fingerprint.ts';
import { PLAN_FORMAT_VERSION, type Plan, type SyncPlan } from '../core/plan.ts';
import type { ResolvedSync } from '../core/sync.ts';
import type { SourceSession } from '../sources/source.ts';
import type { SnapshotStore, StagedRow, StageSummary, Stager } from '../snapshot/store.ts';
import { ChangeSpool } from './change-spool.ts';
import { systemClock, type Clock } from './clock.ts';
import { shielded, type EventSink } from './events.ts';
import { deleteGuardBlock } from './guards.ts';
import { adoptKeyCase } from './key-case.ts';
import { matchKeyReader, missingColumns, payloadEncoder, rowChecker } from './mapping.ts';

/**
 * Changes per diff page. Small, because a page lives long enough to be promoted in V8: pages of 5,000
 * grew the old space by 60 MB before a full collection (100k changes at 10M rows).
 */
const DIFF_PAGE = 1_000;

export interface PlanDependencies {
  store: SnapshotStore;
  openSource(connection: string): Promise<SourceSession>;
  toolVersion: string;
  events?: EventSink;
  clock?: Clock;
  /** The holder of the syncs' locks when the caller planned under them (a scheduled cycle does). */
  lockHolder?: string;
}

/** Plans every given sync; one sync failing to plan never stops the others. */
export async function planSyncs(syncs: readonly ResolvedSync[], deps: PlanDependencies): Promise<Plan> {
  const plans: SyncPlan[] = [];
  for (const sync of syncs) plans.push(await planSync(sync, deps));
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    toolVersion: deps.toolVersion,
    id: randomUUID(),
    createdAt: new Date((deps.clock ?? systemClock).now()).toISOString(),
    syncs: plans,
  };
}

/**
 * Reads the model, stages it keyed in SQLite, and diffs it against the snapshot there, so memory does
 * not follow the model's size (bar 7.5 bytes a snapshot row for its row checks, up to a cap). Rows
 * whose check proves them unchanged are not even staged; the changes stream into a spool.
 */
export async function planSync(sync: ResolvedSync, deps: PlanDependencies): Promise<SyncPlan> {
  const events = shielded(deps.events);
  events({ type: 'plan-started', sync: sync.name });
  const state = await deps.store.ensureState(sync.name);
  const plan: SyncPlan = {
    sync: sync.name,
    definitionHash: sync.definitionHash,
    // Set again once the snapshot's keys are settled (a re-key moves the serial).
    base: { lineage: state.lineage, serial: state.serial },
    mode: sync.mode,
    destination: { ...sync.destination },
    sensitiveFields: sync.mapping.filter((m) => m.sensitive).map((m) => m.to),
    changes: changeList([]),
    totals: emptyTotals(),
    modelRows: 0,
    snapshotRows: 0,
    ignored: { update: 0, delete: 0 },
    diagnostics: [],
    blocked: null,
    errored: false,
  };
  let readingModel = false;
  try {
    const keys = await adoptKeyCase(sync, deps.store, state, deps.lockHolder);
    plan.base = { lineage: keys.state.lineage, serial: keys.state.serial };
    plan.diagnostics.push(...keys.diagnostics);
    readingModel = true;
    const stager = await deps.store.beginStaging(sync.name);
    plan.snapshotRows = stager.snapshotRows;
    const staged = await stageModel(sync, deps, stager, (rows) => events({ type: 'plan-read-progress', sync: sync.name, rows }));
    plan.modelRows = staged.summary.rows + staged.summary.nullKeys;
    plan.diagnostics.push(...staged.diagnostics, ...keyDiagnostics(sync, staged.summary));
    if (plan.diagnostics.some((d) => d.severity === 'error')) {
      plan.errored = true;
    } else {
      await diffInto(plan, sync, deps.store, staged.summary.rows, await keysOfUncertainCreates(deps.store, sync.name));
    }
  } catch (error) {
    plan.errored = true;
    plan.diagnostics.push({
      severity: 'error',
      code: (error as { code?: string }).code ?? 'PLAN_FAILED',
      sync: sync.name,
      file: sync.file,
      // A full disk, a broken snapshot, or a re-key refused before the read, is no failure of the
      // warehouse: those messages say what they are.
      message:
        error instanceof LocalStorageError || !readingModel
          ? describeError(error)
          : `could not read the model from "${sync.source.connection}": ${describeError(error)}`,
    });
  } finally {
    // After a failure (a full disk, say) the drop may fail too. The staging tables are temporary: they
    // go with the store's connection, and the first failure is the one to report.
    await deps.store.dropStaging(sync.name).catch(() => undefined);
  }
  events({ type: 'plan-finished', sync: sync.name, totals: plan.totals, modelRows: plan.modelRows, errored: plan.errored });
  return plan;
}

async function stageModel(
  sync: ResolvedSync,
  deps: PlanDependencies,
  stager: Stager,
  progress: (rows: number) => void,
): Promise<{ summary: StageSummary; diagnostics: Diagnostic[] }> {
  const session = await deps.openSource(sync.source.connection);
  // Rows are proven unchanged by row check; against an empty snapshot (a first sync) none can be.
  const settle = stager.snapshotRows > 0;
  const encode = payloadEncoder(sync.mapping);
  const check = rowChecker(sync.mapping);
  const keyOfRow = matchKeyReader(sync.key, sync.destination.matchIgnoresCase);
  const diagnostics: Diagnostic[] = [];
  const keys: (string | null)[] = [];
  let checks = new Float64Array(sync.readBatchSize);
  let read = 0;
  const batches = readAhead(session.read(sync.source.query, { batchSize: sync.readBatchSize, queryTag: `ebb:${sync.name}`, timeoutMs: sync.readTimeoutMs }));
  try {
    for await (const rows of batches) {
      if (read === 0 && rows.length > 0) {
        const missing = missingColumns(rows[0]!, sync.mapping, sync.key);
        if (missing.length > 0) {
          diagnostics.push({
            severity: 'error',
            code: 'MISSING_COLUMNS',
            sync: sync.name,
            file: sync.file,
            path: 'mapping',
            message: `the model has no column ${missing.map((c) => `"${c}"`).join(', ')}; it returned ${Object.keys(rows[0]!).join(', ')}. Fix the query or the mapping`,
          });
          break;
        }
      }
      // Cheap row checks first; the payload text and fingerprint only for rows not proven unchanged.
      if (checks.length < rows.length) checks = new Float64Array(rows.length);
      keys.length = rows.length;
      for (let i = 0; i < rows.length; i += 1) {
        const key = keyOfRow(rows[i]!);
        keys[i] = key;
        if (settle) checks[i] = key === null ? 0 : check(key, rows[i]!);
      }
      const rest = settle ? stager.skipUnchanged(keys, checks.subarray(0, rows.length)) : Array.from(rows, (_, i) => i);
      const staged: StagedRow[] = new Array(rest.length);
      for (let j = 0; j < rest.length; j += 1) {
        const payloadJson = encode(rows[rest[j]!]!);
        staged[j] = { key: keys[rest[j]!]!, fingerprint: fingerprintOf(payloadJson), payloadJson };
      }
      stager.add(staged);
      read += rows.length;
      progress(read);
    }
  } finally {
    await session.close();
  }
  return { summary: stager.finish(), diagnostics };
}

/**
 * Asks the source for its next batch before the current one is processed, so the warehouse driver's
 * native work (decoding the next chunk) overlaps with hashing and staging on the JavaScript thread.
 */
async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let pending = iterator.next();
  try {
    for (;;) {
      const result = await pending;
      if (result.done) return;
      pending = iterator.next();
      yield result.value;
    }
  } finally {
    // Stopped early (error or break): let the in-flight read settle, then close the source's cursor.
    await pending.catch(() => undefined);
    await iterator.return?.();
  }
}

function keyDiagnostics(sync: ResolvedSync, summary: StageSummary): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  if (summary.nullKeys > 0) {
    diagnostics.push({
      severity: 'error',
      code: 'NULL_KEYS',
      sync: sync.name,
      file: sync.file,
      path: 'key',
      message: `${summary.nullKeys} model row(s) have a null "${sync.key}", so they cannot be matched to a record. Filter them out in the query (where ${sync.key} is not null) or fix the data`,
    });
  }
  if (summary.duplicateKeys > 0) {
    const samples = summary.duplicateSamples.map((s) => `${s.key} (×${s.occurrences})`).join(', ');
    const { matchIgnoresCase, matchOn } = sync.destination;
    const compared = matchIgnoresCase ? `, compared ignoring case as the destination matches ${matchOn}, ` : ', ';
    const remedy = matchIgnoresCase
      ? `Rows whose keys differ only in case would be written to the same record, the last one winning: deduplicate in the query (e.g. on lower(${sync.key})) or choose another key`
      : 'Each row must have a unique key: deduplicate in the query or choose another key';
    diagnostics.push({
      severity: 'error',
      code: 'DUPLICATE_KEYS',
      sync: sync.name,
      file: sync.file,
      path: 'key',
      message: `${summary.duplicateKeys} key value(s) of "${sync.key}" appear more than once${compared}e.g. ${samples}. ${remedy}`,
    });
  }
  return diagnostics;
}

/** Row errors of a kind there are few of at a time: read whole, with a bound for the pathological case. */
const UNCERTAIN_CREATES_READ = 10_000;

/** Keys whose last create failed after it may have reached the destination (CreateOutcomeUnknownError). */
async function keysOfUncertainCreates(store: SnapshotStore, sync: string): Promise<ReadonlySet<string>> {
  const errors = await store.listRowErrors({ sync, limit: UNCERTAIN_CREATES_READ, code: OUTCOME_UNKNOWN });
  return new Set(errors.map((e) => e.key));
}

/**
 * Creates proposed again for records an earlier create may already have made: applying them may make
 * a second record, so the plan says which, for someone to check the destination first.
 */
function uncertainCreatesWarning(sync: ResolvedSync, count: number, samples: readonly string[]): Diagnostic {
  return {
    severity: 'warning',
    code: 'UNCERTAIN_CREATES',
    sync: sync.name,
    file: sync.file,
    message:
      `${count} create(s) are for records an earlier run may already have created (its create failed after it may have reached ${sync.destination.object}; \`ebb errors ${sync.name}\` lists them as ${OUTCOME_UNKNOWN}), e.g. ${samples.join(', ')}. ` +
      `Applying creates them again: check ${sync.destination.object} for their ${sync.destination.matchOn} first, and delete any that exist, or the destination may hold them twice.`,
  };
}

/**
 * In mirror mode, records an earlier create may have made whose rows have left the model: Ebb never
 * learned their ids, so it cannot delete them, and they would stay in the destination unseen.
 */
function orphanedCreatesWarning(sync: ResolvedSync, keys: readonly string[]): Diagnostic {
  const { object, matchOn } = sync.destination;
  return {
    severity: 'warning',
    code: 'UNCONFIRMED_ORPHANS',
    sync: sync.name,
    file: sync.file,
    message:
      `${keys.length} record(s) an earlier create may have made (${OUTCOME_UNKNOWN} in \`ebb errors ${sync.name}\`) are no longer in the model, e.g. ${keys.slice(0, 5).join(', ')}. ` +
      `Ebb never learned their ids, so this mirror sync cannot delete them: check ${object} for their ${matchOn} and delete any that exist. They stay listed until the history is pruned.`,
  };
}

async function diffInto(plan: SyncPlan, sync: ResolvedSync, store: SnapshotStore, stagedRows: number, uncertainCreates: ReadonlySet<string>): Promise<void> {
  const mirror = sync.mode === 'mirror';
  const uncertainProposed = new Set<string>();
  const uncertainSamples: string[] = [];
  const spool = new ChangeSpool();
  const totals = emptyTotals();
  let ignoredUpdates = 0;
  const unmapped = new Set<string>();
  let snapshotOnly = 0;
  try {
    for await (const batch of store.diff(sync.name, { includeDeletes: mirror, batchSize: DIFF_PAGE })) {
      for (const change of batch) {
        // create-only never touches a record once created, its snapshot included.
        if (change.action === 'update' && sync.mode === 'create') {
          if (!isSnapshotOnly(change)) ignoredUpdates += 1;
          continue;
        }
        for (const field of fieldsNoLongerMapped(change)) unmapped.add(field);
        if (change.action === 'create' && uncertainCreates.has(change.key)) {
          uncertainProposed.add(change.key);
          if (uncertainSamples.length < 5) uncertainSamples.push(change.key);
        }
        spool.add(change);
        if (isSnapshotOnly(change)) snapshotOnly += 1;
        else totals[change.action] += 1;
      }
    }
  } catch (error) {
    spool.discard(); // a diff that failed half-way (perhaps on a full disk) leaves no spool file behind
    throw error;
  }
  plan.changes = spool.finish();
  plan.totals = totals;
  plan.ignored.update = ignoredUpdates;
  if (unmapped.size > 0) plan.noLongerMapped = { fields: [...unmapped].sort(), snapshotOnly };
  if (uncertainProposed.size > 0) plan.diagnostics.push(uncertainCreatesWarning(sync, uncertainProposed.size, uncertainSamples));
  // A key not in the snapshot and still in the model is always proposed as a create: the rest left it.
  const orphans = mirror ? [...uncertainCreates].filter((key) => !uncertainProposed.has(key)).sort() : [];
  if (orphans.length > 0) plan.diagnostics.push(orphanedCreatesWarning(sync, orphans));
  // Records no longer in the model, derived rather than counted: another pass over a large join is costly.
  if (!mirror) plan.ignored.delete = plan.snapshotRows - (stagedRows - plan.totals.create);
  if (mirror) {
    plan.blocked = deleteGuardBlock({ deletes: plan.totals.delete, snapshotRows: plan.snapshotRows, modelRows: plan.modelRows, guard: sync.deleteGuard });
    if (plan.blocked) {
      plan.diagnostics.push({ severity: 'warning', code: plan.blocked.code, sync: sync.name, message: plan.blocked.message });
    }
  }
}
