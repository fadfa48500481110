import { z } from 'zod';
import { PRESENCE_STATES } from '../presence/types';
import { OWN_CHAT_STATES, type PageCommand, type PageCommandValues } from './commands';
import { jid } from './page-messages';

/**
 * What each page command may answer, checked in the content script before
 * anything from the (untrusted) page world goes further: ids are ids, names are
 * bounded strings, lists are bounded.
 */
const entry = z.object({ id: jid, name: z.string().max(256), isGroup: z.boolean() });

const valueSchemas: { [K in PageCommand['type']]: z.ZodType<PageCommandValues[K]> } = {
  chatstate: z.object({ chatId: jid, state: z.enum(OWN_CHAT_STATES) }),
  online: z.object({ pinned: z.boolean() }),
  offline: z.object({ pinned: z.boolean() }),
  subscribe: z.object({ chatId: jid, api: z.enum(['subscribeUserPresence', 'subscribeGroupPresence', 'subscribePresence']), address: jid }),
  listChats: z.object({ chats: z.array(entry).max(10_000), contacts: z.array(entry).max(10_000) }),
  readPresence: z.object({
    id: jid,
    presences: z
      .array(z.object({ participant: jid, lastKnownPresence: z.enum(PRESENCE_STATES), lastSeen: z.number().int().positive().nullable() }))
      .max(5_000),
  }),
};

export type ParsedValue<T> = { ok: true; value: T } | { ok: false; reason: string };

export function parseCommandValue<K extends PageCommand['type']>(type: K, value: unknown): ParsedValue<PageCommandValues[K]> {
  const result = valueSchemas[type].safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  return { ok: false, reason: `${issue?.path.join('.') || 'value'}: ${issue?.message ?? 'invalid'}` };
}
