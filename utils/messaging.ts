import { defineExtensionMessaging } from '@webext-core/messaging';
import type { HookReport, SessionReport } from './protocol/page-messages';
import type { PresenceSignal } from './presence/types';

/**
 * The typed protocol between extension contexts (content script → background
 * today; the popup and options page join it later). Everything that arrives
 * here from the content script was already validated against the page
 * protocol (utils/protocol/page-messages.ts).
 */
interface ExtensionProtocol {
  /** A presence change seen in WhatsApp Web. */
  presenceSignal(signal: PresenceSignal): void;
  /** The WhatsApp Web session's life: loading, QR, connected (with `me`), logged out. */
  sessionReport(report: SessionReport): void;
  /** Whether each part of the page hook is live on this WhatsApp Web build. */
  hookReport(report: HookReport): void;
}

export const { sendMessage, onMessage } = defineExtensionMessaging<ExtensionProtocol>();
