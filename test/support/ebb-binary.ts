import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { REPO_ROOT } from './project.ts';

export interface EbbProcess {
  child: ChildProcessByStdio<null, Readable, Readable>;
  /** The exit code (null when a signal ended it) and that signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
  /** stdout and stderr as they arrived, interleaved. */
  output(): string;
}

/** The real `ebb` binary, as a user, a script or a service manager runs it. */
export const EBB_BIN = join(REPO_ROOT, 'bin/ebb.js');

/** Runs the real `ebb` binary in another process. */
export function startEbb(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): EbbProcess {
  return startCommand(process.execPath, [EBB_BIN, ...args], cwd, env);
}

/**
 * Runs `command` (ebb, or something that runs ebb) with its output collected. The proxy variables are
 * cleared: jsforce would send even loopback traffic through them.
 */
export function startCommand(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): EbbProcess {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, http_proxy: '', https_proxy: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let output = '';
  child.stdout.on('data', (d: Buffer) => ((stdout += d.toString()), (output += d.toString())));
  child.stderr.on('data', (d: Buffer) => ((stderr += d.toString()), (output += d.toString())));
  // 'close', not 'exit': it comes once the output streams are drained too, so nothing printed is missed.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { child, exited, stdout: () => stdout, stderr: () => stderr, output: () => output };
}

/** `ebb …` to the end: its exit code and everything it printed. */
export async function runEbb(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; output: string }> {
  const run = startEbb(args, cwd, env);
  const { code } = await run.exited;
  return { code, output: run.output() };
}
