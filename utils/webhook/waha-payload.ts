import type { PresenceSignal, PresenceState } from '../presence/types';

/** What a payload says: who, in which chat, in which state (a signal or a reducer change). */
export type PresenceFacts = Pick<PresenceSignal, 'chatId' | 'participant' | 'state' | 'lastSeen' | 'lid'> & {
  /** Conversation timing (see PresenceChange in utils/presence/reducer.ts): when a typing/recording run began, and how long it lasted once it ended. */
  activeSince?: number;
  activeMs?: number;
};

/** The timing fields as sent: extra fields a WAHA consumer ignores. */
const timingOf = ({ activeSince, activeMs }: PresenceFacts) => ({
  ...(activeSince !== undefined ? { activeSince } : {}),
  ...(activeMs !== undefined ? { activeMs } : {}),
});

/** WAHA's `WAHAChatPresences`: one chat, the changed participant(s). */
export interface WahaChatPresences {
  id: string;
  /**
   * `lid`: the participant's LID beside its phone id, when known; `activeSince`
   * (Unix ms) and `activeMs`: conversation timing. Extra fields a WAHA consumer ignores.
   */
  presences: Array<{ participant: string; lastKnownPresence: PresenceState; lastSeen: number | null; lid?: string; activeSince?: number; activeMs?: number }>;
}

/** The flat per-participant payload some backends expect (Wawp's docs). */
export interface FlatPresence {
  chatId: string;
  type: 'composing' | 'recording' | 'paused' | 'available' | 'unavailable';
  from: string;
  /** `from`'s LID beside its phone id, when known. */
  lid?: string;
  activeSince?: number;
  activeMs?: number;
}

/** One changed participant per event, as WAHA sends it (in groups too). */
export function toWahaPresence(signal: PresenceFacts): WahaChatPresences {
  return {
    id: signal.chatId,
    presences: [
      { participant: signal.participant, lastKnownPresence: signal.state, lastSeen: signal.lastSeen, ...(signal.lid ? { lid: signal.lid } : {}), ...timingOf(signal) },
    ],
  };
}

const FLAT_TYPES: Record<PresenceState, FlatPresence['type']> = {
  typing: 'composing',
  recording: 'recording',
  paused: 'paused',
  online: 'available',
  offline: 'unavailable',
};

export function toFlatPresence(signal: PresenceFacts): FlatPresence {
  return { chatId: signal.chatId, type: FLAT_TYPES[signal.state], from: signal.participant, ...(signal.lid ? { lid: signal.lid } : {}), ...timingOf(signal) };
}
