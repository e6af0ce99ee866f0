import { describeError } from '../../core/errors.ts';
import { systemClock } from '../../engine/clock.ts';
import type { ResolvedSync } from '../../core/sync.ts';
import type { CliIo } from '../io.ts';
import type { Project } from '../project.ts';

/**
 * `ebb validate`: the config already loaded cleanly to get here. With --remote, also asks each
 * destination for its field list and checks every mapped field exists and is writable.
 */
export async function validateCommand(io: CliIo, project: Project, flags: { remote: boolean }): Promise<number> {
  const syncs = project.config.syncs;
  io.out(`Configuration valid: ${syncs.length} sync(s) (${syncs.map((s) => s.name).join(', ')}).`);
  if (!flags.remote) return 0;
  let problems = 0;
  for (const sync of syncs) {
    const found = await remoteProblems(project, sync);
    problems += found.length;
    io.out(found.length === 0 ? `${sync.name}: fields checked against ${sync.destination.connection}.` : `${sync.name}:`);
    for (const p of found) io.err(`  Error ${sync.file} › mapping: ${p}`);
  }
  return problems > 0 ? 1 : 0;
}

/** The model's column types, when the source can describe its query without reading rows. */
async function columnTypes(project: Project, sync: ResolvedSync): Promise<Record<string, string>> {
  const source = await project.openSource(sync.source.connection);
  try {
    if (!source.describe) return {};
    return Object.fromEntries((await source.describe(sync.source.query)).map((c) => [c.name, c.type]));
  } finally {
    await source.close();
  }
}

async function remoteProblems(project: Project, sync: ResolvedSync): Promise<string[]> {
  try {
    const { definition, options } = project.connection(sync.destination.connection);
    const session = await definition.open(options, { rootDir: project.config.rootDir, sleep: systemClock.sleep });
    try {
      if (!session.describe) return [];
      const described = await session.describe(sync.destination.object);
      if (definition.checkMapping) {
        return definition.checkMapping({
          fields: described,
          mapping: sync.mapping,
          matchOn: sync.destination.matchOn,
          mode: sync.mode,
          matchIgnoresCase: sync.destination.matchIgnoresCase,
          columnTypes: await columnTypes(project, sync),
        });
      }
      const fields = new Map(described.map((f) => [f.name, f]));
      const problems: string[] = [];
      for (const m of sync.mapping) {
        const field = fields.get(m.to);
        if (!field) problems.push(`"${m.to}" does not exist on ${sync.destination.object}; known fields include ${[...fields.keys()].slice(0, 12).join(', ')}`);
        else if (!field.writable) problems.push(`"${m.to}" is read-only on ${sync.destination.object}; remove it from the mapping`);
      }
      return problems;
    } finally {
      await session.close();
    }
  } catch (error) {
    return [`could not read the fields of ${sync.destination.object}: ${describeError(error)}`];
  }
}
