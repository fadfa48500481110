import type { SessionState } from './protocol/page-messages';
import type { SessionMachine, SessionStatus } from './session/machine';
import { storage } from 'wxt/utils/storage';
import type { DeadLetter } from './outbox/types';
import type { OwnPresence } from './protocol/commands';
import type { MeInfo } from './presence/types';
import type { WebhookConfig } from './webhook/config';
import { DEFAULT_BEHAVIOUR, type Behaviour } from './behaviour';
import type { ControlHistoryEntry, ControlStatus } from './control/types';

/**
 * Every stored value, one item per key, each with its fallback and version.
 * `local:` survives browser restarts (settings); `session:` lives while the
 * browser runs and survives the service worker being stopped (live state).
 */

/** The team's webhooks (URLs, keys, retry policy). Secrets: background and extension pages only. */
export const webhooksStorage = storage.defineItem<WebhookConfig[]>('local:webhooks', {
  fallback: [],
  version: 1,
});

export interface SessionSettings {
  /** WAHA's `session` field of every envelope. */
  name: string;
  /** Key/value strings sent as `metadata` in every envelope (e.g. `user.email`). */
  metadata: Record<string, string>;
}

export const sessionSettingsStorage = storage.defineItem<SessionSettings>('local:sessionSettings', {
  fallback: { name: 'default', metadata: {} },
  version: 1,
});

/** The logged-in WhatsApp account as the page last reported it; cleared on logout. */
export const meStorage = storage.defineItem<MeInfo | null>('session:me', {
  fallback: null,
  version: 1,
});

export interface CapabilityStatus {
  status: 'live' | 'quiet' | 'unavailable';
  /** What is missing or failed, e.g. "WAWap missing on WhatsApp Web 2.3000.1". */
  detail?: string;
  version: string;
}

/** Which parts of the page hook work on the open WhatsApp Web build, by capability. */
export const hookStatusStorage = storage.defineItem<Record<string, CapabilityStatus>>('session:hookStatus', {
  fallback: {},
  version: 1,
});

/** Version 1 had only the typing timeout and the outbox limit. */
const withBehaviourDefaults = (stored: Partial<Behaviour>): Behaviour => ({ ...DEFAULT_BEHAVIOUR, ...stored });

export const behaviourStorage = storage.defineItem<Behaviour>('local:behaviour', {
  fallback: DEFAULT_BEHAVIOUR,
  version: 2,
  migrations: { 2: withBehaviourDefaults },
});

/** A contact or group whose presence the operator follows (subscribed on demand, renewed periodically). */
export interface Follow {
  id: string;
  name: string;
  isGroup: boolean;
  addedAt: number;
  /** The last renewals failed for this one (left the group, number gone…); the popup shows it. Absent when fine. */
  renewal?: { error: string; failures: number; at: number };
}

export const followsStorage = storage.defineItem<Follow[]>('local:follows', {
  fallback: [],
  version: 1,
});

/** What the extension is sending as the operator's own presence (held online, renewed typing). */
export const ownPresenceStorage = storage.defineItem<OwnPresence>('session:ownPresence', {
  fallback: { online: null, chatstate: null },
  version: 1,
});


export type { SessionStatus };

/** The WhatsApp Web tab we hear from, and the last session.status sent for it. */
/** The session machine (utils/session/machine.ts) and the statuses sent, the background's own record of the WhatsApp tabs. */
export const sessionMachineStorage = storage.defineItem<{ machine: SessionMachine; history: Array<{ status: SessionStatus; timestamp: number }>; lastKey: string | null }>(
  'session:sessionMachine',
  { fallback: { machine: { tabs: [] }, history: [], lastKey: null }, version: 1 },
);

/**
 * A view of the session machine for the popup and the commands (written only
 * by the session service): WAHA's status, and the page's finer state
 * with WhatsApp's own name for it (CONFLICT…), which the popup words. `state`
 * is optional: version 1 values stored before it existed still read.
 */
export const whatsappSessionStorage = storage.defineItem<{
  tabId: number | null;
  status: SessionStatus | null;
  state?: SessionState;
  waState?: string;
  /** WhatsApp tabs beside this one (they show CONFLICT, or are loading). */
  otherTabs?: number;
}>('session:whatsappSession', { fallback: { tabId: null, status: null }, version: 1 });

/** Deliveries that will not happen by themselves, with the reason; retried or cleared by the operator. */
export const deadLettersStorage = storage.defineItem<DeadLetter[]>('local:deadLetters', {
  fallback: [],
  version: 1,
});

export interface DeliveryStats {
  /** Events dropped because the outbox was full, or because the dead-letter list was (its oldest go first). */
  dropped: number;
  /** Presence changes replaced by a newer one of the same participant under backlog (absent in values stored before it existed). */
  folded?: number;
  last: { at: number; ok: boolean; status: number; error?: string; webhookId: string } | null;
}

export const deliveryStatsStorage = storage.defineItem<DeliveryStats>('local:deliveryStats', {
  fallback: { dropped: 0, last: null },
  version: 1,
});

/**
 * The control channel (docs/control-channel.md): where the background connects
 * out to, the key it proves it holds (a secret: background and extension pages
 * only), and whether the operator lets the backend act. `url` empty: no
 * channel, nothing is kept alive. `enabled` false (the default): connected
 * requests are refused with the reason.
 */
export interface ControlSettings {
  url: string;
  key: string;
  enabled: boolean;
}

export const controlSettingsStorage = storage.defineItem<ControlSettings>('local:controlSettings', {
  fallback: { url: '', key: '', enabled: false },
  version: 1,
});

/** The channel's state as the background last saw it. */
export const controlStatusStorage = storage.defineItem<ControlStatus>('session:controlStatus', {
  fallback: { state: 'off', since: 0 },
  version: 1,
});

/** The last remote requests, newest first (at most CONTROL_HISTORY_MAX): gone with the browser. */
export const CONTROL_HISTORY_MAX = 50;
export const controlHistoryStorage = storage.defineItem<ControlHistoryEntry[]>('session:controlHistory', {
  fallback: [],
  version: 1,
});

/*
 * Not declared as items, so that a burst writes only what changed
 * (utils/keyed-store.ts):
 * - the outbox keeps one key per queued delivery, `outbox:<seq>` in
 *   storage.local (utils/outbox/outbox-store.ts);
 * - the live presence table keeps one key per chat, `presence:<chatId>` in
 *   storage.session (utils/presence/presence-keys.ts): it survives worker
 *   stops and is gone with the browser. Version 1 kept the whole table under
 *   `presenceState`; the presence service removes that key.
 */
