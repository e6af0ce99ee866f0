import { TerminalError } from '../../core/errors.ts';
import type { JsonValue, Row } from '../../core/values.ts';
import type { BatchItem } from '../connector.ts';
import { CUSTOM_FIELDS, type ZendeskObjectName } from './objects.ts';

/**
 * The mapping convention: a destination field named `user_fields.<key>` (users) or
 * `organization_fields.<key>` (organizations) writes the custom field `<key>`; a field named
 * `user_fields` / `organization_fields` holding an object writes several at once; every other field is
 * a standard attribute (`email`, `name`, `domain_names`, …) sent as is. `external_id` always carries
 * the row key, so a re-sent batch updates instead of duplicating.
 */
export function toZendeskRecord(object: ZendeskObjectName, item: BatchItem): Record<string, JsonValue> {
  const customAttribute = CUSTOM_FIELDS[object];
  const prefix = `${customAttribute}.`;
  const record: Record<string, JsonValue> = {};
  const custom: Row = {};
  for (const [field, value] of Object.entries(item.fields)) {
    if (field.startsWith(prefix) && field.length > prefix.length) custom[field.slice(prefix.length)] = value;
    else if (field === customAttribute && value !== null && typeof value === 'object' && !Array.isArray(value)) Object.assign(custom, value);
    else if (field.includes('.')) {
      throw new TerminalError(
        `Destination field "${field}" is not a Zendesk ${object} field: custom fields are mapped as "${prefix}<key>", standard attributes by their plain name.`,
        { code: 'INVALID_MAPPING' },
      );
    } else record[field] = value;
  }
  const externalId = item.fields.external_id;
  record.external_id = externalId === undefined || externalId === null ? item.key : String(externalId);
  if (Object.keys(custom).length > 0) record[customAttribute] = custom;
  return record;
}
