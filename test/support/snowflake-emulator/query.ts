import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { sessionExpired, statementCanceled, statementTimedOut, unknownStatement } from './errors.ts';
import { executeStatement } from './execute.ts';
import { bearerToken, fail, ok, readJson, type Envelope } from './http.ts';
import type { RunningQuery, Session } from './sessions.ts';
import type { EmulatorState } from './state.ts';

const IN_PROGRESS = 'Query execution in progress. Query will be continued to be executed.';

/** POST /queries/v1/query-request */
export async function handleQueryRequest(state: EmulatorState, request: IncomingMessage, url: URL): Promise<Envelope> {
  const auth = state.sessions.authenticate(bearerToken(request));
  if ('envelope' in auth) return auth.envelope;
  const { session } = auth;
  state.counters.queryRequests++;
  const limit = state.knobs.expireSessionAfterQueries;
  if (limit !== undefined && session.queriesOnToken >= limit) {
    state.sessions.expire(session);
    return sessionExpired();
  }
  session.queriesOnToken++;

  const body = await readJson(request);
  // The driver re-sends the same requestId after retries and token renewal: replay, never run twice.
  const requestId = url.searchParams.get('requestId') ?? randomUUID();
  const replayed = session.queryByRequestId.get(requestId);
  if (replayed) {
    state.counters.replays++;
    return answerWithin(state, session.queries.get(replayed)!, state.settings.queryHoldMs);
  }

  const running = startQuery(state, session, requestId, body);
  session.queryByRequestId.set(requestId, running.queryId);
  if (body.asyncExec === true) return ok({ queryId: running.queryId }, '333334', IN_PROGRESS);
  return answerWithin(state, running, state.settings.queryHoldMs);
}

/** GET /queries/{queryId}/result: long-polls, then answers 333333 again if the query is still running. */
export async function handleResultRequest(state: EmulatorState, request: IncomingMessage, queryId: string): Promise<Envelope> {
  const auth = state.sessions.authenticate(bearerToken(request));
  if ('envelope' in auth) return auth.envelope;
  state.counters.resultPolls++;
  const running = auth.session.queries.get(queryId);
  if (!running) return unknownStatement(queryId);
  return answerWithin(state, running, state.settings.resultHoldMs);
}

/** POST /queries/{queryId}/abort-request and POST /queries/v1/abort-request {requestId}. */
export async function handleAbortRequest(state: EmulatorState, request: IncomingMessage, queryId: string | undefined): Promise<Envelope> {
  const auth = state.sessions.authenticate(bearerToken(request));
  if ('envelope' in auth) return auth.envelope;
  const { session } = auth;
  const body = await readJson(request);
  const id = queryId ?? session.queryByRequestId.get(String(body.requestId ?? ''));
  const running = id === undefined ? undefined : session.queries.get(id);
  if (!running || running.settled) return fail('000605', 'Identified SQL statement is not currently executing.');
  state.counters.cancels++;
  running.cancel();
  return ok(null);
}

/** GET /monitoring/queries/{queryId} */
export async function handleMonitoringRequest(state: EmulatorState, request: IncomingMessage, queryId: string): Promise<Envelope> {
  const auth = state.sessions.authenticate(bearerToken(request));
  if ('envelope' in auth) return auth.envelope;
  const running = auth.session.queries.get(queryId);
  if (!running) return ok({ queries: [] });
  const answer = running.settled ? await running.answer : undefined;
  const status = !answer ? 'RUNNING' : answer.success ? 'SUCCESS' : 'FAILED_WITH_ERROR';
  return ok({ queries: [{ id: queryId, status, errorCode: answer?.code ?? null, errorMessage: answer?.message ?? null }] });
}

function startQuery(state: EmulatorState, session: Session, requestId: string, body: Record<string, unknown>): RunningQuery {
  const queryId = randomUUID();
  const sql = String(body.sqlText ?? '');
  const parameters = (body.parameters ?? {}) as Record<string, unknown>;
  const describeOnly = body.describeOnly === true;
  state.queries.push({
    sql, requestId, queryId, user: session.user, sessionId: session.id, describeOnly, parameters,
    queryTag: stringOrUndefined(parameters.QUERY_TAG ?? session.params.QUERY_TAG),
  });

  const timers: NodeJS.Timeout[] = [];
  let settle!: (envelope: Envelope) => void;
  const running: RunningQuery = {
    queryId,
    settled: false,
    answer: new Promise<Envelope>((resolve) => { settle = resolve; }),
    cancel: () => finish(statementCanceled(queryId)),
  };
  const finish = (envelope: Envelope): void => {
    if (running.settled) return;
    running.settled = true;
    for (const timer of timers) clearTimeout(timer);
    settle(envelope);
  };
  session.queries.set(queryId, running);

  const timeoutSeconds = Number(parameters.STATEMENT_TIMEOUT_IN_SECONDS ?? session.params.STATEMENT_TIMEOUT_IN_SECONDS ?? 0);
  if (timeoutSeconds > 0) timers.push(setTimeout(() => finish(statementTimedOut(timeoutSeconds, queryId)), timeoutSeconds * 1000));
  const execute = () => {
    if (running.settled) return;
    void executeStatement(state, session, { sql, queryId, describeOnly, parameters }).then(finish);
  };
  const slowMs = state.knobs.slowQueryMs ?? 0;
  if (slowMs > 0) timers.push(setTimeout(execute, slowMs));
  else execute();
  return running;
}

/** The query's answer if it is ready within `holdMs`, otherwise "still running" with the URL to poll. */
async function answerWithin(state: EmulatorState, running: RunningQuery, holdMs: number): Promise<Envelope> {
  let timer: NodeJS.Timeout | undefined;
  const hold = new Promise<undefined>((resolve) => { timer = setTimeout(resolve, holdMs, undefined); });
  const answer = await Promise.race([running.answer, hold]);
  clearTimeout(timer);
  if (answer) return answer;
  state.counters.inProgressReplies++;
  const getResultUrl = `/queries/${running.queryId}/result?disableOfflineChunks=false`;
  return ok({ queryId: running.queryId, getResultUrl }, '333333', IN_PROGRESS);
}

function stringOrUndefined(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : String(value);
}
