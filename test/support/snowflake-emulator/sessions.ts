import { randomBytes } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { invalidSessionToken, masterTokenExpired, sessionExpired } from './errors.ts';
import type { Envelope } from './http.ts';

/** A query the session started: its answer, once DuckDB (and any forced slowness) is done. */
export interface RunningQuery {
  queryId: string;
  answer: Promise<Envelope>;
  settled: boolean;
  cancel(): void;
}

export class Session {
  sessionToken: string;
  readonly masterToken: string;
  /** Query-requests served by the current session token (drives `expireSessionAfterQueries`). */
  queriesOnToken = 0;
  /** QueryIds by requestId: a re-sent request replays its query instead of running it again (spec §2.3). */
  readonly queryByRequestId = new Map<string, string>();
  readonly queries = new Map<string, RunningQuery>();

  constructor(
    readonly id: number,
    readonly user: string,
    readonly params: Record<string, unknown>,
    readonly duck: DuckDBConnection,
  ) {
    this.sessionToken = newToken('ST');
    this.masterToken = newToken('MT');
  }
}

export type Authenticated = { session: Session } | { envelope: Envelope };

export class SessionStore {
  private nextId = 1_000_001;
  private readonly bySessionToken = new Map<string, Session>();
  private readonly byMasterToken = new Map<string, Session>();
  private readonly expiredTokens = new Set<string>();

  open(user: string, params: Record<string, unknown>, duck: DuckDBConnection): Session {
    const session = new Session(this.nextId++, user, params, duck);
    this.bySessionToken.set(session.sessionToken, session);
    this.byMasterToken.set(session.masterToken, session);
    return session;
  }

  authenticate(token: string | undefined): Authenticated {
    if (token !== undefined && this.expiredTokens.has(token)) return { envelope: sessionExpired() };
    const session = token === undefined ? undefined : this.bySessionToken.get(token);
    return session ? { session } : { envelope: invalidSessionToken() };
  }

  /** The session token stops working (390112) until the driver renews it with the master token. */
  expire(session: Session): void {
    this.bySessionToken.delete(session.sessionToken);
    this.expiredTokens.add(session.sessionToken);
  }

  expireAll(): void {
    for (const session of [...this.bySessionToken.values()]) this.expire(session);
  }

  renew(masterToken: string | undefined, oldSessionToken: unknown): { session: Session } | { envelope: Envelope } {
    const session = masterToken === undefined ? undefined : this.byMasterToken.get(masterToken);
    if (!session) return { envelope: masterTokenExpired() };
    if (oldSessionToken !== session.sessionToken && !this.expiredTokens.has(String(oldSessionToken))) {
      return { envelope: invalidSessionToken() };
    }
    this.bySessionToken.delete(session.sessionToken);
    session.sessionToken = newToken('ST');
    session.queriesOnToken = 0;
    this.bySessionToken.set(session.sessionToken, session);
    return { session };
  }

  close(session: Session): void {
    this.bySessionToken.delete(session.sessionToken);
    this.byMasterToken.delete(session.masterToken);
    for (const query of session.queries.values()) if (!query.settled) query.cancel();
    session.duck.closeSync();
  }

  all(): Session[] {
    return [...this.byMasterToken.values()];
  }
}

function newToken(prefix: string): string {
  return `${prefix}-${randomBytes(24).toString('base64url')}`;
}
