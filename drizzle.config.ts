import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes a new migration after a schema change; the store applies the
// committed migrations itself when it opens a snapshot file.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/snapshot/sqlite/schema.ts',
  out: './src/snapshot/sqlite/migrations',
});
