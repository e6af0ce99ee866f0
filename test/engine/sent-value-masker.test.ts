import { describe, expect, it } from 'vitest';
import type { Change } from '../../src/core/change.ts';
import { TerminalError } from '../../src/core/errors.ts';
import { SENSITIVE_MASK } from '../../src/core/mask-sent-values.ts';
import type { FieldMapping } from '../../src/core/sync.ts';
import type { ItemResult } from '../../src/connectors/connector.ts';
import { sentValueMasker } from '../../src/engine/sent-value-masker.ts';

const MAPPING: FieldMapping[] = [
  { to: 'email', from: 'email', sensitive: false },
  { to: 'ssn', from: 'ssn', sensitive: true },
];

function create(key: string, ssn: string): Change {
  return { action: 'create', key, after: { email: key, ssn }, before: null, changedFields: ['email', 'ssn'], fingerprint: 'f', remoteId: null };
}

const changes = [create('a@x.com', '078-05-1120'), create('b@x.com', '219-09-9999'), create('c@x.com', '457-55-5462')];
const masker = sentValueMasker(MAPPING);

describe('sentValueMasker', () => {
  it("masks each failed row's message against its own sensitive values, and leaves delivered rows alone", () => {
    const results: ItemResult[] = [
      { status: 'ok', remoteId: '1' },
      { status: 'failed', error: { code: 'INVALID', field: 'ssn', message: '219-09-9999 is not a valid SSN' } },
      { status: 'failed', error: { code: 'INVALID_EMAIL', field: 'email', message: 'Email address c@x.com is invalid' } },
    ];
    const masked = masker.results(changes, results);
    expect(masked[0]).toBe(results[0]);
    expect(masked[1]).toEqual({ status: 'failed', error: { code: 'INVALID', field: 'ssn', message: `${SENSITIVE_MASK} is not a valid SSN` } });
    expect(masked[2]).toBe(results[2]);
  });

  it('masks a message several rows share against every row of the batch: it answers the whole call', () => {
    const shared = { code: 'UnprocessableEntity', message: 'Zendesk rejected the request (422) {"ssn":"078-05-1120 is taken"}' };
    const masked = masker.results(changes, [
      { status: 'failed', error: shared },
      { status: 'failed', error: shared },
      { status: 'ok', remoteId: '3' },
    ]);
    for (const result of masked.slice(0, 2)) {
      expect(result).toEqual({ status: 'failed', error: { ...shared, message: `Zendesk rejected the request (422) {"ssn":"${SENSITIVE_MASK} is taken"}` } });
    }
  });

  it('withholds the message of a sensitive field at fault whose value it does not quote as sent', () => {
    const [masked] = masker.results([create('a@x.com', '078051120')], [
      { status: 'failed', error: { code: 'INVALID', field: 'ssn', message: '078-05-1120 is not a valid SSN', retryable: true } },
    ]);
    expect(masked).toMatchObject({ status: 'failed', error: { code: 'INVALID', field: 'ssn', retryable: true } });
    expect(JSON.stringify(masked)).not.toContain('078-05-1120');
  });

  it("masks a whole-call failure's message and stack in place, so its class still says what stopped the run", () => {
    const error = new TerminalError('batch refused: row 2 has invalid ssn 219-09-9999', { code: 'INVALID_BATCH' });
    const masked = masker.error(changes, error);
    expect(masked).toBe(error);
    expect(masked).toBeInstanceOf(TerminalError);
    expect(masked.code).toBe('INVALID_BATCH');
    expect(masked.message).toBe(`batch refused: row 2 has invalid ssn ${SENSITIVE_MASK}`);
    expect(masked.stack).not.toContain('219-09-9999');
  });

  it('rewrites an error whose message is read-only, and passes non-errors through', () => {
    class FixedMessage extends Error {
      override get message(): string {
        return 'refused 457-55-5462';
      }
    }
    expect(masker.error(changes, new FixedMessage()).message).toBe(`refused ${SENSITIVE_MASK}`);
    expect(masker.error(changes, 'a string')).toBe('a string');
  });

  it("masks other text about the batch, such as a retry's reason", () => {
    expect(masker.text(changes, '503: could not index 457-55-5462')).toBe(`503: could not index ${SENSITIVE_MASK}`);
  });

  it('changes nothing for a sync without sensitive fields', () => {
    const plain = sentValueMasker([{ to: 'ssn', from: 'ssn', sensitive: false }]);
    const results: ItemResult[] = [{ status: 'failed', error: { code: 'INVALID', field: 'ssn', message: '078-05-1120 is not a valid SSN' } }];
    expect(plain.results(changes, results)).toBe(results);
    expect(plain.text(changes, '078-05-1120')).toBe('078-05-1120');
  });
});
