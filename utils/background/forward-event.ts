import { meStorage, sessionSettingsStorage, webhooksStorage } from '../storage';
import { checkWebhookUrl, wantsEvent, type WebhookConfig, type WebhookEvent } from '../webhook/config';
import { buildEnvelope, newEventId, type WebhookEnvironment } from '../webhook/envelope';
import { postWebhook } from '../webhook/post';

const LOG_PREFIX = '[wa-presence]';

export interface OutgoingEvent {
  event: WebhookEvent;
  /** When it happened, Unix ms. */
  timestamp: number;
  /** The payload for each format a webhook may ask for. */
  payloadFor(format: WebhookConfig['format']): unknown;
}

/**
 * Sends one event to every configured webhook that subscribed to it.
 * (A direct POST for now; the persisted outbox with retries replaces this.)
 */
export async function forwardEvent(item: OutgoingEvent, environment: WebhookEnvironment): Promise<void> {
  const [webhooks, settings, me] = await Promise.all([
    webhooksStorage.getValue(),
    sessionSettingsStorage.getValue(),
    meStorage.getValue(),
  ]);
  const id = newEventId(item.timestamp);
  const context = { session: settings.name, metadata: settings.metadata, me, environment };
  await Promise.all(
    webhooks
      .filter((webhook) => wantsEvent(webhook, item.event))
      .map(async (webhook) => {
        const url = checkWebhookUrl(webhook.url);
        if (!url.ok) return console.warn(LOG_PREFIX, 'webhook skipped:', url.reason);
        const envelope = buildEnvelope(item.event, item.payloadFor(webhook.format), item.timestamp, context, id);
        const result = await postWebhook(webhook, JSON.stringify(envelope));
        if (!result.ok) console.warn(LOG_PREFIX, `${item.event} ${id} to ${url.url.origin} failed:`, result.error);
      }),
  );
}
