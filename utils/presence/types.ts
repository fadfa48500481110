/** WAHA's `lastKnownPresence` values, the vocabulary every layer of the extension speaks. */
export const PRESENCE_STATES = ['online', 'offline', 'typing', 'recording', 'paused'] as const;
export type PresenceState = (typeof PRESENCE_STATES)[number];

/** Which WhatsApp layer a signal was read from (stanza tap first, models as fallback). */
export type SignalSource = 'stanza' | 'model';

/**
 * One presence observation, as the page world hands it over.
 * Ids are already in the form a team backend knows (`@c.us`, `@g.us`, `@lid` only
 * when no phone is known).
 */
export interface PresenceSignal {
  /** The chat: a contact (`@c.us`/`@lid`) or a group (`@g.us`). */
  chatId: string;
  /** Who changed: the contact itself in 1:1 chats, the member in groups. */
  participant: string;
  state: PresenceState;
  /** Unix seconds of last seen for `offline`; null when unknown or hidden. */
  lastSeen: number | null;
  /** The participant's LID when `participant` is its phone id: backends can join on either (WAHA #993). */
  lid?: string;
  /** Unix ms when the page saw it, so the background can order signals. */
  at: number;
  source: SignalSource;
}

/** The logged-in WhatsApp account, as WAHA's envelope `me` field. */
export interface MeInfo {
  id: string;
  pushName?: string;
  lid?: string;
}
