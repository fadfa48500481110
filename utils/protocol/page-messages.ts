import * as v from 'valibot';
import { PRESENCE_STATES, type PresenceSignal } from '../presence/types';
import { CAPABILITIES } from './capabilities';
import { COMMAND_ERROR_KINDS } from './commands';
import { ITEM_SLOTS, MAX_BATCH, MESSAGE_ITEM, PRESENCE_ITEM, SIGNAL_SOURCES } from './page-channel';

/**
 * Messages the page-world script sends to the content script over the private
 * MessagePort. The page world is untrusted: the content script parses every
 * message with these schemas and drops what does not fit, with a reason.
 * (The page-world bundle imports only the types, so the validator stays out
 * of the page. valibot: no `new Function`, nothing WhatsApp's CSP would report.)
 */

/** A JID is `<user>@<server>`, nothing else travels as an id. */
const JID = /^[0-9A-Za-z._:-]+@(c\.us|g\.us|lid|broadcast|newsletter)$/;
const JID_MAX = 128;
const LID = /@lid$/;
/** Bounded strings: a JID is `<user>@<server>`, nothing else travels as an id. */
export const jid = v.pipe(v.string(), v.maxLength(JID_MAX), v.regex(JID, 'not a WhatsApp id'));
const lid = v.pipe(jid, v.regex(LID, 'not a LID'));
export const boundedString = (max: number) => v.pipe(v.string(), v.maxLength(max));
const version = boundedString(64);
/** A whole number above zero (Unix ms or s); ordering is the background's job, the page only has to send a sane number. */
export const positiveInt = v.pipe(v.number(), v.integer(), v.minValue(1));
const timestampMs = positiveInt;

export const presenceSignalSchema = v.object({
  chatId: jid,
  participant: jid,
  state: v.picklist(PRESENCE_STATES),
  lastSeen: v.nullable(positiveInt),
  lid: v.optional(lid),
  at: timestampMs,
  source: v.picklist(['stanza', 'model']),
});

export const meSchema = v.object({
  id: jid,
  pushName: v.optional(boundedString(256)),
  lid: v.optional(jid),
});

/**
 * What WhatsApp Web's session is doing, from its Socket model (see
 * utils/page/session-state.ts for how each WhatsApp state maps here).
 * `resuming` is a live session reconnecting, not a login; `conflict` means
 * WhatsApp Web was opened in another window; `phone_unreachable`, `blocked`
 * (banned, or a blocking network) and `unsupported` (a WhatsApp build too old)
 * stop presence until the operator acts.
 */
export const SESSION_STATES = [
  'loading',
  'qr',
  'logged_out',
  'resuming',
  'connected',
  'conflict',
  'phone_unreachable',
  'blocked',
  'unsupported',
] as const;
/** `live`: installed and receiving; `quiet`: installed but blind on this build (the other layer sees presence it does not). */
export const CAPABILITY_STATUSES = ['live', 'quiet', 'unavailable'] as const;
/** A message arrived from `participant` in `chatId`: ends their typing (WAHA's stuck-typing bug). */
export const incomingMessageSchema = v.object({ chatId: jid, participant: jid, at: timestampMs });

export const sessionReportSchema = v.object({
  kind: v.literal('session'),
  state: v.picklist(SESSION_STATES),
  /** WhatsApp's own name for it (`Socket.state`, e.g. CONFLICT), for the operator and the logs. */
  waState: v.optional(v.pipe(v.string(), v.maxLength(32), v.regex(/^[A-Z_]*$/))),
  me: v.optional(meSchema),
  version,
});

export const hookReportSchema = v.object({
  kind: v.literal('hook'),
  capability: v.picklist(CAPABILITIES),
  status: v.picklist(CAPABILITY_STATUSES),
  detail: v.optional(boundedString(512)),
  version,
});

export const pageMessageSchema = v.variant('kind', [
  v.object({ kind: v.literal('presence'), signal: presenceSignalSchema }),
  v.object({ kind: v.literal('message'), message: incomingMessageSchema }),
  sessionReportSchema,
  hookReportSchema,
  /** WhatsApp forgot every presence subscription (it went offline): the followed contacts need renewing. */
  v.object({ kind: v.literal('subscriptionsDropped'), at: timestampMs }),
  /** The answer to a command from the content script (its value is checked per command there). */
  v.object({
    kind: v.literal('reply'),
    id: boundedString(64),
    ok: v.boolean(),
    value: v.optional(v.unknown()),
    error: v.optional(boundedString(512)),
    errorKind: v.optional(v.picklist(COMMAND_ERROR_KINDS)),
  }),
]);

export type PageMessage = v.InferOutput<typeof pageMessageSchema>;
export type IncomingMessage = v.InferOutput<typeof incomingMessageSchema>;
export type SessionState = (typeof SESSION_STATES)[number];
export type CapabilityStatusName = (typeof CAPABILITY_STATUSES)[number];
export type HookReport = Extract<PageMessage, { kind: 'hook' }>;
export type SessionReport = Extract<PageMessage, { kind: 'session' }>;
export type CommandReply = Extract<PageMessage, { kind: 'reply' }>;

export type { CapabilityName } from './capabilities';

export type ParsedPageMessage = { ok: true; message: PageMessage } | { ok: false; reason: string };

