import type { RunningSandbox, SandboxListenOptions } from '../sandbox.ts';

/** A property definition as the sandbox holds it; rendered to HubSpot's Property shape by the properties API. */
export interface SandboxProperty {
  name: string;
  label?: string;
  /** HubSpot's data type: string, number, date, datetime, enumeration, bool, phone_number. */
  type: 'string' | 'number' | 'date' | 'datetime' | 'enumeration' | 'bool' | 'phone_number';
  /** HubSpot's UI field type: text, textarea, number, date, select, radio, checkbox, booleancheckbox, phonenumber, calculation_equation. */
  fieldType?: string;
  /** Allowed values for enumeration (and bool) properties. */
  options?: { label: string; value: string }[];
  hasUniqueValue?: boolean;
  /** HubSpot's modificationMetadata.readOnlyValue: the API refuses writes. */
  readOnly?: boolean;
  groupName?: string;
  description?: string;
  /** Created by the customer rather than HubSpot (hubspotDefined = false). */
  custom?: boolean;
}

/** A custom object schema added with the `addObject` knob. */
export interface SandboxObjectDefinition {
  /** `2-123456` */
  objectTypeId: string;
  /** `cars`: also reachable as `p_cars` and `p<portalId>_cars`. */
  name: string;
  properties?: SandboxProperty[];
}

export interface SandboxRecord {
  id: string;
  /** Stored as strings, as HubSpot does (numbers and booleans come back as strings). */
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

export type RowErrorMode =
  /** 207 multi-status when every input carries a unique objectWriteTraceId, otherwise a whole-batch 400 (HubSpot's documented rule). */
  | 'auto'
  /** Always reject the whole batch with 400 when any input is invalid. */
  | 'wholeBatch';

export type ResultOrder = 'input' | 'reversed' | 'shuffled';

export type FailureKind = 'http500' | 'html502' | 'reset';

/** Runtime-settable behaviour. Every field can be changed with `setKnobs` or `POST /__sandbox/knobs`. */
export interface HubspotSandboxKnobs {
  /** X-HubSpot-RateLimit-Max: requests per rolling window, per token. */
  requestsPer10s: number;
  /** The rolling window's length (10 000 in HubSpot; smaller in tests). */
  windowMs: number;
  /** Requests per token before 429 DAILY (until `resetLimits`). */
  dailyLimit: number;
  /** When non-empty, every CRM call answers 403 MISSING_SCOPES naming these scopes. */
  missingScopes: string[];
  /** The next N CRM calls fail as `failKind` (after counting against the limits). */
  failNext: number;
  failKind: FailureKind;
  /** Added before every CRM response, to provoke client timeouts. */
  delayMs: number;
  rowErrors: RowErrorMode;
  /** Order of `results` in batch responses; HubSpot does not guarantee input order. */
  resultOrder: ResultOrder;
  /** Inputs whose id / idProperty value / objectWriteTraceId is listed here are rejected (forced per-row failure). */
  rejectIds: string[];
  /** When set, 429 responses carry `Retry-After` (HubSpot does not send one; for testing clients that honour it). */
  retryAfterSeconds: number | null;
}

export interface HubspotSandboxOptions extends SandboxListenOptions {
  requestsPer10s?: number;
  dailyLimit?: number;
  windowMs?: number;
  /** When given, only these bearer tokens are accepted (others get 401). */
  tokens?: string[];
  portalId?: number;
  knobs?: Partial<HubspotSandboxKnobs>;
}

export interface HubspotSandboxStats {
  /** Requests per `METHOD path` (CRM and properties endpoints; not /__sandbox/). */
  requests: Record<string, number>;
  totalRequests: number;
  /** 429s returned, by policy. */
  rateLimited: { TEN_SECONDLY_ROLLING: number; DAILY: number };
  /** Responses by HTTP status. */
  statuses: Record<string, number>;
  /** Inputs per batch call, by `METHOD path`. */
  batchSizes: Record<string, number[]>;
  /** Records created, per object type id. */
  creates: Record<string, number>;
}

export interface HubspotSandbox extends RunningSandbox {
  portalId: number;
  /** Live records (not archived) of an object, by any of its names. */
  records(object: string): SandboxRecord[];
  /** How many records were ever created per value of `property` (e.g. email): >1 means a duplicate. */
  createsPerKey(object: string, property: string): Map<string, number>;
  stats(): HubspotSandboxStats;
  knobs(): HubspotSandboxKnobs;
  setKnobs(patch: Partial<HubspotSandboxKnobs>): void;
  addObject(definition: SandboxObjectDefinition): void;
  addProperty(object: string, property: SandboxProperty): void;
  /** Clears the rolling windows and daily counters (a new day). */
  resetLimits(): void;
}
