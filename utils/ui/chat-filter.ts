import type { ChatEntry } from '@/utils/protocol/commands';

/**
 * The chat picker's filter: by name (case and accents ignored) or by number
 * (any notation: "+1 555-111", "1555111"). Names that start with the query
 * come first. Only `limit` matches are returned so that the listbox stays
 * fast with thousands of chats; `total` says how many matched.
 */

/** Lower case without accents, so "jose" finds "José". */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

const PHONE_LIKE = /^[+\d\s().-]+$/;

export function filterChats(entries: readonly ChatEntry[], query: string, limit = 50): { matches: ChatEntry[]; total: number } {
  const text = foldText(query.trim());
  if (!text) return { matches: entries.slice(0, limit), total: entries.length };
  const digits = PHONE_LIKE.test(text) ? text.replace(/\D/g, '') : '';
  const starts: ChatEntry[] = [];
  const contains: ChatEntry[] = [];
  for (const entry of entries) {
    const name = foldText(entry.name);
    if (name.startsWith(text)) starts.push(entry);
    else if (name.includes(text) || (digits && entry.id.split('@')[0]!.includes(digits))) contains.push(entry);
  }
  const all = starts.concat(contains);
  return { matches: all.slice(0, limit), total: all.length };
}
