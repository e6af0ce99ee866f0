import { DuckDBTypeId, ResultReturnType, StatementType, type DuckDBMaterializedResult, type DuckDBType } from '@duckdb/node-api';
import { ok, type Envelope } from './http.ts';
import { sqlErrorFromDuckDb } from './errors.ts';
import { StoredResult } from './results.ts';
import type { Session } from './sessions.ts';
import type { EmulatorState } from './state.ts';
import { columnCodec, type ColumnCodec } from './types.ts';

export interface StatementRequest {
  sql: string;
  queryId: string;
  describeOnly: boolean;
  parameters: Record<string, unknown>;
}

/** Result parameters drive the driver's decoding (spec §4.5): always send the formats and the zone. */
const DEFAULT_RESULT_PARAMETERS: Record<string, unknown> = {
  TIMEZONE: 'UTC',
  DATE_OUTPUT_FORMAT: 'YYYY-MM-DD',
  TIME_OUTPUT_FORMAT: 'HH24:MI:SS',
  TIMESTAMP_OUTPUT_FORMAT: 'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM',
  TIMESTAMP_NTZ_OUTPUT_FORMAT: 'YYYY-MM-DD HH24:MI:SS.FF3',
  TIMESTAMP_LTZ_OUTPUT_FORMAT: '',
  TIMESTAMP_TZ_OUTPUT_FORMAT: '',
  BINARY_OUTPUT_FORMAT: 'HEX',
};

const STATEMENT_TYPE_SELECT = 0x1000;
const STATEMENT_TYPE_DDL = 0x6000;
const DML_SHAPES: Partial<Record<StatementType, { id: number; column: string }>> = {
  [StatementType.INSERT]: { id: 0x3100, column: 'number of rows inserted' },
  [StatementType.UPDATE]: { id: 0x3200, column: 'number of rows updated' },
  [StatementType.DELETE]: { id: 0x3300, column: 'number of rows deleted' },
};

/** Runs one statement in the session's DuckDB connection and answers as Snowflake would. */
export async function executeStatement(state: EmulatorState, session: Session, request: StatementRequest): Promise<Envelope> {
  try {
    const stored = request.describeOnly ? await describe(state, session, request) : await run(state, session, request);
    state.results.set(stored.result.queryId, stored.result);
    return ok(resultData(state, session, request, stored.result, stored.statementTypeId));
  } catch (error) {
    return sqlErrorFromDuckDb(error, request.queryId);
  }
}

async function describe(state: EmulatorState, session: Session, request: StatementRequest) {
  const prepared = await session.duck.prepare(request.sql);
  const codecs: ColumnCodec[] = [];
  for (let index = 0; index < prepared.columnCount; index++) {
    codecs.push(codecFor(state, prepared.columnName(index), prepared.columnType(index)));
  }
  return { result: storedResult(state, session, request, undefined, codecs, 0), statementTypeId: STATEMENT_TYPE_SELECT };
}

async function run(state: EmulatorState, session: Session, request: StatementRequest) {
  state.counters.executions++;
  const result = await session.duck.run(request.sql);
  const dml = DML_SHAPES[result.statementType];
  if (dml) {
    const codec = columnCodec(dml.column, { typeId: DuckDBTypeId.BIGINT } as DuckDBType, state.context);
    const stored = storedResult(state, session, request, undefined, [codec], 1, [[String(result.rowsChanged)]]);
    return { result: stored, statementTypeId: dml.id };
  }
  if (result.returnType !== ResultReturnType.QUERY_RESULT || isStatusOnly(result)) {
    const codec = columnCodec('status', { typeId: DuckDBTypeId.VARCHAR } as DuckDBType, state.context);
    const stored = storedResult(state, session, request, undefined, [codec], 1, [['Statement executed successfully.']]);
    return { result: stored, statementTypeId: STATEMENT_TYPE_DDL };
  }
  const codecs = result.columnNames().map((name, index) => codecFor(state, name, result.columnType(index)));
  return { result: storedResult(state, session, request, result, codecs, result.rowCount), statementTypeId: STATEMENT_TYPE_SELECT };
}

function isStatusOnly(result: DuckDBMaterializedResult): boolean {
  return [StatementType.CREATE, StatementType.DROP, StatementType.ALTER, StatementType.SET, StatementType.TRANSACTION,
    StatementType.VARIABLE_SET, StatementType.CREATE_FUNC, StatementType.ATTACH, StatementType.DETACH].includes(result.statementType);
}

function codecFor(state: EmulatorState, name: string, type: DuckDBType): ColumnCodec {
  return columnCodec(name, type, state.context, state.settings.typeOverrides[name]);
}

function storedResult(
  state: EmulatorState, session: Session, request: StatementRequest,
  result: DuckDBMaterializedResult | undefined, codecs: ColumnCodec[], rowCount: number, fixedRows?: string[][],
): StoredResult {
  return new StoredResult(request.queryId, session.id, result, codecs, rowCount, state.settings, fixedRows);
}

function resultData(state: EmulatorState, session: Session, request: StatementRequest, stored: StoredResult, statementTypeId: number) {
  const parameters = { ...DEFAULT_RESULT_PARAMETERS, ...session.params, ...request.parameters };
  const data: Record<string, unknown> = {
    parameters: Object.entries(parameters).map(([name, value]) => ({ name, value })),
    rowtype: stored.rowTypes,
    rowset: stored.encodeRows(0, stored.inlineRows),
    total: stored.rowCount,
    returned: stored.rowCount,
    queryId: stored.queryId,
    statementTypeId,
    version: 1,
    queryResultFormat: 'json',
    finalDatabaseName: state.context.database,
    finalSchemaName: state.context.schema,
    finalWarehouseName: state.context.warehouse,
    finalRoleName: state.context.role,
    databaseProvider: null,
    numberOfBinds: 0,
    arrayBindSupported: false,
    sendResultTime: Date.now(),
  };
  if (stored.chunks.length > 0) {
    data.chunks = stored.chunks.map((chunk, index) => ({
      url: `${state.baseUrl}/chunks/${stored.queryId}/${index}`,
      rowCount: chunk.end - chunk.start,
      // Sizes are only hints to the driver; the real ones are known once a chunk is encoded.
      uncompressedSize: (chunk.end - chunk.start) * 64,
      compressedSize: (chunk.end - chunk.start) * 16,
    }));
    data.qrmk = stored.qrmk;
  }
  return data;
}
