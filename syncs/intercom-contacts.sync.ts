import { defineSync } from 'ebb';

/**
 * Customers → Intercom contacts (users), matched by `external_id`. Intercom has no batch API for
 * contacts, so each record is its own request; a contact that already exists with the same email or
 * external_id (typed in by hand, or created by an earlier run) is updated, never duplicated.
 * `custom_attributes.<name>` writes an Intercom custom data attribute (here `plan`, a string, and
 * `lifetime_value`, a float), which must exist in Intercom (Settings → Data → People); the sandbox
 * declares both.
 */
export default defineSync({
  source: {
    connection: 'warehouse',
    // Only paying customers talk to support through Intercom.
    query: "select customer_id, email, first_name || ' ' || last_name as full_name, plan, lifetime_value from customers where plan <> 'free'",
  },
  key: 'customer_id',
  destination: { connection: 'intercom', object: 'contacts', matchOn: 'external_id' },
  mapping: {
    external_id: 'customer_id',
    email: 'email',
    name: 'full_name',
    'custom_attributes.plan': 'plan',
    'custom_attributes.lifetime_value': 'lifetime_value',
  },
  mode: 'upsert',
});
