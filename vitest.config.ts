import { defineConfig } from 'vitest/config';

/**
 * Tests that check pacing against a rolling rate-limit window to the request: they allow ~300 ms of
 * jitter per window (the pacer's 3% headroom), which other test files hogging the CPU can exceed.
 * They run alone, after everything else.
 */
const PACED = ['test/e2e/hubspot-rate-limits.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Sandboxes and SQLite files are per test file; files run in parallel forks.
    pool: 'forks',
    env: {
      SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true',
      http_proxy: '',
      https_proxy: '',
      HTTP_PROXY: '',
      HTTPS_PROXY: '',
    },
    projects: [
      {
        extends: true,
        test: { name: 'suite', include: ['test/**/*.test.ts'], exclude: ['test/bench/**', 'node_modules/**', ...PACED], sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'paced', include: PACED, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
