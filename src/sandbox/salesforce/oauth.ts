import { createPublicKey, verify } from 'node:crypto';
import type { Reply } from './reply.ts';
import type { Sessions } from './sessions.ts';

/** A connected app: refresh tokens it may redeem, and the certificate that signs its JWT bearer assertions. */
export interface OAuthClient {
  clientId: string;
  clientSecret?: string;
  refreshTokens?: string[];
  /** PEM public key (or certificate) verifying JWT bearer assertions of this client. */
  jwtPublicKey?: string;
  /** When set, JWT assertions must name this user as `sub`. */
  username?: string;
}

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface GrantCounts {
  refresh_token: number;
  jwt_bearer: number;
  refused: number;
}

function grantError(error: string, description: string): Reply {
  return { status: 400, json: { error, error_description: description } };
}

function parseSegment(segment: string | undefined): Record<string, unknown> | null {
  try {
    return JSON.parse(Buffer.from(segment ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** `POST /services/oauth2/token`: the refresh-token and JWT-bearer grants, as a connected app sees them. */
export class OAuthServer {
  readonly clients = new Map<string, OAuthClient>();
  readonly grants: GrantCounts = { refresh_token: 0, jwt_bearer: 0, refused: 0 };
  private readonly revoked = new Set<string>();

  constructor(
    private readonly sessions: Sessions,
    private readonly baseUrl: () => string,
  ) {}

  register(client: OAuthClient): void {
    this.clients.set(client.clientId, client);
  }

  revokeRefreshTokens(): void {
    for (const client of this.clients.values()) for (const token of client.refreshTokens ?? []) this.revoked.add(token);
  }

  token(form: URLSearchParams): Reply {
    const grant = form.get('grant_type');
    const reply =
      grant === 'refresh_token' ? this.refresh(form)
      : grant === JWT_BEARER_GRANT ? this.jwtBearer(form.get('assertion') ?? '')
      : grantError('unsupported_grant_type', `grant type not supported: ${String(grant)}`);
    if (reply.status !== 200) this.grants.refused += 1;
    return reply;
  }

  private refresh(form: URLSearchParams): Reply {
    const client = this.clients.get(form.get('client_id') ?? '');
    if (!client) return grantError('invalid_client_id', 'client identifier invalid');
    if (client.clientSecret !== undefined && form.get('client_secret') !== client.clientSecret) return grantError('invalid_client', 'invalid client credentials');
    const refreshToken = form.get('refresh_token') ?? '';
    if (!(client.refreshTokens ?? []).includes(refreshToken) || this.revoked.has(refreshToken)) {
      return grantError('invalid_grant', 'expired access/refresh token');
    }
    this.grants.refresh_token += 1;
    return this.issue(false);
  }

  private jwtBearer(assertion: string): Reply {
    const [head, body, signature] = assertion.split('.');
    const header = parseSegment(head);
    const claims = parseSegment(body);
    if (!header || !claims || signature === undefined) return grantError('invalid_grant', 'invalid assertion');
    if (header['alg'] !== 'RS256') return grantError('invalid_grant', `invalid assertion: unsupported alg ${String(header['alg'])}`);
    const client = this.clients.get(String(claims['iss']));
    if (!client?.jwtPublicKey) return grantError('invalid_client_id', 'client identifier invalid');
    const signed = verify('RSA-SHA256', Buffer.from(`${head}.${body}`), createPublicKey(client.jwtPublicKey), Buffer.from(signature, 'base64url'));
    if (!signed) return grantError('invalid_grant', 'invalid assertion: signature does not verify against the registered certificate');
    const audiences = [this.baseUrl(), 'https://login.salesforce.com', 'https://test.salesforce.com'];
    if (!audiences.includes(String(claims['aud']).replace(/\/$/, ''))) return grantError('invalid_grant', 'audience is invalid');
    const exp = Number(claims['exp']);
    if (!Number.isFinite(exp) || exp * 1000 < Date.now()) return grantError('invalid_grant', 'invalid assertion: expired JWT');
    if (client.username !== undefined && claims['sub'] !== client.username) return grantError('invalid_grant', "user hasn't approved this consumer");
    this.grants.jwt_bearer += 1;
    return this.issue(true);
  }

  private issue(jwt: boolean): Reply {
    const url = this.baseUrl();
    return {
      status: 200,
      json: {
        access_token: this.sessions.issue(),
        scope: jwt ? 'api' : 'api refresh_token',
        instance_url: url,
        id: `${url}/id/00DSb0000000001AAA/005Sb0000000001AAA`,
        token_type: 'Bearer',
        issued_at: String(Date.now()),
      },
    };
  }
}
