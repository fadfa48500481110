import type { WebhookEvent } from '../webhook/config';
import type { FoldInfo } from './folding';

/** One event on its way to one webhook, written to storage until delivered (utils/outbox/outbox-store.ts). */
export interface OutboxEntry {
  /** Monotonic ULID: the enqueue order, used for per-chat order and for dropping the oldest. */
  seq: string;
  webhookId: string;
  /** Events in one lane reach the webhook in order: the chat id, or `session` for session.status. */
  lane: string;
  /** The envelope's `evt_…` id, the same on every retry. */
  eventId: string;
  event: WebhookEvent;
  /** The serialized envelope: signed and sent as is on every attempt. */
  body: string;
  /** Attempts made so far. */
  attempts: number;
  nextAttemptAt: number;
  lastError?: string;
  createdAt: number;
  /** presence.update only: whose change this is, so a newer one can replace it under backlog (utils/outbox/folding.ts). */
  fold?: FoldInfo;
}

/** An event that will not be delivered by itself: kept with the reason until retried or cleared. */
export interface DeadLetter extends OutboxEntry {
  reason: string;
  failedAt: number;
}
