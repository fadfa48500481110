import type { ChatPresences } from '../../protocol/commands';
import { lastSeenOf } from '../model-to-signal';
import { widToString } from '../wid';
import type { IdResolver } from '../stanza-to-signal';
import { WA, tryRequire } from '../wa-modules';
import type { CommandContext } from './context';

type Entry = ChatPresences['presences'][number];

/** A contact's current state from its Presence model; null when WhatsApp knows nothing yet. */
function contactEntry(presence: any, participant: string): Entry | null {
  const type = presence.chatstate?.type;
  if (type === 'typing') return { participant, lastKnownPresence: 'typing', lastSeen: null };
  if (type === 'recording_audio') return { participant, lastKnownPresence: 'recording', lastSeen: null };
  if (presence.isOnline === true) return { participant, lastKnownPresence: 'online', lastSeen: null };
  if (type === 'unavailable' || presence.isOnline === false) {
    return { participant, lastKnownPresence: 'offline', lastSeen: lastSeenOf(presence.chatstate) };
  }
  return null;
}

/** A group member's state: only typing and recording are shown per member; anything else is paused. */
function memberEntry(chatstate: any, resolve: IdResolver): Entry | null {
  const id = widToString(chatstate?.id);
  if (!id) return null;
  const state = chatstate.type === 'typing' ? 'typing' : chatstate.type === 'recording_audio' ? 'recording' : 'paused';
  return { participant: resolve(id), lastKnownPresence: state, lastSeen: null };
}

/**
 * WAHA's `GET /presence/{chatId}` from WhatsApp's own Presence models. Reads
 * with `get`, never `find` (which would subscribe). 1:1 presence lives under
 * the contact's LID on 2026 builds, so both the phone id and the LID are read.
 */
export async function readPresence(ctx: CommandContext, chatId: string, resolve: IdResolver): Promise<ChatPresences> {
  ctx.needLoggedIn();
  const collection = ctx.need(WA.presenceCollection, 'PresenceCollection');
  const wid = ctx.wid(chatId);
  const result: ChatPresences = { id: chatId, presences: [] };
  if (chatId.endsWith('@g.us')) {
    // A group's own chatstate is only a summary: members are in `chatstates`.
    const group = collection.get(wid);
    const members: any[] = group?.hasData ? (group.chatstates?.getModelsArray?.() ?? []) : [];
    result.presences = members.map((member) => memberEntry(member, resolve)).filter((entry) => entry !== null);
    return result;
  }
  const chat = ctx.chat(wid);
  const lid = chatId.endsWith('@c.us') ? (chat?.accountLid ?? (await tryRequire(ctx.win, WA.apiContact)?.getCurrentLid?.(wid))) : undefined;
  const candidates = [lid && collection.get(lid), collection.get(wid)].filter((presence) => presence?.hasData);
  const entry = candidates.length ? contactEntry(candidates[0], chatId) : null;
  if (entry) result.presences.push(entry);
  return result;
}
