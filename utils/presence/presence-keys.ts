import type { ChatPresence, PresenceTable } from './reducer';

/**
 * The presence table lives in `storage.session`, one key per chat
 * (`presence:<chatId>`, a `ChatPresence`): a burst rewrites only the chats
 * that changed, and the popup follows each chat's change on its own. Written
 * only by the background's presence service.
 */
export const PRESENCE_KEY_PREFIX = 'presence:';

export const presenceKey = (chatId: string) => PRESENCE_KEY_PREFIX + chatId;

/**
 * Applies `storage.onChanged` (or `get(null)`) items to a table: a new value is
 * the chat's presence now, no value means the chat was forgotten. Returns a new
 * table when something under the prefix changed, the same one otherwise.
 */
export function withStoredChats(table: PresenceTable, changes: Record<string, { newValue?: unknown }>): PresenceTable {
  let next = table;
  for (const [key, change] of Object.entries(changes)) {
    if (!key.startsWith(PRESENCE_KEY_PREFIX)) continue;
    if (next === table) next = { ...table };
    const chatId = key.slice(PRESENCE_KEY_PREFIX.length);
    if (isChatPresence(change.newValue)) next[chatId] = change.newValue;
    else delete next[chatId];
  }
  return next;
}

const isChatPresence = (value: unknown): value is ChatPresence =>
  typeof value === 'object' && value !== null && typeof (value as ChatPresence).id === 'string' && typeof (value as ChatPresence).presences === 'object';
