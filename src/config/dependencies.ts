import type { Diagnostic } from '../core/diagnostics.ts';
import type { ResolvedSync } from '../core/sync.ts';
import { ConfigCodes, configError, didYouMean, listNames } from './diagnostics.ts';
import { ConfigError } from './errors.ts';

type Node = Pick<ResolvedSync, 'name' | 'dependsOn'>;

/**
 * Syncs ordered so each comes after the syncs it depends on; among syncs free to go, by name, so
 * the order is the same on every run. Dependencies on unknown syncs are ignored (the loader reports
 * them). Throws ConfigError on a cycle, which a loaded project never has.
 */
export function syncsInDependencyOrder<T extends Node>(syncs: readonly T[]): T[] {
  const byName = new Map(syncs.map((sync) => [sync.name, sync]));
  const waitingOn = new Map(syncs.map((sync) => [sync.name, new Set(sync.dependsOn.filter((d) => byName.has(d)))]));
  const ordered: T[] = [];
  while (waitingOn.size > 0) {
    const ready = [...waitingOn].filter(([, deps]) => deps.size === 0).map(([name]) => name).sort();
    const next = ready[0];
    if (next === undefined) {
      const cycle = findDependencyCycles([...waitingOn.keys()].map((name) => byName.get(name) as T))[0] ?? [];
      throw new ConfigError(`Syncs depend on each other in a cycle: ${cycle.join(' → ')}.`, { code: ConfigCodes.DEPENDENCY_CYCLE });
    }
    waitingOn.delete(next);
    for (const deps of waitingOn.values()) deps.delete(next);
    ordered.push(byName.get(next) as T);
  }
  return ordered;
}

/** Each cycle once, as a path that returns to its start (`a → b → a`); self-dependencies included. */
export function findDependencyCycles(syncs: readonly Node[]): string[][] {
  const byName = new Map(syncs.map((sync) => [sync.name, sync]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (name: string): void => {
    state.set(name, 'visiting');
    stack.push(name);
    for (const dep of [...(byName.get(name)?.dependsOn ?? [])].sort()) {
      if (!byName.has(dep)) continue;
      if (state.get(dep) === 'visiting') cycles.push([...stack.slice(stack.indexOf(dep)), dep]);
      else if (!state.has(dep)) visit(dep);
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of [...byName.keys()].sort()) if (!state.has(name)) visit(name);
  return cycles;
}

/**
 * `dependsOn` entries naming no sync, and dependency cycles, as diagnostics. `unresolved` holds names
 * of syncs that exist but failed to load: depending on them is not an error of its own.
 */
export function dependencyProblems(syncs: readonly ResolvedSync[], unresolved: ReadonlySet<string> = new Set()): Diagnostic[] {
  const names = syncs.map((sync) => sync.name);
  const known = new Set([...names, ...unresolved]);
  const diagnostics: Diagnostic[] = [];
  for (const sync of syncs) {
    sync.dependsOn.forEach((dep, index) => {
      if (known.has(dep)) return;
      diagnostics.push(
        configError(ConfigCodes.UNKNOWN_DEPENDENCY, `No sync named \`${dep}\`.${didYouMean(dep, names)} Known syncs: ${listNames(names)}.`, {
          file: sync.file,
          path: `dependsOn[${index}]`,
          sync: sync.name,
        }),
      );
    });
  }
  const byName = new Map(syncs.map((sync) => [sync.name, sync]));
  for (const cycle of findDependencyCycles(syncs)) {
    const first = byName.get(cycle[0] ?? '');
    diagnostics.push(
      configError(ConfigCodes.DEPENDENCY_CYCLE, `Dependency cycle: ${cycle.join(' → ')}. Remove one of these \`dependsOn\` entries so the syncs can run in order.`, {
        ...(first ? { file: first.file, sync: first.name } : {}),
        path: 'dependsOn',
      }),
    );
  }
  return diagnostics;
}
