import { runCli } from '../../src/cli/main.ts';
import { captureIo } from './capture-io.ts';
import { openEngine, type EngineHarness } from './engine-project.ts';
import { duckdbExec, type TestProject } from './project.ts';

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

/**
 * The SandboxProject of `project`, whose warehouse is the DuckDB file `warehouse`: `close` closes the
 * engines it opened and the sandbox, and removes the project.
 */
export function sandboxProject<Sandbox extends { close(): Promise<void> }>(
  project: TestProject,
  sandbox: Sandbox,
  env: NodeJS.ProcessEnv,
  warehouse: string,
): SandboxProject<Sandbox> {
  const runner = projectRunner(project.dir, env);
  return {
    project,
    sandbox,
    env,
    sql: (...statements) => duckdbExec(warehouse, statements),
    cli: runner.cli,
    engine: runner.engine,
    async close() {
      await runner.closeEngines();
      await sandbox.close();
      project.cleanup();
    },
  };
}
