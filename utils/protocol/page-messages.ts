import { z } from 'zod';
import { PRESENCE_STATES } from '../presence/types';
import { CAPABILITIES } from './capabilities';
import { COMMAND_ERROR_KINDS } from './commands';

/**
 * Messages the page-world script sends to the content script over the private
 * MessagePort. The page world is untrusted: the content script parses every
 * message with these schemas and drops what does not fit, with a reason.
 * (The page-world bundle imports only the types, so zod stays out of the page.)
 */

/** Bounded strings: a JID is `<user>@<server>`, nothing else travels as an id. */
export const jid = z.string().max(128).regex(/^[0-9A-Za-z._:-]+@(c\.us|g\.us|lid|broadcast|newsletter)$/, 'not a WhatsApp id');
const version = z.string().max(64);
/** Unix ms; ordering is the background's job, the page only has to send a sane number. */
const timestampMs = z.number().int().positive();

export const presenceSignalSchema = z.object({
  chatId: jid,
  participant: jid,
  state: z.enum(PRESENCE_STATES),
  lastSeen: z.number().int().positive().nullable(),
  lid: jid.regex(/@lid$/, 'not a LID').optional(),
  at: timestampMs,
  source: z.enum(['stanza', 'model']),
});

export const meSchema = z.object({
  id: jid,
  pushName: z.string().max(256).optional(),
  lid: jid.optional(),
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
export const incomingMessageSchema = z.object({ chatId: jid, participant: jid, at: timestampMs });

export const sessionReportSchema = z.object({
  kind: z.literal('session'),
  state: z.enum(SESSION_STATES),
  /** WhatsApp's own name for it (`Socket.state`, e.g. CONFLICT), for the operator and the logs. */
  waState: z.string().max(32).regex(/^[A-Z_]*$/).optional(),
  me: meSchema.optional(),
  version,
});

export const hookReportSchema = z.object({
  kind: z.literal('hook'),
  capability: z.enum(CAPABILITIES),
  status: z.enum(CAPABILITY_STATUSES),
  detail: z.string().max(512).optional(),
  version,
});

export const pageMessageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('presence'), signal: presenceSignalSchema }),
  z.object({ kind: z.literal('message'), message: incomingMessageSchema }),
  sessionReportSchema,
  hookReportSchema,
  /** WhatsApp forgot every presence subscription (it went offline): the followed contacts need renewing. */
  z.object({ kind: z.literal('subscriptionsDropped'), at: timestampMs }),
  /** The answer to a command from the content script (its value is checked per command there). */
  z.object({
    kind: z.literal('reply'),
    id: z.string().max(64),
    ok: z.boolean(),
    value: z.unknown().optional(),
    error: z.string().max(512).optional(),
    errorKind: z.enum(COMMAND_ERROR_KINDS).optional(),
  }),
]);

export type PageMessage = z.infer<typeof pageMessageSchema>;
export type IncomingMessage = z.infer<typeof incomingMessageSchema>;
export type SessionState = (typeof SESSION_STATES)[number];
export type CapabilityStatusName = (typeof CAPABILITY_STATUSES)[number];
export type HookReport = Extract<PageMessage, { kind: 'hook' }>;
export type SessionReport = Extract<PageMessage, { kind: 'session' }>;
export type CommandReply = Extract<PageMessage, { kind: 'reply' }>;

export type { CapabilityName } from './capabilities';

export type ParsedPageMessage = { ok: true; message: PageMessage } | { ok: false; reason: string };

/** Validates one message from the page world; the reason is short enough for a log line. */
export function parsePageMessage(data: unknown): ParsedPageMessage {
  const result = pageMessageSchema.safeParse(data);
  if (result.success) return { ok: true, message: result.data };
  const issue = result.error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : 'message';
  return { ok: false, reason: `${where}: ${issue?.message ?? 'invalid'}` };
}
