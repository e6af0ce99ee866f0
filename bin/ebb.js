#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `ebb` works from a checkout without a build step.
process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION ??= 'true';
const { register } = await import('tsx/esm/api');
register();
const { runCli } = await import('../src/cli/main.ts');
process.exit(await runCli(process.argv.slice(2)));
