export { openSqliteSnapshotStore, SqliteSnapshotStore } from './store.ts';
