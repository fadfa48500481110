import type { PresenceSignal, PresenceState } from '../presence/types';
import { lidBeside, type IdResolver } from './stanza-to-signal';

/**
 * Maps WhatsApp's own Presence models to presence signals (the model layer).
 * What the models hold, as read in WhatsApp Web's `WAWebPresenceModel` and
 * `WAWebChangePresenceHandlerAction` (2025–2026 builds):
 * - a Chatstate's `type` is `available | unavailable | typing |
 *   recording_audio`; "paused" arrives as `idle` and only ends typing: the
 *   type falls back to `available` (online) or `unavailable`. So `available`
 *   or `unavailable` right after typing/recording means paused; an
 *   `unavailable` that also brings a new `t` (last seen) is offline.
 * - a 1:1 Presence's own `chatstate` is the contact's state; its `isOnline`
 *   follows that type.
 * - a group Presence's own `chatstate` is a debounced summary (`{id: last
 *   typer or "", type}`), not anyone's state: members are read from
 *   `chatstates`, one Chatstate per member.
 * - `reset()` (every socket disconnect, and whenever we go unavailable) sets
 *   `hasData` false and the type to `unavailable`: that is not presence, so a
 *   model without `hasData` is never reported.
 */

/** A Chatstate as we read it (ids already strings). */
export interface ChatstateView {
  id: string;
  type: string | undefined;
  /** Last seen, Unix seconds. */
  t?: unknown;
  /** Last seen hidden by the contact's privacy settings. */
  deny?: unknown;
}

/** A Presence as we read it. */
export interface PresenceView {
  id: string;
  isGroup: boolean;
  hasData: boolean;
  isOnline: boolean;
  chatstate: ChatstateView;
  /** Groups: one Chatstate per member who has had a state. */
  members: ChatstateView[];
}

/** What the layer last saw of one Presence model, to tell changes from repeats. */
export interface ModelSnapshot {
  type?: string;
  t?: unknown;
  reported?: { state: PresenceState; lastSeen: number | null };
  members: Map<string, { type?: string; reported?: PresenceState }>;
}

export const emptySnapshot = (): ModelSnapshot => ({ members: new Map() });

const ACTIVE_TYPES = new Set(['typing', 'recording_audio']);
const isActive = (type: string | undefined) => type !== undefined && ACTIVE_TYPES.has(type);

/** Last seen (Unix s) of a Chatstate; null when unknown or hidden by the contact's privacy. */
export function lastSeenOf(chatstate: { t?: unknown; deny?: unknown } | undefined): number | null {
  if (!chatstate || chatstate.deny === true) return null;
  const t = Number(chatstate.t);
  return Number.isSafeInteger(t) && t > 0 ? t : null;
}

function contactState(view: PresenceView, before: ModelSnapshot): PresenceState | null {
  const { type, t } = view.chatstate;
  // The same type again (another attribute changed): the state stands, unless
  // an offline contact's last seen moved.
  if (type !== undefined && type === before.type && before.reported) {
    return type === 'unavailable' && t !== before.t ? 'offline' : before.reported.state;
  }
  switch (type) {
    case 'typing':
      return 'typing';
    case 'recording_audio':
      return 'recording';
    case 'available':
      return isActive(before.type) ? 'paused' : 'online';
    case 'unavailable':
      return isActive(before.type) && t === before.t ? 'paused' : 'offline';
    default:
      return view.isOnline ? 'online' : null;
  }
}

function memberState(type: string | undefined, before: string | undefined): PresenceState | null {
  if (type === 'typing') return 'typing';
  if (type === 'recording_audio') return 'recording';
  // A member has no online of their own in a group: available/unavailable only ends their typing.
  return isActive(before) ? 'paused' : null;
}

/** Upper bound on members read per group (WhatsApp's large groups get no member presence anyway). */
export const MAX_MEMBERS = 1024;

/**
 * The signals one Presence model's current state means, given what the layer
 * saw of it before; updates `snapshot` in place.
 */
export function modelChanges(view: PresenceView, snapshot: ModelSnapshot, resolve: IdResolver, at: number): PresenceSignal[] {
  if (!view.hasData) {
    // Reset (or not loaded yet): forget, so the next real state is reported.
    snapshot.type = undefined;
    snapshot.t = undefined;
    snapshot.reported = undefined;
    snapshot.members.clear();
    return [];
  }
  const chatId = resolve(view.id);
  if (view.isGroup) {
    const signals: PresenceSignal[] = [];
    for (const member of view.members.slice(0, MAX_MEMBERS)) {
      const before = snapshot.members.get(member.id) ?? {};
      const state = memberState(member.type, before.type);
      if (state && state !== before.reported) {
        const participant = resolve(member.id);
        signals.push({ chatId, participant, state, lastSeen: null, ...lidBeside(member.id, participant), at, source: 'model' });
      }
      snapshot.members.set(member.id, { type: member.type, reported: state ?? undefined });
    }
    return signals;
  }
  const state = contactState(view, snapshot);
  snapshot.type = view.chatstate.type;
  const lastSeen = state === 'offline' ? lastSeenOf(view.chatstate) : null;
  const changed = state && (state !== snapshot.reported?.state || lastSeen !== snapshot.reported.lastSeen);
  snapshot.t = view.chatstate.t;
  if (!state || !changed) return [];
  snapshot.reported = { state, lastSeen };
  return [{ chatId, participant: chatId, state, lastSeen, ...lidBeside(view.id, chatId), at, source: 'model' }];
}
