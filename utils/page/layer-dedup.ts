import type { PresenceSignal, PresenceState } from '../presence/types';

/** These imply "online": an "online" from the models while one of them stands says nothing new. */
const IMPLIES_ONLINE: ReadonlySet<PresenceState> = new Set(['typing', 'recording', 'paused']);
/** Ids seen in one page session stay few (contacts with presence); this only bounds a pathological page. */
const MAX_KEYS = 10_000;

/**
 * The same presence reaches us twice when both layers are live: the stanza tap
 * sees the node first, then WhatsApp applies it to its Presence models and the
 * model layer sees the change. Stanza signals always pass (they are exact);
 * a model signal passes only when it tells something the last reported signal
 * for that chat and participant did not.
 */
export function createLayerDedup() {
  const last = new Map<string, Pick<PresenceSignal, 'state' | 'lastSeen'>>();

  function remember(key: string, signal: PresenceSignal) {
    last.delete(key); // re-insert: the Map's order is then least recently seen first
    last.set(key, { state: signal.state, lastSeen: signal.lastSeen });
    if (last.size > MAX_KEYS) last.delete(last.keys().next().value as string);
  }

  return {
    /** True when the signal should be reported. */
    admit(signal: PresenceSignal): boolean {
      const key = `${signal.chatId} ${signal.participant}`;
      const before = last.get(key);
      if (signal.source === 'model' && before) {
        if (before.state === signal.state && before.lastSeen === signal.lastSeen) return false;
        if (signal.state === 'online' && IMPLIES_ONLINE.has(before.state)) return false;
      }
      remember(key, signal);
      return true;
    },
    get size() {
      return last.size;
    },
  };
}
