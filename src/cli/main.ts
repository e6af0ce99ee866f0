import { parseArgs } from 'node:util';
import { describeError, EbbError } from '../core/errors.ts';
import { applyCommand } from './commands/apply.ts';
import { errorsCommand } from './commands/errors.ts';
import { planCommand } from './commands/plan.ts';
import { resetCommand } from './commands/reset.ts';
import { runCommand } from './commands/run.ts';
import { runsCommand } from './commands/runs.ts';
import { sandboxCommand } from './commands/sandbox.ts';
import { scheduleCommand } from './commands/schedule.ts';
import { statusCommand } from './commands/status.ts';
import { validateCommand } from './commands/validate.ts';
import { processIo, type CliIo } from './io.ts';
import { openProject, type Project } from './project.ts';
import { UsageError } from './usage-error.ts';
import { EBB_VERSION } from './version.ts';

const HELP = `ebb ${EBB_VERSION} — keep SaaS tools in sync with your warehouse

Usage: ebb <command> [options]

  plan [SYNC…] [--out FILE] [--json] [--detailed-exitcode]   show exactly what would change
  apply [FILE] [--auto-approve] [--allow-deletes] [--sync S]  push a plan (or plan, confirm, push)
  validate [--remote]                                        check syncs/ (and destination fields)
  status [SYNC…] [--offline] [--json]                        last run, failures, pending changes, lag vs SLA
  status --check [SYNC…] [--json]                            for monitors: exit 0 ok, 1 warning, 2 critical, 3 unknown
  run SYNC… [--allow-deletes]                                run now: plan, apply within the guards, alert
  schedule                                                   run syncs on their schedules; /metrics, /healthz, alerts
  runs [SYNC] [--limit N]                                    run history
  errors SYNC [--limit N] [--json]                           rejected rows and why
  reset SYNC [--auto-approve]                                forget the snapshot (new lineage)
  sandbox [NAME] [--port N] [...]                            start a local destination sandbox

Common: -C, --project DIR   project root (default: current directory)`;

const OPTIONS = {
  project: { type: 'string', short: 'C' },
  out: { type: 'string' },
  json: { type: 'boolean', default: false },
  'detailed-exitcode': { type: 'boolean', default: false },
  'auto-approve': { type: 'boolean', default: false },
  'allow-deletes': { type: 'boolean', default: false },
  sync: { type: 'string', multiple: true },
  remote: { type: 'boolean', default: false },
  offline: { type: 'boolean', default: false },
  check: { type: 'boolean', default: false },
  limit: { type: 'string' },
  'max-changes': { type: 'string' },
  port: { type: 'string' },
  'requests-per-window': { type: 'string' },
  'window-ms': { type: 'string' },
  'daily-limit': { type: 'string' },
  secret: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', default: false },
} as const;

/** Runs one CLI invocation and returns its exit code. The only caller of process.exit is bin/ebb.js. */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    io.err(`${describeError(error)}\n\n${HELP}`);
    return 1;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.version) return io.out(EBB_VERSION), 0;
  if (values.help || !command) return io.out(HELP), command || values.help ? 0 : 1;
  if (command === 'sandbox') {
    let port: number;
    try {
      port = wholeNumber('port', values.port, 0, 0);
    } catch (error) {
      return io.err(`Error: ${describeError(error)}`), 1;
    }
    return sandboxCommand(io, { names: rest, port, requestsPerWindow: values['requests-per-window'], windowMs: values['window-ms'], dailyLimit: values['daily-limit'], secret: values.secret });
  }

  let project: Project | null = null;
  try {
    project = await openProject(io, values.project);
    if (!project) return command === 'status' && values.check ? 3 : 1;
    const maxChanges = wholeNumber('max-changes', values['max-changes'], 500, 0);
    switch (command) {
      case 'plan':
        return await planCommand(io, project, { syncs: rest, out: values.out, json: values.json, detailedExitcode: values['detailed-exitcode'], maxChanges });
      case 'apply':
        return await applyCommand(io, project, { planFile: rest[0], syncs: values.sync ?? [], autoApprove: values['auto-approve'], allowDeletes: values['allow-deletes'], maxChanges });
      case 'validate':
        return await validateCommand(io, project, { remote: values.remote });
      case 'status':
        return await statusCommand(io, project, { syncs: rest, offline: values.offline, json: values.json, check: values.check });
      case 'run':
        return await runCommand(io, project, { syncs: rest, allowDeletes: values['allow-deletes'] });
      case 'schedule':
        return await scheduleCommand(io, project);
      case 'runs':
        return await runsCommand(io, project, { sync: rest[0], limit: wholeNumber('limit', values.limit, 20, 1) });
      case 'errors':
        if (!rest[0]) throw new UsageError('name the sync: `ebb errors SYNC`');
        return await errorsCommand(io, project, { sync: rest[0], limit: wholeNumber('limit', values.limit, 50, 1), json: values.json });
      case 'reset':
        if (!rest[0]) throw new UsageError('name the sync: `ebb reset SYNC`');
        return await resetCommand(io, project, { sync: rest[0], autoApprove: values['auto-approve'] });
      default:
        throw new UsageError(`unknown command "${command}"\n\n${HELP}`);
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof EbbError) {
      io.err(`Error: ${error.message}`);
      return command === 'status' && values.check ? 3 : 1;
    }
    throw error;
  } finally {
    await project?.close();
  }
}

/** A numeric flag's value: `fallback` when absent; anything but a whole number of at least `min` is a usage error. */
function wholeNumber(flag: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min) {
    throw new UsageError(`--${flag} expects a whole number${min > 0 ? ` of ${min} or more` : ''}, got "${text}"`);
  }
  return value;
}
