import { foldAfterMsOf } from '@/utils/outbox/folding';
import type { WebhookConfig } from '@/utils/webhook/config';
import { permissionPattern } from './webhook-form';

/** Saving and removing webhooks in the stored list, and which host permissions that leaves unused. */

/** Replaces the webhook with the same id in place, or appends it. */
export function upsertWebhook(list: readonly WebhookConfig[], webhook: WebhookConfig): WebhookConfig[] {
  const index = list.findIndex((entry) => entry.id === webhook.id);
  return index < 0 ? [...list, webhook] : list.map((entry, i) => (i === index ? webhook : entry));
}

/**
 * Host permissions held for `before` that no webhook in `after` needs any
 * more, nor anything in `alsoNeeded` (the control channel's grant: one grant
 * per host serves both).
 */
export function unusedPermissions(before: readonly WebhookConfig[], after: readonly WebhookConfig[], alsoNeeded: ReadonlyArray<string | null> = []): string[] {
  const pattern = (webhook: WebhookConfig) => {
    try {
      return permissionPattern(new URL(webhook.url));
    } catch {
      return null;
    }
  };
  const needed = new Set([...after.map(pattern), ...alsoNeeded]);
  return [...new Set(before.map(pattern))].filter((p): p is string => p !== null && !needed.has(p));
}

/** "all events · WAHA format · exponential retry 2 s × 5 · folds after 1 s · signed" */
export function webhookSummary(webhook: WebhookConfig): string {
  const events = webhook.events.includes('*') ? 'all events' : webhook.events.join(', ');
  const { policy, delaySeconds, attempts } = webhook.retries;
  const parts = [events, webhook.format === 'waha' ? 'WAHA format' : 'flat format', `${policy} retry ${delaySeconds} s × ${attempts}`];
  const foldAfterMs = foldAfterMsOf(webhook);
  parts.push(foldAfterMs > 0 ? `folds after ${foldAfterMs / 1000} s` : 'never folds');
  if (webhook.hmacKey) parts.push('signed');
  if (webhook.headers.length) parts.push(`${webhook.headers.length} custom header${webhook.headers.length > 1 ? 's' : ''}`);
  return parts.join(' · ');
}
