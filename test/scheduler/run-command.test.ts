import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { captureIo } from '../support/capture-io.ts';
import type { MemoryProject } from '../support/memory-project.ts';
import { createScheduledProject } from './support/scheduled-project.ts';

let p: MemoryProject | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

async function cli(...args: string[]) {
  const io = captureIo(p!.project.dir);
  const code = await runCli(args, io);
  return { code, out: io.stdout(), err: io.stderr() };
}

const logLines = () =>
  readFileSync(p!.project.path('.ebb/ebb.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { level: number; event?: string; msg: string; alert?: Record<string, unknown> });

describe('ebb run SYNC', () => {
  it('plans and applies now; a plan the delete guard blocks is not applied but alerted, until --allow-deletes', async () => {
    p = await createScheduledProject({ rows: 20, mode: 'mirror', config: "logging: { file: '.ebb/ebb.log' }," });
    const first = await cli('run', 'contacts');
    expect(first.out).toContain('contacts: succeeded: 20 delivered, 0 failed of 20; 1 API call(s), 0 rate-limited; 0 still pending');
    expect(first.code).toBe(0);
    expect((await cli('run', 'contacts')).out).toContain('contacts: succeeded (no changes)');

    await p.sql('delete from customers');
    const blocked = await cli('run', 'contacts');
    expect(blocked.code).toBe(1);
    expect(blocked.out).toContain('contacts: blocked: the model returned 0 rows, so every one of the 20 records Ebb wrote would be deleted.');
    expect(blocked.out).toContain('Nothing was applied; re-run with --allow-deletes if this is intended.');
    expect(blocked.out).not.toContain('warning [EMPTY_MODEL]'); // the line above says it already
    expect(blocked.out).toMatch(/alert \[CRITICAL\] contacts · guard-blocked: not applied: the model returned 0 rows/);
    expect(p.destination().size).toBe(20);
    const history = (await cli('runs', 'contacts')).out;
    expect(history).toMatch(/contacts\s+plan\s+failed\s+planned 20, delivered 0, failed 0, 0 call\(s\), 0 429\(s\)\s+blocked: the model returned 0 rows/);
    expect(history).not.toContain('warning [EMPTY_MODEL]');
    // The default channel is the log: one error line for the change of state, none for the repeat.
    expect((await cli('run', 'contacts')).code).toBe(1);
    const alerts = () => logLines().filter((l) => l.event === 'alert');
    expect(alerts().map((l) => [l.level, l.alert?.['rule'], l.alert?.['status']])).toEqual([[50, 'guard-blocked', 'firing']]);

    const allowed = await cli('run', 'contacts', '--allow-deletes');
    expect(allowed.code).toBe(0);
    expect(allowed.out).toContain('contacts: succeeded: 20 delivered, 0 failed of 20');
    expect(allowed.out).toContain('contacts: warning [EMPTY_MODEL] the model returned 0 rows');
    expect(allowed.out).toContain('alert [RESOLVED] contacts · guard-blocked (was critical)');
    expect(p.destination().size).toBe(0);
    expect(alerts().map((l) => [l.level, l.alert?.['status']])).toEqual([[50, 'firing'], [30, 'resolved']]);
    expect(logLines().some((l) => l.event === 'apply-finished' && /contacts: succeeded/.test(l.msg))).toBe(true);
  });

  it('shows lag against the SLA in ebb status', async () => {
    p = await createScheduledProject({ rows: 5, contacts: "sla: { freshness: '15m' }," });
    p.sandbox.knobs.rejectKeys['cust-000002'] = 'nope';
    expect((await cli('status', '--offline')).out).toContain('lag not tracked yet (tracked by `ebb schedule` and `ebb run`)');
    expect((await cli('run', 'contacts')).code).toBe(1);
    const status = await cli('status');
    expect(status.out).toMatch(/contacts\s+last run .* partial \(4 delivered, 1 failed\); 4 record\(s\) in snapshot; 1 failed row\(s\); 1 pending change\(s\); lag \d+ms of 15m SLA: ok/);
    const json = JSON.parse((await cli('status', '--json')).out) as { freshnessSlaSeconds: number; slaMet: boolean }[];
    expect(json[0]).toMatchObject({ freshnessSlaSeconds: 900, slaMet: true });
  });

  it('re-keys the snapshot under its own lock when the destination starts matching keys ignoring case', async () => {
    p = await createScheduledProject({ rows: 5 });
    await p.sql(`update customers set customer_id = upper(customer_id) where customer_id in ('cust-000002', 'cust-000004')`);
    expect((await cli('run', 'contacts')).code).toBe(0);
    // The sync now says its destination matches external_id ignoring case: a cycle plans under the
    // sync's lock, which must not stop it re-keying the snapshot (two keys lower-cased, nothing to send).
    const sync = p.project.path('syncs/contacts.sync.ts');
    p.project.write('syncs/contacts.sync.ts', readFileSync(sync, 'utf8').replace("matchOn: 'external_id' }", "matchOn: 'external_id', matchIgnoresCase: true }"));
    const rekeyed = await cli('run', 'contacts');
    expect(rekeyed.err).toBe('');
    expect(rekeyed.out).toContain('contacts: succeeded (no changes)');
    expect(rekeyed.code).toBe(0);
    expect(p.destination().size).toBe(5);

    // And back: the keys as the model wrote them come from the payloads' external_id, so again nothing to send.
    p.project.write('syncs/contacts.sync.ts', readFileSync(sync, 'utf8').replace(', matchIgnoresCase: true', ''));
    const restored = await cli('run', 'contacts');
    expect(restored.out).toContain('contacts: succeeded (no changes)');
    expect(restored.code).toBe(0);
  });

  it('asks for a sync name', async () => {
    p = await createScheduledProject({ rows: 1 });
    const r = await cli('run');
    expect(r.code).toBe(1);
    expect(r.err).toContain('name the sync(s) to run now: `ebb run SYNC [SYNC…]`');
  });
});
