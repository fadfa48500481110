import { onMessage } from '../messaging';
import { hookStatusStorage, ownPresenceStorage } from '../storage';
import { createCommandService } from './command-service';
import { createDeliveryService } from './delivery-service';
import { extensionEnvironment } from './environment';
import { createFollowService } from './follow-service';
import { createPresenceService } from './presence-service';
import { createSessionService } from './session-service';
import { createSerialQueue } from './serial';
import { createSettingsCache } from './settings-cache';

const LOG_PREFIX = '[wa-presence]';

/** Builds the background services and wires every message to them. Call synchronously at start-up. */
export function registerBackground(): void {
  const environment = extensionEnvironment(browser.runtime.getManifest().version, navigator.userAgent, navigator.platform || 'unknown');
  const settings = createSettingsCache();
  const delivery = createDeliveryService(settings, environment);
  const presence = createPresenceService(settings, delivery);
  const commands = createCommandService(settings);
  const follows = createFollowService(settings, commands);
  const session = createSessionService(settings, delivery, presence, follows);

  // From the content script.
  onMessage('presenceSignals', ({ data }) => presence.onSignals(data));
  onMessage('incomingMessage', ({ data }) => presence.onMessage(data.chatId, data.participant, data.at));
  onMessage('sessionReport', ({ data, sender }) => session.onSessionReport(data, sender.tab?.id ?? null));
  onMessage('ownPresence', ({ data }) => commands.onOwnPresence(data));
  onMessage('subscriptionsDropped', () => follows.renewSoon());

  // Reports of several capabilities arrive together: apply them one after the
  // other so that no read-modify-write loses another's update.
  const hookWrites = createSerialQueue('hook status');
  onMessage('hookReport', ({ data: report, sender }) => {
    const { capability, status, detail, version } = report;
    if (status === 'unavailable') console.warn(LOG_PREFIX, `${capability} unavailable: ${detail ?? ''}`);
    return hookWrites(async () => {
      const current = await hookStatusStorage.getValue();
      await hookStatusStorage.setValue({ ...current, [capability]: { status, ...(detail ? { detail } : {}), version } });
      await session.onHookReport(report, sender.tab?.id ?? null);
    });
  });

  // From the extension's pages.
  onMessage('getPresence', ({ data }) => presence.snapshot(data));
  onMessage('sendTestEvent', ({ data }) => delivery.sendTest(data));
  onMessage('getDeliveryHealth', async () => (await delivery.ready, delivery.health()));
  onMessage('getDeadLetters', () => delivery.deadLetters());
  onMessage('retryDeadLetters', () => delivery.retryDeadLetters());
  onMessage('clearDeadLetters', () => delivery.clearDeadLetters());
  onMessage('listChats', () => commands.listChats());
  onMessage('setChatState', ({ data }) => commands.setChatState(data.chatId, data.state, data.holdSeconds));
  onMessage('setOnline', ({ data }) => commands.setOnline(data));
  onMessage('readPresence', ({ data }) => commands.readPresence(data));
  onMessage('follow', ({ data }) => follows.follow(data));
  onMessage('unfollow', ({ data }) => follows.unfollow(data));
  onMessage('clearAllState', async () => {
    // Settings stay (webhooks, session, behaviour); everything observed or queued goes.
    await Promise.all([presence.clear(), delivery.clearAll(), follows.clear(), ownPresenceStorage.removeValue()]);
  });
}
