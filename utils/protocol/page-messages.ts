import * as v from 'valibot';
import { PRESENCE_STATES } from '../presence/types';
import { CAPABILITIES } from './capabilities';
import { COMMAND_ERROR_KINDS } from './commands';

/**
 * Messages the page-world script sends to the content script over the private
 * MessagePort. The page world is untrusted: the content script parses every
 * message with these schemas and drops what does not fit, with a reason.
 * (The page-world bundle imports only the types, so the validator stays out
 * of the page. valibot: no `new Function`, nothing WhatsApp's CSP would report.)
 */

/** Bounded strings: a JID is `<user>@<server>`, nothing else travels as an id. */
export const jid = v.pipe(v.string(), v.maxLength(128), v.regex(/^[0-9A-Za-z._:-]+@(c\.us|g\.us|lid|broadcast|newsletter)$/, 'not a WhatsApp id'));
const lid = v.pipe(jid, v.regex(/@lid$/, 'not a LID'));
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
