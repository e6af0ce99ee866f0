import { defineSync } from 'ebb';

/**
 * Deals → HubSpot deals, matched by an external id property (`ebb_deal_id`, a unique custom property)
 * so the warehouse's deal id stays the link. Runs after the companies sync.
 */
export default defineSync({
  source: { connection: 'warehouse', query: 'select deal_id, name, amount, stage, close_date from deals' },
  key: 'deal_id',
  destination: { connection: 'hubspot', object: 'deals', matchOn: 'ebb_deal_id' },
  mapping: {
    ebb_deal_id: 'deal_id',
    dealname: 'name',
    amount: 'amount',
    dealstage: 'stage',
    closedate: 'close_date',
  },
  mode: 'upsert',
  dependsOn: ['hubspot-companies'],
});
