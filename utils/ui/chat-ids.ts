import { displayNumber } from '@/utils/ids/chat-id';
import type { ChatEntry, ChatList } from '@/utils/protocol/commands';

/**
 * Names for ids. The popup shows people by the name WhatsApp shows them, and
 * falls back to the phone number when WhatsApp has no name (or the chat list
 * could not be read).
 */

/** Chats first (most recent first), then saved contacts without a chat: one entry per id. */
export function mergeChatList(list: ChatList): ChatEntry[] {
  const seen = new Set<string>();
  const merged: ChatEntry[] = [];
  for (const entry of [...list.chats, ...list.contacts]) {
    if (seen.has(entry.id)) continue;
    seen.add(entry.id);
    merged.push(entry);
  }
  return merged;
}

export type NameOf = (id: string) => string;

/** A lookup from id to name, falling back to the number. */
export function nameLookup(entries: readonly ChatEntry[], extra: ReadonlyArray<{ id: string; name: string }> = []): NameOf {
  const names = new Map<string, string>();
  for (const { id, name } of [...extra, ...entries]) if (name) names.set(id, name);
  return (id) => names.get(id) ?? displayNumber(id);
}
