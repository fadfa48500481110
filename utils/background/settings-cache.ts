import { DEFAULT_BEHAVIOUR, type Behaviour } from '../behaviour';
import { behaviourStorage, followsStorage, sessionSettingsStorage, webhooksStorage } from '../storage';
import type { Follow, SessionSettings } from '../storage';
import type { WebhookConfig } from '../webhook/config';

interface Settings {
  webhooks: WebhookConfig[];
  session: SessionSettings;
  behaviour: Behaviour;
  /** For the 'followed' forward scope. */
  follows: Follow[];
}

/**
 * The settings every event needs, kept in memory and refreshed by storage
 * change events, so the hot path reads no storage.
 */
export function createSettingsCache() {
  const current: Settings = {
    webhooks: [],
    session: { name: 'default', metadata: {} },
    behaviour: DEFAULT_BEHAVIOUR,
    follows: [],
  };
  const items = {
    webhooks: webhooksStorage,
    session: sessionSettingsStorage,
    behaviour: behaviourStorage,
    follows: followsStorage,
  };
  // A change seen before the initial read resolves is newer than that read:
  // the read must not overwrite it (a setting saved just as the worker starts).
  const changed = new Set<keyof Settings>();
  for (const [key, item] of Object.entries(items) as Array<[keyof Settings, (typeof items)[keyof Settings]]>) {
    (item.watch as (cb: (value: any) => void) => void)((value) => {
      changed.add(key);
      // A behaviour written by an older version lacks the newer fields.
      (current as any)[key] = key === 'behaviour' ? { ...DEFAULT_BEHAVIOUR, ...value } : value;
    });
  }
  const ready = Promise.all(
    (Object.entries(items) as Array<[keyof Settings, (typeof items)[keyof Settings]]>).map(async ([key, item]) => {
      const value = await item.getValue();
      if (!changed.has(key)) (current as any)[key] = key === 'behaviour' ? { ...DEFAULT_BEHAVIOUR, ...(value as Behaviour) } : value;
    }),
  );

  return {
    ready,
    get: () => current,
    webhook: (id: string) => current.webhooks.find((webhook) => webhook.id === id),
  };
}

export type SettingsCache = ReturnType<typeof createSettingsCache>;
