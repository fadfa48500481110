import * as v from 'valibot';
import { OWN_CHAT_STATES } from './commands';
import { boundedString, describeIssue, hookReportSchema, incomingMessageSchema, presenceSignalSchema, sessionReportSchema } from './page-messages';
import type { TabEvent } from './session-port';

/**
 * What the content script sends the background, checked again there: the
 * content script validated it from the page, but a compromised renderer could
 * send anything, and nothing malformed must reach the reducer or storage.
 * The same schemas as the page protocol, so both checks agree.
 */
const timeMs = v.pipe(v.number(), v.integer(), v.minValue(0));
/** Only typing and recording are held: paused is a one-off. */
const HELD_CHAT_STATES = OWN_CHAT_STATES.filter((state): state is Exclude<typeof state, 'paused'> => state !== 'paused');
const ownPresenceSchema = v.object({
  online: v.nullable(v.object({ since: timeMs, until: timeMs })),
  chatstate: v.nullable(v.object({ chatId: boundedString(128), state: v.picklist(HELD_CHAT_STATES), until: timeMs })),
});

export const contentMessageSchemas = {
  /** A batch: bounded like the content script's own retry buffer. */
  presenceSignals: v.pipe(v.array(presenceSignalSchema), v.maxLength(5000)),
  incomingMessage: incomingMessageSchema,
  sessionReport: sessionReportSchema,
  hookReport: hookReportSchema,
  ownPresence: ownPresenceSchema,
};

export type ContentMessageType = keyof typeof contentMessageSchemas;

/** The payload if it fits, else an error that names what does not. */
export function checkContentMessage<K extends ContentMessageType>(type: K, data: unknown): v.InferOutput<(typeof contentMessageSchemas)[K]> {
  const result = v.safeParse(contentMessageSchemas[type], data);
  if (result.success) return result.output as v.InferOutput<(typeof contentMessageSchemas)[K]>;
  throw new Error(`refused ${type}: ${describeIssue(result.issues, 'payload')}`);
}

const tabEventSchema = v.union([v.object({ signal: presenceSignalSchema }), v.object({ message: incomingMessageSchema })]);

/** One event from the session port (utils/protocol/session-port.ts), checked like the messages above. */
export function checkTabEvent(event: unknown): TabEvent {
  const result = v.safeParse(tabEventSchema, event);
  if (result.success) return result.output;
  throw new Error(`refused event: ${describeIssue(result.issues, 'event')}`);
}
