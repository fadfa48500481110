import { defineExtensionMessaging } from '@webext-core/messaging';
import type { DeadLetter } from './outbox/types';
import type { HookReport, SessionReport } from './protocol/page-messages';
import type { ChatList, ChatPresences, CommandResult, OwnChatState, OwnPresence, PageCommand } from './protocol/commands';
import type { DeliveryStats, Follow } from './storage';
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
  // From the content script (what the page hook saw; its presence signals and
  // contacts' messages travel on the session port: utils/protocol/session-port.ts).
  sessionReport(report: SessionReport): void;
  hookReport(report: HookReport): void;
  /** WhatsApp Web dropped its presence subscriptions while connected: renew the follows. */
  subscriptionsDropped(): void;

  // From extension pages.
  /** WAHA's `GET /presence` (all chats) or `GET /presence/{chatId}` (one). */
  getPresence(chatId?: string): WahaChatPresences[];
  /** Posts a test event to this webhook now and reports the backend's answer. */
  sendTestEvent(webhook: WebhookConfig): PostResult;
  /** `storageError`: the outbox cannot be written right now (events are still delivered from memory, and written once it can). */
  /** `presenceStorageError`: the live presence table cannot be written (webhooks still go out; the popup may lag). */
  getDeliveryHealth(): { queued: number; dropped: number; folded: number; last: DeliveryStats['last']; storageError?: string; presenceStorageError?: string };
  getDeadLetters(): DeadLetter[];
  /** Returns how many were put back in the outbox. */
  retryDeadLetters(): number;
  clearDeadLetters(): void;
  /** Forgets everything stored (presence, outbox, dead letters, follows, stats); keeps the settings. */
  clearAllState(): void;

  // From extension pages: the operator's commands to WhatsApp Web (answered by the page).
  /** Chats and contacts for the pickers, read from WhatsApp's local stores. */
  listChats(): CommandResult<ChatList>;
  /** Typing/recording is renewed for `holdSeconds` (default: the behaviour setting), then paused. */
  setChatState(request: { chatId: string; state: OwnChatState; holdSeconds?: number }): CommandResult<OwnPresence>;
  /** Online is held until turned off or the held-online expiry; offline releases it. */
  setOnline(online: boolean): CommandResult<OwnPresence>;
  /** Live from WhatsApp's Presence models, WAHA's `GET /presence/{chatId}` shape. */
  readPresence(chatId: string): CommandResult<ChatPresences>;
  /** Subscribes now and keeps it renewed; refused past the follow cap, with the reason. */
  follow(entry: { id: string; name?: string }): CommandResult<Follow[]>;
  unfollow(chatId: string): CommandResult<Follow[]>;

  // Background → the WhatsApp tab's content script.
  /** Is the page still there, and which page load is it? */
  tabAlive(): { pageId: string };
  /** One command for the page world; `holdMs` makes the content script renew (chatstate) or end (online) it. */
  pageCommand(request: { command: PageCommand; holdMs?: number }): CommandResult<unknown>;

  // Content script → background.
  /** What the content script is holding for the operator (after each change, and when a hold ends). */
  ownPresence(state: OwnPresence): void;
}

export const { sendMessage, onMessage } = defineExtensionMessaging<ExtensionProtocol>();
