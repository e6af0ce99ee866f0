import { afterEach, describe, expect, it } from 'vitest';
import { startEbb } from '../support/ebb-binary.ts';
import { createMemoryProject, type MemoryProject } from '../support/memory-project.ts';

let p: MemoryProject;
afterEach(async () => p?.close());

/** The real binary with its output read until `keep` bytes arrived, then the pipe closed, as `| head -c` does. */
async function ebbIntoClosedPipe(args: string[], cwd: string, keep: number): Promise<{ code: number | null; kept: string; stderr: string }> {
  const run = startEbb(args, cwd);
  run.child.stdout.on('data', () => {
    if (run.stdout().length >= keep) run.child.stdout.destroy();
  });
  const { code } = await run.exited;
  return { code, kept: run.stdout(), stderr: run.stderr() };
}

describe('output into a pipe whose reader goes away (`ebb … | head`)', () => {
  it('plan --json: exits with its detailed exit code, no EPIPE stack trace', async () => {
    p = await createMemoryProject({ rows: 20_000 });
    const run = await ebbIntoClosedPipe(['plan', '--json', '--detailed-exitcode'], p.project.dir, 100);
    expect(run.kept.startsWith('{"formatVersion"')).toBe(true);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(2);
  });

  it('apply: carries on to the end without its output, so nothing is left half-done', async () => {
    p = await createMemoryProject({ rows: 20_000 });
    const run = await ebbIntoClosedPipe(['apply', '--auto-approve'], p.project.dir, 10);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(p.destination().size).toBe(20_000);
  });
});
