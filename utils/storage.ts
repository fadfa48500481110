import { storage } from 'wxt/utils/storage';
import type { MeInfo } from './presence/types';
import type { WebhookConfig } from './webhook/config';

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
  status: 'live' | 'unavailable';
  /** What is missing or failed, e.g. "WAWap missing on WhatsApp Web 2.3000.1". */
  detail?: string;
  version: string;
}

/** Which parts of the page hook work on the open WhatsApp Web build, by capability. */
export const hookStatusStorage = storage.defineItem<Record<string, CapabilityStatus>>('session:hookStatus', {
  fallback: {},
  version: 1,
});
