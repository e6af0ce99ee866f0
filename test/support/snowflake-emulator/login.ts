import type { IncomingMessage } from 'node:http';
import { fail, ok, readJson, bearerToken, type Envelope } from './http.ts';
import { jwtProblem } from './jwt.ts';
import type { EmulatorState, EmulatorUser } from './state.ts';

const BAD_CREDENTIALS = () => fail('390100', 'Incorrect username or password was specified.', { nextAction: 'RETRY_LOGIN', authnMethod: 'PASSWORD' });

/** POST /session/v1/login-request */
export async function handleLogin(state: EmulatorState, request: IncomingMessage): Promise<Envelope> {
  const body = await readJson(request);
  const data = (body.data ?? {}) as Record<string, unknown>;
  const refusal = checkCredentials(state, data);
  if (refusal) {
    state.counters.failedLogins++;
    return refusal;
  }
  const user = state.users.get(String(data.LOGIN_NAME).toUpperCase())!;
  const params = { ...((data.SESSION_PARAMETERS ?? {}) as Record<string, unknown>) };
  const session = state.sessions.open(user.name, params, await state.duckdb.connect());
  state.counters.logins++;
  return ok({
    token: session.sessionToken,
    validityInSeconds: 3600,
    masterToken: session.masterToken,
    masterValidityInSeconds: 14400,
    sessionId: session.id,
    parameters: [{ name: 'TIMEZONE', value: 'UTC' }, { name: 'CLIENT_SESSION_KEEP_ALIVE', value: false }],
    displayUserName: user.name.toUpperCase(),
    serverVersion: '9.99.0-emulator',
    firstLogin: false,
    healthCheckInterval: 45,
    newClientForUpgrade: null,
    remMeToken: null,
    remMeValidityInSeconds: 0,
    sessionInfo: {
      databaseName: state.context.database,
      schemaName: state.context.schema,
      warehouseName: state.context.warehouse,
      roleName: state.context.role,
    },
    idToken: null, idTokenValidityInSeconds: 0, mfaToken: null, mfaTokenValidityInSeconds: 0,
  });
}

function checkCredentials(state: EmulatorState, data: Record<string, unknown>): Envelope | undefined {
  if (String(data.ACCOUNT_NAME ?? '').toUpperCase() !== state.account.toUpperCase()) return BAD_CREDENTIALS();
  const user: EmulatorUser | undefined = state.users.get(String(data.LOGIN_NAME ?? '').toUpperCase());
  const authenticator = String(data.AUTHENTICATOR ?? 'SNOWFLAKE').toUpperCase();
  switch (authenticator) {
    case 'SNOWFLAKE':
      return user?.password !== undefined && data.PASSWORD === user.password ? undefined : BAD_CREDENTIALS();
    case 'SNOWFLAKE_JWT': {
      const problem = user ? jwtProblem(String(data.TOKEN ?? ''), state.account, user.name, user.publicKeyPem) : 'unknown user';
      return problem ? fail('390144', `JWT token is invalid. [${problem}]`, { nextAction: 'RETRY_LOGIN', authnMethod: 'KEYPAIR' }) : undefined;
    }
    case 'OAUTH':
      return user?.oauthToken !== undefined && data.TOKEN === user.oauthToken
        ? undefined
        : fail('390303', 'Invalid OAuth access token. ', { nextAction: 'RETRY_LOGIN', authnMethod: 'OAUTH' });
    default:
      return fail('390100', `Authenticator ${authenticator} is not supported by the emulator.`);
  }
}

/** POST /session/token-request: renews the session token with the master token (spec §7.2). */
export async function handleTokenRequest(state: EmulatorState, request: IncomingMessage): Promise<Envelope> {
  const body = await readJson(request);
  const renewed = state.sessions.renew(bearerToken(request), body.oldSessionToken);
  if ('envelope' in renewed) return renewed.envelope;
  state.counters.renewals++;
  const { session } = renewed;
  return ok({
    sessionToken: session.sessionToken,
    validityInSecondsST: 3600,
    masterToken: session.masterToken,
    validityInSecondsMT: 14400,
    sessionId: session.id,
  });
}
