import * as v from 'valibot';
import { PRESENCE_STATES } from '../presence/types';
import { OWN_CHAT_STATES, type PageCommand, type PageCommandValues } from './commands';
import { boundedString, describeIssue, jid, positiveInt } from './page-messages';

/**
 * What each page command may answer, checked in the content script before
 * anything from the (untrusted) page world goes further: ids are ids, names are
 * bounded strings, lists are bounded.
 */
const entry = v.object({ id: jid, name: boundedString(256), isGroup: v.boolean() });
const boundedArray = <T extends v.GenericSchema>(item: T, max: number) => v.pipe(v.array(item), v.maxLength(max));

const valueSchemas: { [K in PageCommand['type']]: v.GenericSchema<unknown, PageCommandValues[K]> } = {
  chatstate: v.object({ chatId: jid, state: v.picklist(OWN_CHAT_STATES) }),
  online: v.object({ pinned: v.boolean() }),
  offline: v.object({ pinned: v.boolean() }),
  subscribe: v.object({ chatId: jid, api: v.picklist(['subscribeUserPresence', 'subscribeGroupPresence', 'subscribePresence']), address: jid }),
  listChats: v.object({ chats: boundedArray(entry, 10_000), contacts: boundedArray(entry, 10_000) }),
  readPresence: v.object({
    id: jid,
    presences: boundedArray(v.object({ participant: jid, lastKnownPresence: v.picklist(PRESENCE_STATES), lastSeen: v.nullable(positiveInt) }), 5_000),
  }),
};

export type ParsedValue<T> = { ok: true; value: T } | { ok: false; reason: string };

export function parseCommandValue<K extends PageCommand['type']>(type: K, value: unknown): ParsedValue<PageCommandValues[K]> {
  const schema: v.GenericSchema<unknown, PageCommandValues[K]> = valueSchemas[type];
  const result = v.safeParse(schema, value);
  return result.success ? { ok: true, value: result.output } : { ok: false, reason: describeIssue(result.issues, 'value') };
}
