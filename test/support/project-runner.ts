import { runCli } from '../../src/cli/main.ts';
import { captureIo } from './capture-io.ts';
import { openEngine, type EngineHarness } from './engine-project.ts';
import type { TestProject } from './project.ts';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs a test project through the CLI or the engine with its environment; closes what it opened. */
export interface ProjectRunner {
  cli(args: string[]): Promise<CliRun>;
  engine(): Promise<EngineHarness>;
  closeEngines(): Promise<void>;
}

export function projectRunner(dir: string, env: NodeJS.ProcessEnv): ProjectRunner {
  const engines: EngineHarness[] = [];
  return {
    async cli(args) {
      const io = captureIo(dir, env);
      const code = await runCli(args, io);
      return { code, out: io.stdout(), err: io.stderr() };
    },
    async engine() {
      const engine = await openEngine(dir, env);
      engines.push(engine);
      return engine;
    },
    async closeEngines() {
      for (const engine of engines.splice(0)) await engine.close();
    },
  };
}

/** A test project syncing a DuckDB warehouse to one sandbox, driven through the CLI or the engine. */
export interface SandboxProject<Sandbox> {
  project: TestProject;
  sandbox: Sandbox;
  /** What the CLI and the engine resolve the connection's env() secrets against. */
  env: NodeJS.ProcessEnv;
  /** Runs SQL against the warehouse. */
  sql(...statements: string[]): Promise<void>;
  /** `ebb …` in the project, with `env`. */
  cli(args: string[]): Promise<CliRun>;
  /** The engine driven directly (events, retry policy); closed with the project. */
  engine(): Promise<EngineHarness>;
  close(): Promise<void>;
}
