#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `ebb` works from a checkout without a build step.
process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION ??= 'true';
const { register } = await import('tsx/esm/api');
register();
const { runCli } = await import('../src/cli/main.ts');
// Ctrl-C or SIGTERM in a command that does not handle them itself (plan, apply while it plans): leave
// through process.exit, so exit handlers still run (a plan's spool file, gigabytes for a large first
// sync, is removed). `schedule`, `run` and apply's sending add their own listener for a graceful stop
// (batches in flight finish and are committed), and this one stands aside.
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
  process.on(signal, () => {
    if (process.listenerCount(signal) === 1) process.exit(code);
  });
}
process.exit(await runCli(process.argv.slice(2)));
