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
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    isTTY,
    ask,
    confirm: async (question) => ['y', 'yes'].includes(((await ask(`${question} [y/N] `)) ?? '').trim().toLowerCase()),
  };
}
