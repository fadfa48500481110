import type { PresenceSignal, PresenceState } from '../presence/types';
import type { IdResolver } from './stanza-to-signal';
import { widToString } from './wid';

/**
 * Maps WhatsApp's own Presence models to presence signals: the fallback layer
 * for builds where the stanza tap cannot be installed.
 *
 * WhatsApp's Chatstate `type` is `available | unavailable | typing |
 * recording_audio`. "paused" has no state of its own: typing falls back to
 * `available`, so `available` right after typing/recording means paused.
 */

/** The part of a Chatstate model we read. */
export interface ChatstateLike {
  id?: unknown;
  type?: unknown;
  /** Last seen, Unix seconds. */
  t?: unknown;
  /** Last seen hidden by the contact's privacy settings. */
  deny?: unknown;
}

/** The part of a Presence model we read. */
export interface PresenceLike {
  id?: unknown;
  isOnline?: unknown;
  chatstate?: ChatstateLike;
}

const ACTIVE_TYPES = new Set(['typing', 'recording_audio']);

/** Last seen (Unix s) of a Chatstate; null when unknown or hidden by the contact's privacy. */
export function lastSeenOf(chatstate: ChatstateLike | undefined): number | null {
  if (!chatstate || chatstate.deny === true) return null;
  const t = Number(chatstate.t);
  return Number.isSafeInteger(t) && t > 0 ? t : null;
}

/** The state a Chatstate type means, given the type it had before, in a 1:1 chat or for a group member. */
export function chatstateTypeToState(type: unknown, previous: unknown, inGroup: boolean): PresenceState | null {
  switch (type) {
    case 'typing':
      return 'typing';
    case 'recording_audio':
      return 'recording';
    case 'available':
      // A group member has no online of their own in a group: available ends their typing.
      return inGroup || ACTIVE_TYPES.has(previous as string) ? 'paused' : 'online';
    case 'unavailable':
      return inGroup ? null : 'offline';
    default:
      return null;
  }
}

/**
 * A `change:chatstate.type`: for a 1:1 chat `presence.chatstate` changed; for a
 * group, the member's Chatstate in `presence.chatstates` (`member` is set).
 */
export function chatstateChangeToSignal(
  presence: PresenceLike,
  chatstate: ChatstateLike,
  previousType: unknown,
  inGroup: boolean,
  resolve: IdResolver,
  at: number,
): PresenceSignal | null {
  const chat = widToString(presence.id);
  const who = inGroup ? widToString(chatstate.id) : chat;
  if (!chat || !who) return null;
  const state = chatstateTypeToState(chatstate.type, previousType, inGroup);
  if (!state) return null;
  const chatId = resolve(chat);
  const participant = inGroup ? resolve(who) : chatId;
  const lastSeen = state === 'offline' ? lastSeenOf(chatstate) : null;
  return { chatId, participant, state, lastSeen, at, source: 'model' };
}

/** A `change:isOnline` of a contact's Presence (groups have no online of their own). */
export function onlineChangeToSignal(presence: PresenceLike, resolve: IdResolver, at: number): PresenceSignal | null {
  const chat = widToString(presence.id);
  if (!chat || chat.endsWith('@g.us')) return null;
  // Typing or recording already says online; the chatstate change reports those.
  if (presence.isOnline === true && ACTIVE_TYPES.has(presence.chatstate?.type as string)) return null;
  const id = resolve(chat);
  const online = presence.isOnline === true;
  return { chatId: id, participant: id, state: online ? 'online' : 'offline', lastSeen: online ? null : lastSeenOf(presence.chatstate), at, source: 'model' };
}
