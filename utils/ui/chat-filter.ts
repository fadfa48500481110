import type { ChatEntry } from '@/utils/protocol/commands';

/**
 * The chat picker's filter: by name (case and accents ignored) or by number
 * (any notation: "+1 555-111", "1555111"). Names that start with the query
 * come first, then names with a word that does, then the rest. Only `limit` matches are returned so that the listbox stays
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
  const wordStarts: ChatEntry[] = [];
  const contains: ChatEntry[] = [];
  for (const entry of entries) {
    const name = foldText(entry.name);
    const at = name.indexOf(text);
    if (at === 0) starts.push(entry);
    else if (at > 0 && /[\s(.-]/.test(name[at - 1]!)) wordStarts.push(entry);
    else if (at > 0 || (digits && entry.id.split('@')[0]!.includes(digits))) contains.push(entry);
  }
  const all = [...starts, ...wordStarts, ...contains];
  return { matches: all.slice(0, limit), total: all.length };
}
