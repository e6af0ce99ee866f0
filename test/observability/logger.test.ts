import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/project.ts';

describe('the log file on a full disk', () => {
  it('says so once on stderr and logs on there; the caller never sees the write fail', () => {
    // /dev/full fails every write with ENOSPC, as a full disk does. The logger writes synchronously
    // to fd 2 as well, so it runs in a child process whose stderr the test reads.
    const script = `
      import { createLogger } from ${JSON.stringify(join(REPO_ROOT, 'src/observability/logger.ts'))};
      const logger = createLogger({ level: 'info', file: '/dev/full' });
      for (let i = 1; i <= 3; i += 1) logger.info({ event: 'batch-committed', i }, 'line ' + i);
      process.stdout.write('the run went on');
    `;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(child.status, child.stderr).toBe(0);
    expect(child.stdout).toBe('the run went on');
    const lines = child.stderr.trim().split('\n').map((line) => JSON.parse(line) as { event: string; msg: string; i?: number });
    expect(lines[0]).toMatchObject({ event: 'log-file-failed', msg: 'could not write the log file /dev/full (ENOSPC: no space left on device, write); logging to stderr from now on' });
    expect(lines.slice(1).map((line) => [line.event, line.i])).toEqual([
      ['batch-committed', 1],
      ['batch-committed', 2],
      ['batch-committed', 3],
    ]);
  });
});
