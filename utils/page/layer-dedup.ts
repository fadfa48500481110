import type { PresenceSignal, PresenceState } from '../presence/types';

/** These imply "online": an "online" from the models while one of them stands says nothing new. */
const IMPLIES_ONLINE: ReadonlySet<PresenceState> = new Set(['typing', 'recording', 'paused']);
/** How long a stanza signal explains a model change that echoes it (WhatsApp applies stanzas within ms). */
const ECHO_WINDOW_MS = 3_000;
/** Stanza signals kept per key to match echoes that arrive after newer stanzas (bursts). */
const RECENT_PER_KEY = 4;
/** Ids seen in one page session stay few (contacts with presence); this only bounds a pathological page. */
const MAX_KEYS = 10_000;

type Seen = Pick<PresenceSignal, 'state' | 'lastSeen' | 'at'>;
interface KeyState {
  last: Seen;
  /** The latest stanza signals, newest last. */
  stanzas: Seen[];
}

const same = (a: Seen, b: Seen) => a.state === b.state && a.lastSeen === b.lastSeen;

/**
 * The same presence reaches us twice when both layers are live: the stanza tap
 * sees the node first, then WhatsApp applies it to its Presence models and the
 * model layer sees the change. In a burst the echo can come after newer
 * stanzas for the same contact, so a model signal is matched against the last
 * few stanza signals, not only the latest. Stanza signals always pass (they
 * are exact); a model signal passes only when it tells something new.
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
        const stanzas = [...(known?.stanzas ?? []), seen].slice(-RECENT_PER_KEY);
        touch(key, { last: seen, stanzas });
        return true;
      }
      if (known) {
        if (known.stanzas.some((stanza) => same(stanza, seen) && seen.at - stanza.at <= ECHO_WINDOW_MS)) return false;
        if (same(known.last, seen)) return false;
        if (seen.state === 'online' && IMPLIES_ONLINE.has(known.last.state)) return false;
      }
      touch(key, { last: seen, stanzas: known?.stanzas ?? [] });
      return true;
    },
    get size() {
      return keys.size;
    },
  };
}
