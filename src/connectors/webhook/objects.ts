import { TerminalError } from '../../core/errors.ts';
import { OBJECT_NAME } from './options.ts';

/**
 * Webhook objects are whatever the receiver understands. When the connection lists `objects`, only
 * those are accepted (so a typo fails at validate time instead of at the receiver); otherwise any
 * plain name is.
 */
export function assertWebhookObject(object: string, allowed: string[]): void {
  if (!OBJECT_NAME.test(object)) {
    throw new TerminalError(`Webhook object "${object}" is not a plain name; use letters, digits, "_", "." or "-".`, { code: 'UNKNOWN_OBJECT' });
  }
  if (allowed.length > 0 && !allowed.includes(object)) {
    throw new TerminalError(`Webhook object "${object}" is not in the connection's \`objects\` (${allowed.join(', ')}); add it there or fix the sync.`, { code: 'UNKNOWN_OBJECT' });
  }
}
