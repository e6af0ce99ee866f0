import type { RateLimitObservation } from '../connector.ts';

function numberHeader(headers: Record<string, string>, name: string): number | undefined {
  const text = headers[name];
  if (text === undefined || !/^\d+$/.test(text.trim())) return undefined;
  return Number(text.trim());
}

/**
 * HubSpot's `X-HubSpot-RateLimit-*` headers (the client lower-cases header names). OAuth responses
 * carry no daily headers, and some endpoints carry none at all: then the observation is undefined.
 */
export function observeRateLimit(headers: Record<string, string> | undefined): RateLimitObservation | undefined {
  if (headers === undefined) return undefined;
  const observation: RateLimitObservation = {};
  const max = numberHeader(headers, 'x-hubspot-ratelimit-max');
  const remaining = numberHeader(headers, 'x-hubspot-ratelimit-remaining');
  const windowMs = numberHeader(headers, 'x-hubspot-ratelimit-interval-milliseconds');
  const dailyRemaining = numberHeader(headers, 'x-hubspot-ratelimit-daily-remaining');
  if (max !== undefined) observation.max = max;
  if (remaining !== undefined) observation.remaining = remaining;
  if (windowMs !== undefined) observation.windowMs = windowMs;
  if (dailyRemaining !== undefined) observation.dailyRemaining = dailyRemaining;
  return Object.keys(observation).length > 0 ? observation : undefined;
}
