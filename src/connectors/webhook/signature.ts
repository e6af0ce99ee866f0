import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Ebb signs every webhook call the way Stripe does: `Ebb-Timestamp` is the unix time in seconds and
 * `Ebb-Signature` is `v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`. Signing the timestamp
 * with the body lets a receiver refuse replays of an old, captured call.
 */
export const SIGNATURE_HEADER = 'Ebb-Signature';
export const TIMESTAMP_HEADER = 'Ebb-Timestamp';
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

export function webhookSignature(secret: string, timestamp: string | number, body: string | Buffer): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(`${timestamp}.`);
  hmac.update(body);
  return `v1=${hmac.digest('hex')}`;
}

export type SignatureCheck = 'ok' | 'malformed' | 'stale' | 'mismatch';

/**
 * Why a signature is or is not acceptable. The header may list several `v1=` values separated by
 * commas (sent while a secret is being rotated); any one matching is enough. Comparison is
 * constant-time.
 */
export function checkWebhookSignature(
  secret: string,
  timestamp: string | number | null | undefined,
  body: string | Buffer,
  header: string | null | undefined,
  toleranceSec = 300,
  nowSec: number = Date.now() / 1000,
): SignatureCheck {
  if (timestamp === null || timestamp === undefined || !header) return 'malformed';
  const text = String(timestamp).trim();
  if (!/^\d+$/.test(text)) return 'malformed';
  if (Math.abs(nowSec - Number(text)) > toleranceSec) return 'stale';
  const expected = Buffer.from(webhookSignature(secret, text, body).slice(3), 'hex');
  const candidates = header.split(',').map((part) => part.trim()).filter((part) => part.startsWith('v1='));
  if (candidates.length === 0) return 'malformed';
  let matched = false;
  for (const candidate of candidates) {
    const given = Buffer.from(candidate.slice(3), 'hex');
    // Lengths differ only for garbage; timingSafeEqual needs equal lengths.
    if (given.length === expected.length && timingSafeEqual(given, expected)) matched = true;
  }
  return matched ? 'ok' : 'mismatch';
}

/** True when `header` is a valid signature of `body` at `timestamp` (at most `toleranceSec` old or ahead). */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string | number | null | undefined,
  body: string | Buffer,
  header: string | null | undefined,
  toleranceSec = 300,
): boolean {
  return checkWebhookSignature(secret, timestamp, body, header, toleranceSec) === 'ok';
}
