/**
 * `Retry-After` as milliseconds: either delay-seconds or an HTTP date. Null when absent or unreadable,
 * so the caller falls back to the destination's documented window.
 */
export function parseRetryAfter(header: string | null | undefined, nowMs: number = Date.now()): number | null {
  if (header === null || header === undefined) return null;
  const text = header.trim();
  if (text === '') return null;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}

/** Epoch-seconds reset headers (Intercom's `X-RateLimit-Reset`) as a delay from now. */
export function delayUntilEpochSeconds(header: string | null | undefined, nowMs: number = Date.now()): number | null {
  if (header === null || header === undefined || !/^\d+$/.test(header.trim())) return null;
  return Math.max(0, Number(header.trim()) * 1000 - nowMs);
}
