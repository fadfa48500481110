import { z } from 'zod';
import { OWN_CHAT_STATES } from './commands';
import { hookReportSchema, incomingMessageSchema, presenceSignalSchema, sessionReportSchema } from './page-messages';

/**
 * What the content script sends the background, checked again there: the
 * content script validated it from the page, but a compromised renderer could
 * send anything, and nothing malformed must reach the reducer or storage.
 * The same schemas as the page protocol, so both checks agree.
 */
const ownPresenceSchema = z.object({
  online: z.object({ since: z.number().int().nonnegative(), until: z.number().int().nonnegative() }).nullable(),
  chatstate: z.object({ chatId: z.string().max(128), state: z.enum(OWN_CHAT_STATES).exclude(['paused']), until: z.number().int().nonnegative() }).nullable(),
});

export const contentMessageSchemas = {
  /** A batch: bounded like the content script's own retry buffer. */
  presenceSignals: z.array(presenceSignalSchema).max(5000),
  incomingMessage: incomingMessageSchema,
  sessionReport: sessionReportSchema,
  hookReport: hookReportSchema,
  ownPresence: ownPresenceSchema,
};

export type ContentMessageType = keyof typeof contentMessageSchemas;

/** The payload if it fits, else an error that names what does not. */
export function checkContentMessage<K extends ContentMessageType>(type: K, data: unknown): z.infer<(typeof contentMessageSchemas)[K]> {
  const result = contentMessageSchemas[type].safeParse(data);
  if (result.success) return result.data as z.infer<(typeof contentMessageSchemas)[K]>;
  const issue = result.error.issues[0];
  throw new Error(`refused ${type}: ${issue?.path.join('.') || 'payload'}: ${issue?.message ?? 'invalid'}`);
}
