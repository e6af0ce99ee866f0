import { randomBytes } from 'node:crypto';
import type { SalesforceKnobs } from './knobs.ts';

interface Session {
  calls: number;
  revoked: boolean;
}

/** Access tokens the sandbox has issued, each counting the API calls made with it (for `tokenTtlQueries`). */
export class Sessions {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly knobs: SalesforceKnobs) {}

  issue(): string {
    const token = `00DSb0000000001!${randomBytes(24).toString('base64url')}`;
    this.register(token);
    return token;
  }

  register(token: string): void {
    this.sessions.set(token, { calls: 0, revoked: false });
  }

  /** Whether a Bearer token may make one more API call; counts the call when it may. */
  admit(authorization: string | undefined): boolean {
    if (this.knobs.rejectAllSessions) return false;
    const token = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];
    const session = token === undefined ? undefined : this.sessions.get(token);
    if (!session || session.revoked) return false;
    const ttl = this.knobs.tokenTtlQueries;
    if (ttl !== null && session.calls >= ttl) return false;
    session.calls += 1;
    return true;
  }

  /** Every token issued so far stops working, as when an admin revokes sessions or they time out. */
  expireAll(): void {
    for (const session of this.sessions.values()) session.revoked = true;
  }
}
