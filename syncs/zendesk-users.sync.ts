import { defineSync } from 'ebb';

/**
 * Customers → Zendesk users, matched by `external_id` so a re-sent batch never creates a second user.
 * `user_fields.<key>` writes a Zendesk custom user field (here the `plan` field, which must exist in
 * Zendesk Admin Center → People → User fields); every other destination field is a standard user
 * attribute.
 */
export default defineSync({
  source: {
    connection: 'warehouse',
    query: `
      SELECT
        customer_id,
        email,
        trim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')) AS full_name,
        plan,
        lifetime_value
      FROM customers
    `,
  },
  key: 'customer_id',
  destination: { connection: 'zendesk', object: 'users', matchOn: 'external_id' },
  mapping: {
    external_id: 'customer_id',
    email: 'email',
    name: 'full_name',
    'user_fields.plan': 'plan',
  },
  mode: 'upsert',
});
