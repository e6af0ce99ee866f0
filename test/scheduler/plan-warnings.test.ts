import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.ts';
import type { CycleReport } from '../../src/scheduler/cycle-report.ts';
import { createHubspotProject, type HubspotProject } from '../support/hubspot-project.ts';
import { ManualClock } from './support/manual-clock.ts';
import { openHarness, type Harness } from './support/scheduled-project.ts';

let p: HubspotProject | undefined;
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  await p?.close();
  p = undefined;
});

interface LogLine {
  level: number;
  event?: string;
  sync?: string;
  code?: string;
  msg: string;
}

const logLines = () => readFileSync(p!.project.path('.ebb/ebb.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as LogLine);

function edit(project: HubspotProject, file: string, change: (source: string) => string): void {
  const path = project.project.path(file);
  const before = readFileSync(path, 'utf8');
  const after = change(before);
  expect(after, `${file} did not change`).not.toBe(before);
  project.project.write(file, after);
}

/**
 * A realistic plan warning, KEYS_MERGED. While the sync compared e-mails exactly, a second spelling of
 * one (`USER2@…`) was a second key: a create that HubSpot, which finds contacts by e-mail ignoring case,
 * applied to the same contact. The sync now compares as HubSpot does and the second spelling is gone
 * from the model: the next plan merges the snapshot's two keys into one, and says so once only.
 */
async function projectAboutToMergeKeys(syncExtra?: string): Promise<HubspotProject> {
  p = await createHubspotProject({ rows: 3 });
  edit(p, 'syncs/ebb.config.ts', (s) => s.replace("snapshot: { path: '.ebb/snapshot.sqlite' },", "snapshot: { path: '.ebb/snapshot.sqlite' }, logging: { file: '.ebb/ebb.log' },"));
  edit(p, 'syncs/contacts.sync.ts', (s) => s.replace("mode: 'upsert'", `mode: 'mirror'${syncExtra ? `, ${syncExtra}` : ''}`).replace("matchOn: 'email' }", "matchOn: 'email', matchIgnoresCase: false }"));
  expect((await p.cli(['run', 'contacts'])).out).toContain('contacts: succeeded: 3 delivered');
  await p.sql(`insert into customers select 'USER2@example.com', 'Second', 'Spelling', 'lead', 2, '1970-01-03'`);
  const twice = await p.cli(['run', 'contacts']);
  expect(twice.out).toContain('contacts: succeeded: 1 delivered');
  expect(twice.out).not.toContain('warning');
  expect(p.contacts().size).toBe(3);

  edit(p, 'syncs/contacts.sync.ts', (s) => s.replace(', matchIgnoresCase: false', ''));
  await p.sql(`delete from customers where email = 'USER2@example.com'`);
  return p;
}

describe('plan warnings in a cycle', () => {
  it('are printed by ebb run, logged at warn level with their code, and kept in the run history', async () => {
    await projectAboutToMergeKeys();

    const merged = await p!.cli(['run', 'contacts']);
    expect(merged.err).toBe('');
    expect(merged.code).toBe(0);
    expect(merged.out).toMatch(/^contacts: warning \[KEYS_MERGED\] \S.*user2@example\.com/im);

    const warned = logLines().filter((l) => l.event === 'plan-warning');
    expect(warned.map((l) => [l.level, l.sync, l.code])).toEqual([[40, 'contacts', 'KEYS_MERGED']]);
    expect(warned[0]!.msg).toMatch(/^contacts: warning \[KEYS_MERGED\] \S/);

    // The apply's run says what the apply did; the plan's own run keeps the warning.
    expect((await p!.cli(['runs', 'contacts'])).out).toMatch(/contacts\s+plan\s+succeeded\s+.*warning \[KEYS_MERGED\] \S/);

    const again = await p!.cli(['run', 'contacts']);
    expect(again.out).toContain('contacts: succeeded (no changes)');
    expect(again.out).not.toContain('warning');
    expect(logLines().filter((l) => l.event === 'plan-warning')).toHaveLength(1);
    expect(p!.contacts().size).toBe(3);
  });

  it('reach the report and the log of a scheduled cycle too', async () => {
    await projectAboutToMergeKeys("schedule: { every: '1h' }");
    const lines: LogLine[] = [];
    const logger = createLogger({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
    const finished: CycleReport[] = [];
    const clock = new ManualClock(Date.parse('2031-03-01T09:00:00.000Z'));
    h = await openHarness(p!.project.dir, clock, { env: p!.env, logger, observer: { cycleFinished: (r) => void finished.push(r) } });
    await h.scheduler.tick();
    await h.scheduler.idle();

    expect(finished.map((r) => [r.outcome, r.warnings.map((w) => w.code)])).toEqual([['succeeded', ['KEYS_MERGED']]]);
    expect(lines.filter((l) => l.event === 'plan-warning').map((l) => [l.level, l.sync, l.code])).toEqual([[40, 'contacts', 'KEYS_MERGED']]);
  });
});
