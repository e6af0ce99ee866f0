import { createInterface } from 'node:readline/promises';

/** Everything the CLI touches of the outside world, so commands run in-process in tests. */
export interface CliIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  out(text: string): void;
  err(text: string): void;
  /** True when stdout is a terminal: colours, progress bars, prompts. */
  isTTY: boolean;
  /** Asks a yes/no question; false when nobody can answer (no terminal). */
  confirm(question: string): Promise<boolean>;
  /** Asks for a line of text; null when nobody can answer. */
  ask(question: string): Promise<string | null>;
}

export function processIo(): CliIo {
  const isTTY = Boolean(process.stdout.isTTY && process.stdin.isTTY);
  const ask = async (question: string): Promise<string | null> => {
    if (!isTTY) return null;
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    try {
      return await rl.question(question);
    } finally {
      rl.close();
    }
  };
  return {
    cwd: process.cwd(),
    env: process.env,
    out: writerTo(process.stdout),
    err: writerTo(process.stderr),
    isTTY,
    ask,
    confirm: async (question) => ['y', 'yes'].includes(((await ask(`${question} [y/N] `)) ?? '').trim().toLowerCase()),
  };
}

/**
 * Writes lines to `stream` until its reader goes away (`ebb plan --json | head` closes the pipe: EPIPE).
 * Then the command carries on without output: an apply must not stop half-way, a plan still exits
 * with its code, and no stack trace about the pipe is printed.
 */
function writerTo(stream: NodeJS.WriteStream): (text: string) => void {
  let readerGone = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    readerGone = true;
  });
  return (text) => {
    if (!readerGone) stream.write(`${text}\n`);
  };
}
