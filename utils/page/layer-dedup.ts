import type { PresenceSignal, PresenceState } from '../presence/types';

/** These imply "online": an "online" from the models while one of them stands says nothing new. */
const IMPLIES_ONLINE: ReadonlySet<PresenceState> = new Set(['typing', 'recording', 'paused']);
/**
 * While the stanza tap reports a contact, the models only echo it: a model
 * change this soon after a stanza for the same contact is taken as an echo,
 * even when newer stanzas came in between (a burst). WhatsApp applies a
 * stanza to its models within milliseconds; the margin covers a busy page.
 */
const ECHO_WINDOW_MS = 10_000;
/** Ids seen in one page session stay few (contacts with presence); this only bounds a pathological page. */
const MAX_KEYS = 10_000;

/** What was last reported of one contact (updated in place: one object per contact, not per signal). */
interface KeyState {
  state: PresenceSignal['state'];
  lastSeen: number | null;
  /** When the stanza tap last reported this contact (ms), or -Infinity. */
  stanzaAt: number;
}

/**
 * The same presence reaches us twice when both layers are live: the stanza tap
 * sees the node first, then WhatsApp applies it to its Presence models and the
 * model layer sees the change. Stanza signals always pass (they are exact); a
 * model signal passes only for a contact the stanza tap has not reported
 * lately, and only when it tells something new.
 */
export function createLayerDedup() {
  const keys = new Map<string, KeyState>();

  /**
   * A contact seen again is updated in place (one lookup per signal, no
   * re-insertion); past MAX_KEYS the contact first seen longest ago is
   * forgotten, which at worst lets one model echo of it through.
   */
  function remember(key: string, state: KeyState) {
    keys.set(key, state);
    if (keys.size > MAX_KEYS) keys.delete(keys.keys().next().value as string);
  }

  return {
    /** True when the signal should be reported. */
    admit(signal: PresenceSignal): boolean {
      const key = signal.chatId === signal.participant ? signal.chatId : `${signal.chatId} ${signal.participant}`;
      const known = keys.get(key);
      if (signal.source !== 'stanza' && known) {
        if (signal.at - known.stanzaAt <= ECHO_WINDOW_MS) return false;
        if (known.state === signal.state && known.lastSeen === signal.lastSeen) return false;
        if (signal.state === 'online' && IMPLIES_ONLINE.has(known.state)) return false;
      }
      const stanzaAt = signal.source === 'stanza' ? signal.at : (known?.stanzaAt ?? -Infinity);
      if (known) {
        known.state = signal.state;
        known.lastSeen = signal.lastSeen;
        known.stanzaAt = stanzaAt;
      } else remember(key, { state: signal.state, lastSeen: signal.lastSeen, stanzaAt });
      return true;
    },
    get size() {
      return keys.size;
    },
  };
}
