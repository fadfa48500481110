/**
 * The control channel's vocabulary (docs/control-channel.md): WAHA's presence
 * operations a team backend may ask for, the kinds of refusal, and what the
 * operator sees of it. Types and constants only, shared by the background and
 * the extension pages.
 */

export const CONTROL_PROTOCOL = 'presence-companion-control.v1';

export const CONTROL_OPS = ['presence.set', 'presence.list', 'presence.get', 'presence.subscribe', 'typing.start', 'typing.stop'] as const;
export type ControlOp = (typeof CONTROL_OPS)[number];

/** WAHA's `WAHAPresenceStatus` as `POST /api/{session}/presence` takes it. */
export const WAHA_PRESENCES = ['online', 'offline', 'typing', 'recording', 'paused'] as const;
export type WahaPresence = (typeof WAHA_PRESENCES)[number];

export const CONTROL_ERROR_KINDS = [
  'bad_request',
  'unknown_op',
  'bad_id',
  'remote_off',
  'unknown_chat',
  'not_on_whatsapp',
  'no_lid',
  'refused_by_cap',
  'no_tab',
  'not_logged_in',
  'capability_missing',
  'whatsapp_failed',
  'internal',
] as const;
export type ControlErrorKind = (typeof CONTROL_ERROR_KINDS)[number];

export type ControlAnswer = { ok: true; result: unknown } | { ok: false; error: { kind: ControlErrorKind; message: string } };

/** One remote request as the operator's history shows it. */
export interface ControlHistoryEntry {
  at: number;
  op: ControlOp | string;
  chatId?: string;
  /** The chat's name when the extension knows it (followed, or in WhatsApp's chat list). */
  chatName?: string;
  presence?: WahaPresence;
  ok: boolean;
  /** Why it was refused or failed (the answer's sentence). */
  error?: string;
}

/** How the channel is doing, for the options page and the popup. */
export interface ControlStatus {
  state: 'off' | 'waiting' | 'connecting' | 'connected' | 'retrying';
  /** Since when (Unix ms) in this state. */
  since: number;
  /** Why it is not connected (the last close, a refused key, a missing permission). */
  detail?: string;
  /** Next attempt (Unix ms), while retrying. */
  retryAt?: number;
}
