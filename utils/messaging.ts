import { defineExtensionMessaging } from '@webext-core/messaging';
import type { DeadLetter } from './outbox/types';
import type { HookReport, IncomingMessage, SessionReport } from './protocol/page-messages';
import type { PresenceSignal } from './presence/types';
import type { DeliveryStats } from './storage';
import type { WebhookConfig } from './webhook/config';
import type { PostResult } from './webhook/post';
import type { WahaChatPresences } from './webhook/waha-payload';

/**
 * The typed protocol between extension contexts: content script → background,
 * and the extension's own pages (popup, options) → background. Everything the
 * content script sends was validated against the page protocol first
 * (utils/protocol/page-messages.ts).
 */
interface ExtensionProtocol {
  // From the content script (what the page hook saw).
  /** Presence signals in the order the page saw them (batched under load). */
  presenceSignals(signals: PresenceSignal[]): void;
  incomingMessage(message: IncomingMessage): void;
  sessionReport(report: SessionReport): void;
  hookReport(report: HookReport): void;

  // From extension pages.
  /** WAHA's `GET /presence` (all chats) or `GET /presence/{chatId}` (one). */
  getPresence(chatId?: string): WahaChatPresences[];
  /** Posts a test event to this webhook now and reports the backend's answer. */
  sendTestEvent(webhook: WebhookConfig): PostResult;
  getDeliveryHealth(): { queued: number; dropped: number; last: DeliveryStats['last'] };
  getDeadLetters(): DeadLetter[];
  /** Returns how many were put back in the outbox. */
  retryDeadLetters(): number;
  clearDeadLetters(): void;
}

export const { sendMessage, onMessage } = defineExtensionMessaging<ExtensionProtocol>();
