import type { Row, Value } from '../../core/values.ts';

/**
 * HubSpot property values are strings on the wire, and the client does not coerce: a JS number would be
 * sent as a JSON number. Dates and timestamps arrive as ISO strings, which HubSpot accepts; lists become
 * multi-checkbox values joined with ';'; null becomes "" (HubSpot's way to clear a value).
 */
export function toHubspotValue(value: Value): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(toHubspotValue).join(';');
  return JSON.stringify(value);
}

export function toHubspotProperties(fields: Row, omit?: string): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (name !== omit) properties[name] = toHubspotValue(value);
  }
  return properties;
}
