import type { Row } from '../../core/values.ts';
import { formatCsv, parseCsv } from './csv.ts';
import type { Dml, DmlOutcome } from './dml.ts';
import type { SalesforceKnobs } from './knobs.ts';
import { csv, empty, ok, sfError, type Reply } from './reply.ts';
import { findField, findObject, type FieldSpec, type ObjectSpec } from './schema.ts';

type Operation = 'insert' | 'update' | 'upsert' | 'delete';
type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

interface IngestJob {
  id: string;
  object: ObjectSpec;
  operation: Operation;
  extField: FieldSpec | null;
  lineEnding: string;
  version: string;
  state: JobState;
  finalState: JobState;
  pollsLeft: number;
  errorMessage: string | null;
  createdDate: string;
  header: string[] | null;
  rows: string[][];
  successful: string[][];
  failed: string[][];
  unprocessed: string[][];
}

const OPERATIONS: Operation[] = ['insert', 'update', 'upsert', 'delete'];
const RESULTS_DONE: JobState[] = ['JobComplete', 'Failed', 'Aborted'];

/** `${statusCode}:${message}:${fields} --`, the sf__Error format of failedResults. */
function errorCell(outcome: DmlOutcome): string {
  const e = outcome.errors[0];
  return e ? `${e.statusCode}:${e.message}:${e.fields.join(',')} --` : 'UNKNOWN_EXCEPTION:no error reported: --';
}

/** Bulk API 2.0 ingest jobs: create, upload CSV, close, poll (the state advances per GET), three result CSVs. */
export class BulkIngest {
  private readonly jobs = new Map<string, IngestJob>();
  private counter = 0;

  constructor(
    private readonly dml: Dml,
    private readonly knobs: SalesforceKnobs,
    private readonly recordJobSize: (rows: number) => void,
  ) {}

  create(body: unknown, version: string): Reply {
    const request = (body ?? {}) as { object?: string; operation?: string; externalIdFieldName?: string; lineEnding?: string; contentType?: string };
    const object = findObject(String(request.object ?? ''));
    if (!object) return sfError(400, 'INVALIDJOB', `Unable to find object: ${String(request.object)}`);
    const operation = request.operation as Operation;
    if (!OPERATIONS.includes(operation)) return sfError(400, 'INVALIDJOB', `Invalid operation: ${String(request.operation)}`);
    if ((request.contentType ?? 'CSV') !== 'CSV') return sfError(400, 'INVALIDJOB', 'Only CSV content is supported');
    let extField: FieldSpec | null = null;
    if (operation === 'upsert') {
      extField = findField(object, String(request.externalIdFieldName ?? '')) ?? null;
      if (!extField || !extField.externalId) {
        return sfError(400, 'INVALIDJOB', `External ID field ${String(request.externalIdFieldName)} does not exist or is not an External ID on ${object.name}`);
      }
    }
    this.counter += 1;
    const job: IngestJob = {
      id: `750Sb${String(this.counter).padStart(10, '0')}AAA`,
      object, operation, extField, version,
      lineEnding: request.lineEnding ?? 'LF',
      state: 'Open', finalState: 'JobComplete', pollsLeft: 0, errorMessage: null,
      createdDate: new Date().toISOString(),
      header: null, rows: [], successful: [], failed: [], unprocessed: [],
    };
    this.jobs.set(job.id, job);
    return ok(this.info(job));
  }

  upload(id: string, text: string): Reply {
    const job = this.jobs.get(id);
    if (!job) return notFound(id);
    if (job.state !== 'Open') return sfError(409, 'INVALIDJOBSTATE', `Job ${id} is ${job.state}; data can only be uploaded to an Open job`);
    let table;
    try {
      table = parseCsv(text);
    } catch (error) {
      return sfError(400, 'INVALIDBATCH', `CSV could not be parsed: ${String(error)}`);
    }
    if (table.header.length > 0) {
      if (job.header && job.header.join(',') !== table.header.join(',')) return sfError(400, 'INVALIDBATCH', 'Every upload of a job must have the same header');
      job.header = table.header;
      job.rows.push(...table.rows);
    }
    return empty(201);
  }

  setState(id: string, body: unknown): Reply {
    const job = this.jobs.get(id);
    if (!job) return notFound(id);
    const state = (body as { state?: string } | null)?.state;
    if (state === 'Aborted') {
      if (RESULTS_DONE.includes(job.state)) return sfError(400, 'INVALIDJOBSTATE', `Job ${id} already finished`);
      job.state = job.finalState = 'Aborted';
      job.unprocessed = job.rows;
      return ok(this.info(job));
    }
    if (state !== 'UploadComplete') return sfError(400, 'INVALIDJOBSTATE', `Unsupported state change: ${String(state)}`);
    if (job.state !== 'Open') return sfError(400, 'INVALIDJOBSTATE', `Job ${id} is ${job.state}, not Open`);
    job.state = 'UploadComplete';
    job.pollsLeft = this.knobs.bulkPollsBeforeComplete;
    this.recordJobSize(job.rows.length);
    this.process(job);
    return ok(this.info(job));
  }

