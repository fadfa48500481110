import { behaviourStorage, meStorage, sessionSettingsStorage, webhooksStorage } from '../storage';
import type { Behaviour, SessionSettings } from '../storage';
import type { MeInfo } from '../presence/types';
import type { WebhookConfig } from '../webhook/config';

/**
 * The settings every event needs, kept in memory and refreshed by storage
 * change events, so the hot path reads no storage.
 */
export function createSettingsCache() {
  const current = {
    webhooks: [] as WebhookConfig[],
    session: { name: 'default', metadata: {} } as SessionSettings,
    behaviour: { typingTimeoutSeconds: 15, outboxLimit: 10_000 } as Behaviour,
    me: null as MeInfo | null,
  };
  webhooksStorage.watch((value) => (current.webhooks = value));
  sessionSettingsStorage.watch((value) => (current.session = value));
  behaviourStorage.watch((value) => (current.behaviour = value));
  meStorage.watch((value) => (current.me = value));

  const ready = Promise.all([
    webhooksStorage.getValue(),
    sessionSettingsStorage.getValue(),
    behaviourStorage.getValue(),
    meStorage.getValue(),
  ]).then(([webhooks, session, behaviour, me]) => Object.assign(current, { webhooks, session, behaviour, me }));

  return {
    ready,
    get: () => current,
    webhook: (id: string) => current.webhooks.find((webhook) => webhook.id === id),
  };
}

export type SettingsCache = ReturnType<typeof createSettingsCache>;
