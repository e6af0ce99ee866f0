/**
 * The key a sync compares rows by. Most destinations find records by their match field ignoring
 * letter case (HubSpot emails, Zendesk external_id), so for them "Ada@x.com" and "ada@x.com" are one
 * record. Compared as written, the first would be a duplicate Ebb cannot see, and a key that only
 * changed case would be planned as a delete of the record plus a create that lands on that same record.
 * Lower-cased, both are what they are in the destination: a duplicate, or an update.
 *
 * `toLowerCase` and not `toLocaleLowerCase`: the same key must give the same result on every machine.
 */
export function matchKey(key: string, ignoreCase: boolean): string {
  return ignoreCase ? key.toLowerCase() : key;
}
