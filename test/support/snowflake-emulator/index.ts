import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DuckDBInstance } from '@duckdb/node-api';
import { requestHandler } from './server.ts';
import { SessionStore } from './sessions.ts';
import {
  newCounters,
  type EmulatorCounters, type EmulatorKnobs, type EmulatorOptions, type EmulatorState, type EmulatorUser,
  type ForcedFailure, type QueryRecord,
} from './state.ts';

export type { ChunkBodyFault, EmulatorOptions, EmulatorUser, EmulatorKnobs, EmulatorCounters, ForcedFailure, QueryRecord } from './state.ts';
export type { TypeOverride, SnowflakeType } from './types.ts';

/**
 * A loopback Snowflake for tests: the real snowflake-sdk logs in, runs queries (executed by an
 * in-memory DuckDB), downloads gzip chunks, polls long queries and renews expired sessions against it.
 */
export interface SnowflakeEmulator {
  /** The `accessUrl` to give the driver (no trailing slash). */
  readonly url: string;
  readonly account: string;
  /** Mutable at any time; applies to the next request. */
  readonly knobs: EmulatorKnobs;
  readonly counters: EmulatorCounters;
  /** Every query-request that reached execution, in order. */
  readonly queries: QueryRecord[];
  addUser(user: EmulatorUser): void;
  /** Runs SQL directly in DuckDB (seeding tables), bypassing the Snowflake protocol. */
  exec(sql: string): Promise<void>;
  /** Queues a failure for the next request(s) to an endpoint. */
  failNext(failure: ForcedFailure): void;
  /** Expires every live session token now: the next authenticated call gets 390112 and must renew. */
  expireSessionTokens(): void;
  close(): Promise<void>;
}

export async function startSnowflakeEmulator(options: EmulatorOptions = {}): Promise<SnowflakeEmulator> {
  const duckdb = await DuckDBInstance.create(':memory:');
  const seed = await duckdb.connect();
  const state: EmulatorState = {
    account: options.account ?? 'testaccount',
    context: {
      database: options.database ?? 'TESTDB',
      schema: options.schema ?? 'PUBLIC',
      warehouse: options.warehouse ?? 'TEST_WH',
      role: options.role ?? 'SYSADMIN',
    },
    users: new Map((options.users ?? []).map((user) => [user.name.toUpperCase(), user])),
    duckdb,
    sessions: new SessionStore(),
    results: new Map(),
    knobs: {},
    counters: newCounters(),
    queries: [],
    failures: [],
    settings: {
      inlineRowLimit: options.inlineRowLimit ?? 1000,
      chunkRowCount: options.chunkRowCount ?? 10_000,
      queryHoldMs: options.queryHoldMs ?? 2000,
      resultHoldMs: options.resultHoldMs ?? 2000,
      typeOverrides: options.typeOverrides ?? {},
    },
    baseUrl: '',
  };

  const server = createServer(requestHandler(state));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: state.baseUrl,
    account: state.account,
    knobs: state.knobs,
    counters: state.counters,
    queries: state.queries,
    addUser: (user) => { state.users.set(user.name.toUpperCase(), user); },
    exec: async (sql) => { await seed.run(sql); },
    failNext: (failure) => {
      if ('chunkBody' in failure && failure.endpoint !== 'chunk') {
        throw new Error(`a chunkBody failure applies to the chunk endpoint only, not '${failure.endpoint}'`);
      }
      state.failures.push({ ...failure });
    },
    expireSessionTokens: () => state.sessions.expireAll(),
    close: async () => {
      await closeServer(server);
      for (const session of state.sessions.all()) state.sessions.close(session);
      state.results.clear();
      seed.closeSync();
      duckdb.closeSync();
    },
  };
}

async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
