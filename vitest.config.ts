import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/bench/**', 'node_modules/**'],
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
  },
});
