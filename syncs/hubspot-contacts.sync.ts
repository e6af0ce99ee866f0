import { defineSync } from 'ebb';

/**
 * Customers → HubSpot contacts, matched by email (HubSpot's natural contact key: upserting by it means
 * a re-sent batch never creates a second contact). The phone number is marked sensitive: it is sent,
 * but masked in every plan view and log.
 */
export default defineSync({
  source: {
    connection: 'warehouse',
    query: `
      select c.email, c.first_name, c.last_name, c.phone, c.lifecycle_stage, c.country, co.name as company
      from customers c left join companies co using (company_id)
    `,
  },
  key: 'email',
  destination: { connection: 'hubspot', object: 'contacts', matchOn: 'email' },
  mapping: {
    email: 'email',
    firstname: 'first_name',
    lastname: 'last_name',
    phone: { from: 'phone', sensitive: true },
    lifecyclestage: 'lifecycle_stage',
    country: 'country',
    company: 'company',
  },
  mode: 'upsert',
});
