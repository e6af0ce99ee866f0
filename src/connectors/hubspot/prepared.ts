/** One batch item turned into a HubSpot batch input, with what is needed to find its result again. */
export interface PreparedInput {
  /** Position in the batch given to applyBatch. */
  index: number;
  /** Sent as objectWriteTraceId (the row key): HubSpot echoes it on results and 207 errors. */
  traceId: string;
  /** The matchOn value, echoed in `properties[matchOn]` of results. */
  matchValue: string | null;
  remoteId: string | null;
  /** The input exactly as sent. */
  wire: { id?: string; idProperty?: string; properties?: Record<string, string>; objectWriteTraceId?: string };
}
