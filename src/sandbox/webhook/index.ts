export { startWebhookReceiver, type WebhookReceiver, type WebhookReceiverOptions } from './server.ts';
export type { WebhookKnobs } from './knobs.ts';
export type { ReceivedRecord, WebhookReceiverStats } from './store.ts';
