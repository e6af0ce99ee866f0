import type { CliIo } from '../../src/cli/io.ts';

export interface CapturedIo extends CliIo {
  stdout(): string;
  stderr(): string;
  /** Answers given, in order, to confirm/ask prompts. */
  answers: string[];
}

/** A CLI environment with no terminal whose output the test reads back. */
export function captureIo(cwd: string, env: NodeJS.ProcessEnv = {}, options: { isTTY?: boolean } = {}): CapturedIo {
  const out: string[] = [];
  const err: string[] = [];
  const answers: string[] = [];
  const ask = async () => (options.isTTY ? (answers.shift() ?? '') : null);
  return {
    cwd,
    env,
    isTTY: options.isTTY ?? false,
    out: (t) => void out.push(t),
    err: (t) => void err.push(t),
    ask,
    confirm: async () => ['y', 'yes'].includes(((await ask()) ?? '').toLowerCase()),
    answers,
    stdout: () => out.join('\n'),
    stderr: () => err.join('\n'),
  };
}