/** The first issue as `where: what` (`0.chatId: not a WhatsApp id`), short enough for a log line. */
export function describeIssue(issues: readonly v.BaseIssue<unknown>[], whole: string): string {
  const issue = issues[0];
  return `${(issue && v.getDotPath(issue)) || whole}: ${issue?.message ?? 'invalid'}`;
}

/** Validates one message from the page world. */
export function parsePageMessage(data: unknown): ParsedPageMessage {
  const result = v.safeParse(pageMessageSchema, data);
  return result.success ? { ok: true, message: result.output } : { ok: false, reason: describeIssue(result.issues, 'message') };
}

/*
 * Batches (utils/protocol/page-channel.ts has the layout). Each item is read on
 * its own: a bad one is dropped with its reason and the others pass, in order.
 * The hot items (one per presence or message stanza) are checked by hand
 * instead of by valibot: the content script runs on the page's main thread,
 * and a schema parse per stanza (output objects, issue lists, pipelines) cost
 * more than the rest of its work. The checks are the schemas' own, rule for
 * rule (tests/unit/page-protocol.test.ts holds the two side by side on every
 * rule), so what passes here passes presenceSignalSchema in the background.
 */

/** A slot value to what it stands for (an index, exactly: `1.0` is 1, `'1'` is nothing). */
const slotOf = <T>(values: readonly T[], slot: unknown): T | undefined => (typeof slot === 'number' ? values[slot] : undefined);
const isJid = (value: unknown): value is string => typeof value === 'string' && value.length <= JID_MAX && JID.test(value);
const isPositiveInt = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 1;

/** The signal of the presence item at `i`, or why not (`signal.<field>: <what>`, as the schema would say). */
export function readPresenceItem(batch: readonly unknown[], i: number): PresenceSignal | string {
  const chatId = batch[i + 1];
  const participant = batch[i + 2] ?? chatId;
  const state = slotOf(PRESENCE_STATES, batch[i + 3]);
  const lastSeen = batch[i + 4];
  const at = batch[i + 5];
  const source = slotOf(SIGNAL_SOURCES, batch[i + 6]);
  const lid = batch[i + 7];
  if (!isJid(chatId)) return 'signal.chatId: not a WhatsApp id';
  if (!isJid(participant)) return 'signal.participant: not a WhatsApp id';
  if (state === undefined) return 'signal.state: not a presence state';
  if (lastSeen !== null && !isPositiveInt(lastSeen)) return 'signal.lastSeen: not a positive whole number or null';
  if (!isPositiveInt(at)) return 'signal.at: not a positive whole number';
  if (source === undefined) return 'signal.source: not stanza or model';
  const signal: PresenceSignal = { chatId, participant, state, lastSeen, at, source };
  if (lid !== null) {
    if (!isJid(lid) || !LID.test(lid)) return 'signal.lid: not a LID';
    signal.lid = lid;
  }
  return signal;
}

/** The message of the message item at `i`, or why not. */
export function readMessageItem(batch: readonly unknown[], i: number): IncomingMessage | string {
  const chatId = batch[i + 1];
  const participant = batch[i + 2] ?? chatId;
  const at = batch[i + 3];
  if (!isJid(chatId)) return 'message.chatId: not a WhatsApp id';
  if (!isJid(participant)) return 'message.participant: not a WhatsApp id';
  if (!isPositiveInt(at)) return 'message.at: not a positive whole number';
  return { chatId, participant, at };
}

export interface ParsedPageBatch {
  /** What fitted, in the order the page sent it. */
  messages: PageMessage[];
  /** Why each dropped item was dropped (`<index>: <reason>` in a batch), in order. */
  dropped: string[];
  /** Items in the port message (1 for a single message). */
  size: number;
}

/**
 * Validates one port message from the page world: a batch of hot items, item
 * by item (at most MAX_BATCH are read; one entry in `dropped` says how many
 * were not), or a single message for the schemas.
 */
export function parsePageBatch(data: unknown): ParsedPageBatch {
  if (!Array.isArray(data)) {
    const parsed = parsePageMessage(data);
    return parsed.ok ? { messages: [parsed.message], dropped: [], size: 1 } : { messages: [], dropped: [parsed.reason], size: 1 };
  }
  const messages: PageMessage[] = [];
  const dropped: string[] = [];
  const size = Math.ceil(data.length / ITEM_SLOTS);
  const read = Math.min(Math.floor(data.length / ITEM_SLOTS), MAX_BATCH);
  for (let n = 0; n < read; n++) {
    const i = n * ITEM_SLOTS;
    const kind = data[i];
    if (kind === PRESENCE_ITEM) {
      const signal = readPresenceItem(data, i);
      if (typeof signal === 'string') dropped.push(`${n}: ${signal}`);
      else messages.push({ kind: 'presence', signal });
    } else if (kind === MESSAGE_ITEM) {
      const message = readMessageItem(data, i);
      if (typeof message === 'string') dropped.push(`${n}: ${message}`);
      else messages.push({ kind: 'message', message });
    } else dropped.push(`${n}: not an item of a batch`);
  }
  if (size > read) dropped.push(`${read}–${size - 1}: ${size - read} items not read (${size > MAX_BATCH ? `past the batch limit of ${MAX_BATCH}` : 'incomplete'})`);
  return { messages, dropped, size };
}
