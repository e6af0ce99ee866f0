import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteSnapshotStore } from '../../src/snapshot/sqlite/index.ts';
import { describeSnapshotStoreContract } from './snapshot-store-contract.ts';

describeSnapshotStoreContract('SQLite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ebb-snapshot-contract-'));
  const store = openSqliteSnapshotStore(join(dir, 'snapshot.db'));
  return {
    store,
    async cleanup() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