  get(id: string): Reply {
    const job = this.jobs.get(id);
    if (!job) return notFound(id);
    if (!RESULTS_DONE.includes(job.state) && job.state !== 'Open') {
      if (job.pollsLeft > 0) {
        job.pollsLeft -= 1;
        job.state = 'InProgress';
      } else job.state = job.finalState;
    }
    return ok(this.info(job));
  }

  results(id: string, kind: string): Reply {
    const job = this.jobs.get(id);
    if (!job) return notFound(id);
    const header = job.header ?? [];
    const order = (rows: string[][]): string[][] => (this.knobs.bulkResultOrder === 'shuffled' ? shuffled(rows, job.id) : rows);
    if (kind === 'successfulResults') return csv(formatCsv(['sf__Id', 'sf__Created', ...header], order(job.successful.slice(this.knobs.bulkDropResultRows))));
    if (kind === 'failedResults') return csv(formatCsv(['sf__Id', 'sf__Error', ...header], order(job.failed)));
    if (kind === 'unprocessedrecords') return csv(formatCsv(header, order(job.unprocessed)));
    return sfError(404, 'NOT_FOUND', `Unknown result set ${kind}`);
  }

  remove(id: string): Reply {
    if (!this.jobs.delete(id)) return notFound(id);
    return empty(204);
  }

  private process(job: IngestJob): void {
    const header = job.header ?? [];
    const failJob = (message: string): void => {
      job.finalState = 'Failed';
      job.errorMessage = message;
      job.unprocessed = job.rows;
    };
    if (this.knobs.bulkFailNextJob !== null) {
      failJob(this.knobs.bulkFailNextJob);
      this.knobs.bulkFailNextJob = null;
      return;
    }
    const unknown = header.find((name) => name !== 'Id' && !findField(job.object, name));
    if (unknown !== undefined) return failJob(`InvalidBatch : Field name not found : ${unknown}`);
    const idColumn = header.indexOf('Id');
    if ((job.operation === 'update' || job.operation === 'delete') && idColumn < 0) return failJob('InvalidBatch : Field name not found : Id');
    if (job.extField && !header.includes(job.extField.name)) return failJob(`InvalidBatch : Field name not found : ${job.extField.name}`);
    const limit = this.knobs.bulkProcessLimit ?? Infinity;
    job.rows.forEach((row, index) => {
      if (index >= limit) {
        job.unprocessed.push(row);
        return;
      }
      const outcome = this.apply(job, header, row, idColumn);
      if (outcome.success) job.successful.push([outcome.id ?? '', String(outcome.created === true), ...row]);
      else job.failed.push([outcome.id ?? '', errorCell(outcome), ...row]);
    });
    if (job.unprocessed.length > 0) job.finalState = 'Aborted';
  }

  private apply(job: IngestJob, header: string[], row: string[], idColumn: number): DmlOutcome {
    const fields: Row = {};
    header.forEach((name, i) => {
      if (i !== idColumn) fields[name] = row[i] ?? '';
    });
    const id = idColumn >= 0 ? (row[idColumn] ?? '') : '';
    switch (job.operation) {
      case 'insert':
        return this.dml.create(job.object, fields, 'csv');
      case 'update':
        return this.dml.update(job.object, id, fields, 'csv');
      case 'upsert':
        return this.dml.upsert(job.object, job.extField!, fields, 'csv');
      case 'delete':
        return this.dml.remove(job.object, id);
    }
  }

  private info(job: IngestJob): Record<string, unknown> {
    const processed = job.successful.length + job.failed.length;
    return {
      id: job.id,
      operation: job.operation,
      object: job.object.name,
      createdById: '005Sb0000000001AAA',
      createdDate: job.createdDate,
      systemModstamp: new Date().toISOString(),
      state: job.state,
      ...(job.extField ? { externalIdFieldName: job.extField.name } : {}),
      concurrencyMode: 'Parallel',
      contentType: 'CSV',
      apiVersion: Number(job.version),
      jobType: 'V2Ingest',
      contentUrl: `services/data/v${job.version}/jobs/ingest/${job.id}/batches`,
      lineEnding: job.lineEnding,
      columnDelimiter: 'COMMA',
      numberRecordsProcessed: RESULTS_DONE.includes(job.state) ? processed : 0,
      numberRecordsFailed: RESULTS_DONE.includes(job.state) ? job.failed.length : 0,
      retries: 0,
      totalProcessingTime: 0,
      ...(job.state === 'Failed' && job.errorMessage ? { errorMessage: job.errorMessage } : {}),
    };
  }
}

/** A deterministic shuffle per job (mulberry32 seeded by the job id), so runs are reproducible. */
function shuffled<T>(rows: readonly T[], seedText: string): T[] {
  let seed = [...seedText].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0, 2166136261);
  const random = (): number => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...rows];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function notFound(id: string): Reply {
  return sfError(404, 'NOT_FOUND', `The requested resource does not exist: job ${id}`);
}
