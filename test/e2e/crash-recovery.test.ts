import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { startEbb } from '../support/ebb-binary.ts';
import { createMemoryProject, expectEveryCustomerCreatedOnce, type MemoryProject } from '../support/memory-project.ts';
import { spoolDirectoryPrefix } from '../../src/engine/spool-sweep.ts';

let p: MemoryProject;
afterEach(async () => p?.close());

/** The real binary in another process; `exited` resolves with its exit code. */
function ebb(args: string[], cwd: string) {
  const run = startEbb(args, cwd);
  return { child: run.child, exited: run.exited.then(({ code }) => code), output: run.output };
}

describe('a process killed with SIGKILL in the middle of apply', () => {
  it('re-runs to a destination equal to the model with no record created twice', async () => {
    p = await createMemoryProject({ rows: 3000, connection: { maxConcurrent: 2 } });
    // Slow answers keep batches in flight when the kill lands: written by the sandbox, never acknowledged.
    p.sandbox.knobs.delayMs = 120;
    const first = ebb(['apply', '--auto-approve'], p.project.dir);
    const deadline = Date.now() + 30_000;
    while (p.sandbox.stats().requests < 8 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe(null);
    const landedBeforeKill = p.destination().size;
    expect(landedBeforeKill).toBeGreaterThan(0);
    expect(landedBeforeKill).toBeLessThan(3000);

    p.sandbox.knobs.delayMs = 0;
    const second = ebb(['apply', '--auto-approve'], p.project.dir);
    expect(await second.exited, second.output()).toBe(0);
    // Acknowledged batches were committed before the kill, so the re-run sends only the rest.
    expect(second.output()).toMatch(/contacts: succeeded: \d+ delivered, 0 failed of (\d+)/);
    const resent = Number(/of (\d+);/.exec(second.output())?.[1]);
    expect(resent).toBeLessThan(3000);
    expect(resent).toBeGreaterThanOrEqual(3000 - landedBeforeKill);

    expectEveryCustomerCreatedOnce(p, 3000);

    const check = ebb(['plan', '--detailed-exitcode'], p.project.dir);
    expect(await check.exited, check.output()).toBe(0);
  });
});

describe('a process killed with SIGKILL while a create is in flight', () => {
  it('leaves a trace: the next plan says which creates may already exist instead of proposing them unseen', async () => {
    p = await createMemoryProject({ rows: 250, mode: 'create', connection: { maxConcurrent: 1 } });
    // The sandbox writes each batch, then takes 5 s to answer: the kill lands between the two.
    p.sandbox.knobs.delayMs = 5_000;
    const first = ebb(['apply', '--auto-approve'], p.project.dir);
    const deadline = Date.now() + 30_000;
    while (p.destination().size === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe(null);
    expect(p.destination().size).toBe(100); // the first batch, created but never acknowledged

    p.sandbox.knobs.delayMs = 0;
    const plan = ebb(['plan'], p.project.dir);
    expect(await plan.exited).toBe(0);
    expect(plan.output()).toMatch(/UNCERTAIN_CREATES.*100 create\(s\) are for records an earlier run may already have created .*e\.g\. cust-000001, cust-000002/);
    expect(plan.output()).toContain('250 to create');
  }, 60_000);
});

describe('a plan stopped with Ctrl-C', () => {
  it('exits 130 and takes its spool file with it', async () => {
    p = await createMemoryProject({ rows: 400_000 });
    const plan = ebb(['plan'], p.project.dir);
    // The directory the child spools a first sync into.
    const childPrefix = spoolDirectoryPrefix(plan.child.pid);
    const spoolDirs = () => readdirSync(tmpdir()).filter((name) => name.startsWith(childPrefix));
    let exitCode: number | null | undefined;
    void plan.exited.then((code) => (exitCode = code));
    const deadline = Date.now() + 60_000;
    while (spoolDirs().length === 0 && exitCode === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(spoolDirs(), `the plan ended before it spooled: ${plan.output()}`).toHaveLength(1);

    plan.child.kill('SIGINT');

    expect(await plan.exited).toBe(130);
    expect(spoolDirs()).toEqual([]);
  }, 90_000);
});

describe('an apply stopped with Ctrl-C', () => {
  /** Starts `ebb apply` on 3,000 rows with slow answers, and waits until some batches went out. */
  async function applyUnderWay() {
    p = await createMemoryProject({ rows: 3000, connection: { maxConcurrent: 2 } });
    p.sandbox.knobs.delayMs = 120;
    const run = ebb(['apply', '--auto-approve'], p.project.dir);
    const deadline = Date.now() + 30_000;
    while (p.sandbox.stats().requests < 6 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return run;
  }

  it('finishes and commits the batches in flight, exits 130, and the next plan holds exactly the rows not delivered', async () => {
    const run = await applyUnderWay();
    run.child.kill('SIGINT');
    expect(await run.exited, run.output()).toBe(130);
    expect(run.output()).toContain('SIGINT: finishing the batches in flight, then stopping (press Ctrl-C again to stop at once).');
    expect(run.output()).toMatch(/contacts: partial: \d+ delivered, 0 failed of 3000; \d+ API call\(s\), 0 rate-limited\. stopped on request after the batches in flight: \d+ change\(s\) not sent stay pending/);

    // Every batch that reached the sandbox was committed: nothing is proposed twice.
    const delivered = p.destination().size;
    expect(delivered).toBeGreaterThan(0);
    expect(delivered).toBeLessThan(3000);
    p.sandbox.knobs.delayMs = 0;
    const plan = ebb(['plan'], p.project.dir);
    expect(await plan.exited).toBe(0);
    expect(plan.output()).toContain(`Plan: ${3000 - delivered} to create, 0 to update, 0 to delete.`);

    const rest = ebb(['apply', '--auto-approve'], p.project.dir);
    expect(await rest.exited, rest.output()).toBe(0);
    expectEveryCustomerCreatedOnce(p, 3000);
  }, 60_000);

  it('a second Ctrl-C stops at once; the next apply re-sends what was in flight without creating it twice', async () => {
    const run = await applyUnderWay();
    run.child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 20));
    run.child.kill('SIGINT');
    expect(await run.exited, run.output()).toBe(130);
    expect(run.output()).toContain('Stopped without waiting: batches in flight were not acknowledged');

    p.sandbox.knobs.delayMs = 0;
    const rest = ebb(['apply', '--auto-approve'], p.project.dir);
    expect(await rest.exited, rest.output()).toBe(0);
    expectEveryCustomerCreatedOnce(p, 3000);
  }, 60_000);
});
