export { openSqliteSnapshotStore, SqliteSnapshotStore, type SqliteStoreOptions } from './store.ts';
