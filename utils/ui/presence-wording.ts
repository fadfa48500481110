import type { ChatPresence, ParticipantPresence } from '@/utils/presence/reducer';
import type { NameOf } from './chat-ids';
import { agoText } from './time-wording';

/**
 * What a followed row says about a contact or group, from the live presence
 * table. `tone` drives the colour: active (typing/recording), online, idle.
 */
export interface StatusWording {
  text: string;
  tone: 'active' | 'online' | 'idle';
}

const NO_NEWS: StatusWording = { text: 'no presence yet', tone: 'idle' };

/** One participant's state in words. lastSeen is Unix seconds, as WAHA sends it. */
export function presenceText(presence: ParticipantPresence, nowMs: number): StatusWording {
  switch (presence.lastKnownPresence) {
    case 'typing':
      return { text: 'typing…', tone: 'active' };
    case 'recording':
      return { text: 'recording…', tone: 'active' };
    case 'online':
      return { text: 'online', tone: 'online' };
    case 'paused':
      // WhatsApp's "paused": stopped typing without sending; not proof of being online.
      return { text: 'stopped typing', tone: 'idle' };
    case 'offline':
      return presence.lastSeen === null
        ? { text: 'last seen hidden', tone: 'idle' }
        : { text: `last seen ${agoText(presence.lastSeen * 1000, nowMs)}`, tone: 'idle' };
  }
}

/**
 * A 1:1 chat: the contact's own entry, or else the freshest one (presence may
 * be keyed by the contact's `@lid` when WhatsApp has no phone mapping).
 */
/**
 * The chat a follow's presence is kept under: its own id, or, for a contact
 * followed by LID whose phone WhatsApp knows, the phone-id chat that carries
 * that LID beside it.
 */
export function chatOfFollow(table: Record<string, ChatPresence> | undefined, followId: string): ChatPresence | undefined {
  if (!table) return undefined;
  if (table[followId]) return table[followId];
  if (!followId.endsWith('@lid')) return undefined;
  return Object.values(table).find((chat) => chat.presences[chat.id]?.lid === followId);
}

export function contactStatus(chatId: string, chat: ChatPresence | undefined, nowMs: number): StatusWording {
  if (!chat) return NO_NEWS;
  const presences = Object.values(chat.presences);
  const own = chat.presences[chatId] ?? presences.sort((a, b) => b.at - a.at)[0];
  return own ? presenceText(own, nowMs) : NO_NEWS;
}

/** A group: who is typing or recording ("Alice typing…, Bob recording…"), else that nobody is. */
export function groupStatus(chat: ChatPresence | undefined, nameOf: NameOf): StatusWording {
  const active = Object.values(chat?.presences ?? {})
    .filter((p) => p.lastKnownPresence === 'typing' || p.lastKnownPresence === 'recording')
    .sort((a, b) => a.at - b.at);
  if (!active.length) return { text: chat ? 'nobody typing' : NO_NEWS.text, tone: 'idle' };
  return {
    text: active.map((p) => `${nameOf(p.participant)} ${p.lastKnownPresence === 'typing' ? 'typing…' : 'recording…'}`).join(', '),
    tone: 'active',
  };
}
