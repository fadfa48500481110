import * as v from 'valibot';
import { describeIssue } from '../protocol/page-messages';
import { CONTROL_PROTOCOL, type ControlErrorKind } from './types';

/**
 * The frames a control server may send (docs/control-channel.md), checked
 * before anything acts on them: the server is trusted only once it proved the
 * key, and even then a malformed frame must not reach the commands.
 */
export const MAX_FRAME_CHARS = 256 * 1024;

const nonce = v.pipe(v.string(), v.regex(/^[\w-]{22,128}$/, 'a base64url nonce of at least 16 bytes'));
const hexProof = v.pipe(v.string(), v.regex(/^[0-9a-f]{128}$/, 'a lowercase hex HMAC-SHA512'));
export const requestIdSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(64));

const serverFrameSchema = v.variant('type', [
  v.object({ type: v.literal('challenge'), protocol: v.literal(CONTROL_PROTOCOL), nonce }),
  v.object({ type: v.literal('welcome'), signature: hexProof }),
  v.object({ type: v.literal('request'), id: requestIdSchema, op: v.pipe(v.string(), v.maxLength(64)), params: v.optional(v.unknown()) }),
  v.object({ type: v.literal('pong') }),
]);

export type ServerFrame = v.InferOutput<typeof serverFrameSchema>;

export type FrameCheck = { ok: true; frame: ServerFrame } | { ok: false; reason: string };

/** One text frame from the server: a known frame, or why not (the client then closes with 4400). */
export function parseServerFrame(text: unknown): FrameCheck {
  if (typeof text !== 'string') return { ok: false, reason: 'a binary frame (the protocol is JSON text)' };
  if (text.length > MAX_FRAME_CHARS) return { ok: false, reason: `a frame of ${text.length} characters (at most ${MAX_FRAME_CHARS})` };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'a frame that is not JSON' };
  }
  const result = v.safeParse(serverFrameSchema, data);
  return result.success ? { ok: true, frame: result.output } : { ok: false, reason: describeIssue(result.issues, 'frame') };
}

/** What the client sends, serialized in one place. */
export const helloFrame = (hello: { session: string; clientNonce: string; signature: string; version: string }) =>
  JSON.stringify({ type: 'hello', ...hello });
export const pingFrame = () => JSON.stringify({ type: 'ping' });
export const responseFrame = (id: string, answer: { ok: true; result: unknown } | { ok: false; error: { kind: ControlErrorKind; message: string } }) =>
  JSON.stringify({ type: 'response', id, ...answer });

/** Close codes of the protocol. */
export const CLOSE = {
  protocolError: 4400,
  badSignature: 4401,
  handshakeTimeout: 4408,
  replaced: 4409,
} as const;
