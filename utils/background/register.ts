import { onMessage } from '../messaging';
import { checkContentMessage } from '../protocol/content-messages';
import { controlHistoryStorage, ownPresenceStorage } from '../storage';
import type { SocketLike } from '../control/client';
import { createCommandService } from './command-service';
import { createControlOps } from './control-ops';
import { createControlService } from './control-service';
import { createDeliveryService } from './delivery-service';
import { extensionEnvironment } from './environment';
import { createFollowService } from './follow-service';
import { createPresenceService } from './presence-service';
import { isExtensionPage, whatsAppTabOf, type Sender } from './senders';
import { createSessionService, type SessionService } from './session-service';
import { watchWhatsAppTabs } from './session-tabs';
import { createTabEventsReceiver } from './tab-events';
import { createSettingsCache } from './settings-cache';

const LOG_PREFIX = '[wa-presence]';

/** Builds the background services and wires every message to them. Call synchronously at start-up. */
export function registerBackground(): void {
  const environment = extensionEnvironment(browser.runtime.getManifest().version);
  const settings = createSettingsCache();
  let session: SessionService | undefined;
  const delivery = createDeliveryService(settings, environment, () => session?.me() ?? null);
  const presence = createPresenceService(settings, delivery);
  const commands = createCommandService(settings);
  const follows = createFollowService(settings, commands);
  session = createSessionService(settings, delivery, presence, follows);
  watchWhatsAppTabs(
    session,
    createTabEventsReceiver({
      signals: (signals) => presence.onSignals(signals),
      message: (message) => presence.onMessage(message.chatId, message.participant, message.at),
    }),
  );
  const openSocket = (url: string) => new WebSocket(url) as unknown as SocketLike;
  createControlService(settings, createControlOps(commands, follows, presence), browser.runtime.getManifest().version, openSocket);

  const extensionId = browser.runtime.id;
  const extensionOrigin = browser.runtime.getURL('/');
  /** Messages only the WhatsApp tab's content script may send; the handler gets its tab. */
  const fromWhatsAppTab = (sender: Sender) => {
    const tabId = whatsAppTabOf(sender, extensionId);
    if (tabId === null) throw new Error('refused: only the WhatsApp Web tab sends this');
    return tabId;
  };
  /** Messages only the extension's own pages (the operator) may send. */
  const fromExtensionPage = (sender: Sender) => {
    if (!isExtensionPage(sender, extensionId, extensionOrigin)) throw new Error("refused: only the extension's own pages may ask this");
  };

  // From the content script: its sender checked, its payload checked again (utils/protocol/content-messages.ts).
  // Presence signals and messages come on the session port (utils/background/tab-events.ts).
  onMessage('sessionReport', ({ data, sender }) => session.onSessionReport(checkContentMessage('sessionReport', data), fromWhatsAppTab(sender)));
  onMessage('ownPresence', ({ data, sender }) => (fromWhatsAppTab(sender), commands.onOwnPresence(checkContentMessage('ownPresence', data))));
  onMessage('subscriptionsDropped', ({ sender }) => (fromWhatsAppTab(sender), follows.renewSoon()));
  onMessage('hookReport', ({ data, sender }) => {
    const tabId = fromWhatsAppTab(sender);
    const report = checkContentMessage('hookReport', data);
    if (report.status === 'unavailable') console.warn(LOG_PREFIX, `${report.capability} unavailable: ${report.detail ?? ''}`);
    return session.onHookReport(report, tabId);
  });

  // From the extension's pages.
  const page =
    <D, R>(handler: (data: D) => R) =>
    ({ data, sender }: { data: D; sender: Sender }) => (fromExtensionPage(sender), handler(data));
  onMessage('getPresence', page((chatId) => presence.snapshot(chatId)));
  onMessage('sendTestEvent', page((webhook) => delivery.sendTest(webhook)));
  onMessage('getDeliveryHealth', page(async () => {
    await delivery.ready;
    const presenceStorageError = presence.storageError;
    return { ...delivery.health(), ...(presenceStorageError ? { presenceStorageError } : {}) };
  }));
  onMessage('getDeadLetters', page(() => delivery.deadLetters()));
  onMessage('retryDeadLetters', page(() => delivery.retryDeadLetters()));
  onMessage('clearDeadLetters', page(() => delivery.clearDeadLetters()));
  onMessage('listChats', page(() => commands.listChats()));
  onMessage('setChatState', page((data) => commands.setChatState(data.chatId, data.state, data.holdSeconds)));
  onMessage('setOnline', page((online) => commands.setOnline(online)));
  onMessage('readPresence', page((chatId) => commands.readPresence(chatId)));
  onMessage('follow', page((entry) => follows.follow(entry)));
  onMessage('unfollow', page((chatId) => follows.unfollow(chatId)));
  onMessage(
    'clearAllState',
    page(async () => {
      // Settings stay (webhooks, session, behaviour); everything observed or queued goes.
      await Promise.all([presence.clear(), delivery.clearAll(), follows.clear(), ownPresenceStorage.removeValue(), controlHistoryStorage.removeValue()]);
    }),
  );
}
