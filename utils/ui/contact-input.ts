import { displayNumber, parseChatId } from '@/utils/ids/chat-id';
import type { ChatEntry } from '@/utils/protocol/commands';
import { foldText } from './chat-filter';

/**
 * What the operator typed in "Contact": a phone number or id (normalized to
 * `…@c.us` by parseChatId), or a name found in WhatsApp's chats and contacts.
 * Every refusal says what to type instead.
 */
export type ContactChoice = { ok: true; id: string; name: string } | { ok: false; error: string };

const LOOKS_LIKE_ID = /^[+\d\s().-]+$|@/;
const SHOWN_CANDIDATES = 3;

export function resolveContact(input: string, entries: readonly ChatEntry[] | null, listError?: string): ContactChoice {
  const text = input.trim();
  if (!text) return { ok: false, error: 'Enter a name, or a phone number with its country code.' };
  if (LOOKS_LIKE_ID.test(text)) {
    const parsed = parseChatId(text);
    if (!parsed.ok) return parsed;
    const known = entries?.find((entry) => entry.id === parsed.id);
    return { ok: true, id: parsed.id, name: known?.name || displayNumber(parsed.id) };
  }
  if (!entries) {
    const why = listError ? ` (${listError.replace(/[.\s]+$/, '')})` : '';
    return { ok: false, error: `WhatsApp's chat list is not available${why}: enter the phone number instead.` };
  }
  const wanted = foldText(text);
  const exact = entries.filter((entry) => foldText(entry.name) === wanted);
  if (exact.length === 1) return pick(exact[0]!);
  if (exact.length > 1) return { ok: false, error: `${exact.length} chats are named "${text}": enter the phone number instead.` };
  const partial = entries.filter((entry) => foldText(entry.name).includes(wanted));
  if (partial.length === 1) return pick(partial[0]!);
  if (partial.length > 1) {
    const names = partial.slice(0, SHOWN_CANDIDATES).map((entry) => entry.name).join(', ');
    return { ok: false, error: `"${text}" matches ${partial.length} chats (${names}${partial.length > SHOWN_CANDIDATES ? '…' : ''}): type more of the name.` };
  }
  return { ok: false, error: `No chat or contact is named "${text}". Enter the phone number with its country code.` };
}

function pick(entry: ChatEntry): ContactChoice {
  return { ok: true, id: entry.id, name: entry.name };
}
