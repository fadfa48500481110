import * as v from 'valibot';
import { isChatId } from '../ids/chat-id';
import { CONTROL_OPS, WAHA_PRESENCES, type ControlErrorKind, type ControlOp, type WahaPresence } from './types';

/**
 * A backend's request, checked against WAHA's bodies before anything acts:
 * an unknown operation, a missing or extra field, a bad chat id each get
 * their own sentence, and nothing is done.
 */
export type ControlRequest =
  | { op: 'presence.set'; presence: 'online' | 'offline' }
  | { op: 'presence.set'; presence: 'typing' | 'recording' | 'paused'; chatId: string }
  | { op: 'presence.list' }
  | { op: 'presence.get' | 'presence.subscribe' | 'typing.start' | 'typing.stop'; chatId: string };

export type RequestCheck = { ok: true; request: ControlRequest } | { ok: false; kind: ControlErrorKind; message: string };

const GLOBAL_PRESENCES: ReadonlySet<WahaPresence> = new Set(['online', 'offline']);

const paramsOf = (params: unknown): Record<string, unknown> | null =>
  params === undefined || params === null ? {} : typeof params === 'object' && !Array.isArray(params) ? (params as Record<string, unknown>) : null;

const chatIdField = v.pipe(v.string('chatId must be a string'), v.maxLength(128, 'chatId is too long'));

function checkChatId(params: Record<string, unknown>, op: string): RequestCheck | string {
  if (params.chatId === undefined) return { ok: false, kind: 'bad_request', message: `${op} requires the 'chatId' field.` };
  const parsed = v.safeParse(chatIdField, params.chatId);
  if (!parsed.success) return { ok: false, kind: 'bad_request', message: parsed.issues[0].message };
  if (!isChatId(parsed.output)) {
    return { ok: false, kind: 'bad_id', message: `"${parsed.output.slice(0, 80)}" is not a WhatsApp chat id (expected …@c.us, …@g.us or …@lid)` };
  }
  return parsed.output;
}

const ALLOWED_FIELDS: Record<ControlOp, readonly string[]> = {
  'presence.set': ['presence', 'chatId'],
  'presence.list': [],
  'presence.get': ['chatId'],
  'presence.subscribe': ['chatId'],
  'typing.start': ['chatId'],
  'typing.stop': ['chatId'],
};

export function checkRequest(op: string, rawParams: unknown): RequestCheck {
  if (!(CONTROL_OPS as readonly string[]).includes(op)) {
    return { ok: false, kind: 'unknown_op', message: `"${op.slice(0, 64)}" is not an operation (expected one of ${CONTROL_OPS.join(', ')})` };
  }
  const known = op as ControlOp;
  const params = paramsOf(rawParams);
  if (!params) return { ok: false, kind: 'bad_request', message: `${known}: params must be an object` };
  const extra = Object.keys(params).filter((field) => !ALLOWED_FIELDS[known].includes(field));
  if (extra.length) return { ok: false, kind: 'bad_request', message: `${known} does not take ${extra.map((field) => `'${field.slice(0, 40)}'`).join(', ')}` };

  if (known === 'presence.list') return { ok: true, request: { op: known } };
  if (known === 'presence.set') {
    const presence = params.presence;
    if (typeof presence !== 'string' || !(WAHA_PRESENCES as readonly string[]).includes(presence)) {
      return { ok: false, kind: 'bad_request', message: `'presence' must be one of ${WAHA_PRESENCES.join(', ')}` };
    }
    // WAHA's own rule and wording (its PresenceController).
    if (GLOBAL_PRESENCES.has(presence as WahaPresence)) {
      if (params.chatId !== undefined) {
        return { ok: false, kind: 'bad_request', message: `'${presence}' presence works on the global scope and doesn't require 'chatId' field.` };
      }
      return { ok: true, request: { op: known, presence: presence as 'online' | 'offline' } };
    }
    if (params.chatId === undefined) return { ok: false, kind: 'bad_request', message: `'${presence}' presence requires 'chatId' field.` };
    const chatId = checkChatId(params, known);
    return typeof chatId === 'string' ? { ok: true, request: { op: known, presence: presence as 'typing' | 'recording' | 'paused', chatId } } : chatId;
  }
  const chatId = checkChatId(params, known);
  return typeof chatId === 'string' ? { ok: true, request: { op: known, chatId } } : chatId;
}
