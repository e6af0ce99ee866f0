import type { RateLimitPolicy } from './error-bodies.ts';
import type { HubspotSandboxStats } from './types.ts';

/** Request accounting, so tests and the demo can prove pacing, batch sizes and the absence of duplicates. */
export class StatsCollector {
  private data: HubspotSandboxStats = StatsCollector.empty();

  private static empty(): HubspotSandboxStats {
    return { requests: {}, totalRequests: 0, rateLimited: { TEN_SECONDLY_ROLLING: 0, DAILY: 0 }, statuses: {}, batchSizes: {}, creates: {} };
  }

  request(endpoint: string): void {
    this.data.totalRequests++;
    this.data.requests[endpoint] = (this.data.requests[endpoint] ?? 0) + 1;
  }

  status(code: number): void {
    this.data.statuses[code] = (this.data.statuses[code] ?? 0) + 1;
  }

  rateLimited(policy: RateLimitPolicy): void {
    this.data.rateLimited[policy]++;
  }

  batch(endpoint: string, size: number): void {
    (this.data.batchSizes[endpoint] ??= []).push(size);
  }

  created(objectTypeId: string): void {
    this.data.creates[objectTypeId] = (this.data.creates[objectTypeId] ?? 0) + 1;
  }

  snapshot(): HubspotSandboxStats {
    return structuredClone(this.data);
  }
}
