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

/** Whether the wire said LID and WhatsApp knew the phone: the LID then travels beside the id a backend gets. */
const hasLidBeside = (wire: string, reported: string) => wire !== reported && wire.endsWith('@lid');

/** The LID beside the id a backend gets, as fields to spread. */
export function lidBeside(wire: string, reported: string): { lid?: string } {
  return hasLidBeside(wire, reported) ? { lid: wire } : {};
}

/** A stanza's signal, with `lid` only when there is one (no spread of a throwaway object per stanza). */
function stanzaSignal(chatId: string, participant: string, state: PresenceState, lastSeen: number | null, wire: string, at: number): PresenceSignal {
  const signal: PresenceSignal = { chatId, participant, state, lastSeen, at, source: 'stanza' };
  if (hasLidBeside(wire, participant)) signal.lid = wire;
  return signal;
}

/** Cheap pre-filter for the hot path: only these tags matter to presence. */
export function isTappedStanza(node: unknown): node is StanzaNode {
  const tag = (node as StanzaNode | null)?.tag;
  return tag === 'presence' || tag === 'chatstate' || tag === 'message';
}

/**
 * `last` of an unavailable presence, as WAWebHandlePresence reads it: Unix
 * seconds; `deny` (hidden by the contact's privacy), `none` or `error` (no
 * usable time) give no time; a missing `last` means "just now".
 */
export function parseLastSeen(last: unknown, at: number): number | null {
  if (last === undefined || last === null) return Math.floor(at / 1000);
  if (typeof last !== 'string' && typeof last !== 'number') return null;
  const seconds = Number(last);
  return Number.isSafeInteger(seconds) && seconds > 0 ? seconds : null;
}

function presenceSignal(attrs: Record<string, unknown>, resolve: IdResolver, at: number) {
  const from = wireJidToString(attrs.from);
  // A group's presence carries a count of members online, not a contact's state.
  if (!from || from.endsWith('@g.us')) return null;
  const id = resolve(from);
  const offline = attrs.type === 'unavailable';
  const state: PresenceState = offline ? 'offline' : 'online';
  const lastSeen = offline ? parseLastSeen(attrs.last, at) : null;
  return stanzaSignal(id, id, state, lastSeen, from, at);
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
  return stanzaSignal(chatId, participant, state, null, member ?? from, at);
}

/**
 * Maps a decoded `presence` or `chatstate` stanza to a presence signal, as
 * WAHA's WEBJS engine does (src/core/engines/webjs/presence.ts): exact
 * `paused`, exact `last`. Returns null for anything that is not presence.
 */
export function stanzaToSignal(node: unknown, resolve: IdResolver, at: number): PresenceSignal | null {
  if (!isTappedStanza(node) || !node.attrs || typeof node.attrs !== 'object') return null;
  if (node.tag === 'presence') return presenceSignal(node.attrs, resolve, at);
  if (node.tag === 'chatstate') return chatstateSignal(node, resolve, at);
  return null;
}

/**
 * An incoming message tells who just sent something (which ends their typing).
 * LID-addressed messages also carry the sender's phone (`sender_pn`, or
 * `participant_pn` in groups) when the server knows it.
 */
export function stanzaToMessage(node: unknown, resolve: IdResolver, at: number) {
  if ((node as StanzaNode | null)?.tag !== 'message') return null;
  const attrs = (node as StanzaNode).attrs ?? {};
  const from = wireJidToString(attrs.from);
  const group = attrs.participant !== undefined;
  const sender = group ? wireJidToString(attrs.participant) : from;
  if (!from || !sender) return null;
  let participant = resolve(sender);
  const phone = wireJidToString(group ? attrs.participant_pn : attrs.sender_pn);
  if (participant.endsWith('@lid') && phone?.endsWith('@c.us')) participant = phone;
  return { chatId: group ? resolve(from) : participant, participant, at };
}
