import { displayNumber } from '../../ids/chat-id';
import type { ChatEntry, ChatList } from '../../protocol/commands';
import { widToString } from '../wid';
import { WA } from '../wa-modules';
import type { CommandContext } from './context';

/** Bounds the reply (the content script refuses larger ones). */
export const MAX_ENTRIES = 5000;
const LISTED = /@(c\.us|g\.us|lid)$/;

const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim().slice(0, 256) : undefined);

function chatEntry(chat: any): ChatEntry | null {
  const id = widToString(chat?.id);
  if (!id || !LISTED.test(id)) return null; // channels, broadcasts, status
  const name = text(chat.formattedTitle) ?? text(chat.name) ?? displayNumber(id);
  return { id, name, isGroup: id.endsWith('@g.us') };
}

function contactEntry(contact: any): ChatEntry | null {
  const id = widToString(contact?.id);
  if (!id?.endsWith('@c.us') || contact.isMyContact !== true) return null;
  const name = text(contact.name) ?? text(contact.pushname) ?? text(contact.formattedName) ?? displayNumber(id);
  return { id, name, isGroup: false };
}

/**
 * Chats and saved contacts for the popup's pickers, from WhatsApp's local
 * collections only: no message loading and no group metadata query (which
 * `WWebJS.getChats` would do for every group).
 */
export function listChats(ctx: CommandContext): ChatList {
  ctx.needLoggedIn();
  const chats: any[] = ctx.needFunction(WA.collections, 'Chat.getModelsArray')();
  const contacts: any[] = ctx.needFunction(WA.collections, 'Contact.getModelsArray')();
  const byRecent = [...chats].sort((a, b) => (Number(b?.t) || 0) - (Number(a?.t) || 0));
  return {
    chats: byRecent.map(chatEntry).filter((entry) => entry !== null).slice(0, MAX_ENTRIES),
    contacts: contacts
      .map(contactEntry)
      .filter((entry) => entry !== null)
      .sort((a, b) => a.name.localeCompare(b.name))
      .slice(0, MAX_ENTRIES),
  };
}
