import type { PresenceSignal, PresenceState } from '../presence/types';
import { wireJidToString } from './wire-jid';

/** The part of a decoded WhatsApp stanza (`{tag, attrs, content}`) we read. */
export interface StanzaNode {
  tag?: unknown;
  attrs?: Record<string, unknown> | null;
  content?: unknown;
}

/** Maps an id to the one a backend knows (a `@lid` to its `@c.us` phone id when known). */
export type IdResolver = (jid: string) => string;

/** Cheap pre-filter for the hot path: only these tags can carry presence. */
export function isPresenceStanza(node: unknown): node is StanzaNode {
  const tag = (node as StanzaNode | null)?.tag;
  return tag === 'presence' || tag === 'chatstate';
}

/** `last` is Unix seconds, `deny` (hidden by privacy) or absent. */
function parseLastSeen(last: unknown): number | null {
  if (typeof last !== 'string' && typeof last !== 'number') return null;
  const seconds = Number(last);
  return Number.isSafeInteger(seconds) && seconds > 0 ? seconds : null;
}

function presenceSignal(attrs: Record<string, unknown>, resolve: IdResolver, at: number) {
  const from = wireJidToString(attrs.from);
  if (!from) return null;
  const id = resolve(from);
  const offline = attrs.type === 'unavailable';
  const state: PresenceState = offline ? 'offline' : 'online';
  const lastSeen = offline ? parseLastSeen(attrs.last) : null;
  return { chatId: id, participant: id, state, lastSeen, at, source: 'stanza' as const };
}

function chatstateSignal(node: StanzaNode, resolve: IdResolver, at: number) {
  const attrs = node.attrs ?? {};
  const from = wireJidToString(attrs.from);
  if (!from) return null;
  const child = Array.isArray(node.content) ? (node.content[0] as StanzaNode | undefined) : undefined;
  let state: PresenceState;
  if (child?.tag === 'composing') state = child.attrs?.media === 'audio' ? 'recording' : 'typing';
  else if (child?.tag === 'paused') state = 'paused';
  else return null; // an unknown chatstate is not guessed at
  const chatId = resolve(from);
  const member = attrs.participant === undefined ? null : wireJidToString(attrs.participant);
  const participant = member ? resolve(member) : chatId;
  return { chatId, participant, state, lastSeen: null, at, source: 'stanza' as const };
}

/**
 * Maps a decoded `presence` or `chatstate` stanza to a presence signal, as
 * WAHA's WEBJS engine does (src/core/engines/webjs/presence.ts): exact
 * `paused`, exact `last`. Returns null for anything that is not presence.
 */
export function stanzaToSignal(node: unknown, resolve: IdResolver, at: number): PresenceSignal | null {
  if (!isPresenceStanza(node) || !node.attrs || typeof node.attrs !== 'object') return null;
  return node.tag === 'presence'
    ? presenceSignal(node.attrs, resolve, at)
    : chatstateSignal(node, resolve, at);
}
