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

type Seen = Pick<PresenceSignal, 'state' | 'lastSeen' | 'at'>;
interface KeyState {
  last: Seen;
  /** When the stanza tap last reported this contact (ms), or -Infinity. */
  stanzaAt: number;
}

const same = (a: Seen, b: Seen) => a.state === b.state && a.lastSeen === b.lastSeen;

/**
 * The same presence reaches us twice when both layers are live: the stanza tap
 * sees the node first, then WhatsApp applies it to its Presence models and the
 * model layer sees the change. Stanza signals always pass (they are exact); a
 * model signal passes only for a contact the stanza tap has not reported
 * lately, and only when it tells something new.
 */
export function createLayerDedup() {
  const keys = new Map<string, KeyState>();

  function touch(key: string, state: KeyState) {
    keys.delete(key); // re-insert: the Map's order is then least recently seen first
    keys.set(key, state);
    if (keys.size > MAX_KEYS) keys.delete(keys.keys().next().value as string);
  }

  return {
    /** True when the signal should be reported. */
    admit(signal: PresenceSignal): boolean {
      const key = `${signal.chatId} ${signal.participant}`;
      const known = keys.get(key);
      const seen: Seen = { state: signal.state, lastSeen: signal.lastSeen, at: signal.at };
      if (signal.source === 'stanza') {
        touch(key, { last: seen, stanzaAt: seen.at });
        return true;
      }
      if (known) {
        if (seen.at - known.stanzaAt <= ECHO_WINDOW_MS) return false;
        if (same(known.last, seen)) return false;
        if (seen.state === 'online' && IMPLIES_ONLINE.has(known.last.state)) return false;
      }
      touch(key, { last: seen, stanzaAt: known?.stanzaAt ?? -Infinity });
      return true;
    },
    get size() {
      return keys.size;
    },
  };
}
