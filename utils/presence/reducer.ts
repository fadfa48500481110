import type { PresenceSignal, PresenceState } from './types';

/**
 * The live presence of every chat, as WAHA's `WAHAChatPresences`, and the rules
 * that decide what is a real change worth a webhook. Pure logic: the table is
 * a plain object the caller owns (and persists); functions update it in place,
 * O(1) per signal, and return the changes to forward.
 */

export interface ParticipantPresence {
  participant: string;
  lastKnownPresence: PresenceState;
  lastSeen: number | null;
  /** The participant's LID beside its phone id, when the page knew it. */
  lid?: string;
  /** When the applied signal happened (ms): older signals are dropped. */
  at: number;
  /** The latest signal that confirmed this state (ms): typing expires from here. */
  confirmedAt: number;
  /** While typing or recording: when this run of typing/recording began (ms). */
  activeSince?: number;
}

export interface ChatPresence {
  id: string;
  presences: Record<string, ParticipantPresence>;
}

export type PresenceTable = Record<string, ChatPresence>;

/** One real change: what a presence.update webhook carries. */
export interface PresenceChange {
  chatId: string;
  participant: string;
  state: PresenceState;
  lastSeen: number | null;
  lid?: string;
  at: number;
  /**
   * Conversation timing: on a typing/recording change, when the run of
   * typing/recording it belongs to began (ms; typing then recording is one
   * run); on the change that ends a run (paused, a message, online…), when it
   * began, with `activeMs`, how long it lasted.
   */
  activeSince?: number;
  activeMs?: number;
}

const ACTIVE: ReadonlySet<PresenceState> = new Set(['typing', 'recording']);

/** When the run `previous` belongs to began, if it is typing or recording. */
const runStart = (previous: ParticipantPresence | undefined) =>
  previous && ACTIVE.has(previous.lastKnownPresence) ? (previous.activeSince ?? previous.at) : undefined;

/** The conversation timing of a change, from the participant's state before it. */
function timing(previous: ParticipantPresence | undefined, change: PresenceChange): Pick<PresenceChange, 'activeSince' | 'activeMs'> {
  const began = runStart(previous);
  if (ACTIVE.has(change.state)) return { activeSince: began ?? change.at };
  return began === undefined ? {} : { activeSince: began, activeMs: Math.max(0, change.at - began) };
}

function set(table: PresenceTable, change: PresenceChange): PresenceChange {
  const chat = (table[change.chatId] ??= { id: change.chatId, presences: {} });
  const previous = chat.presences[change.participant];
  // A LID learnt once stays known for the participant.
  const lid = change.lid ?? previous?.lid;
  const timed = timing(previous, change);
  chat.presences[change.participant] = {
    participant: change.participant,
    lastKnownPresence: change.state,
    lastSeen: change.lastSeen,
    ...(lid ? { lid } : {}),
    at: change.at,
    confirmedAt: change.at,
    ...(ACTIVE.has(change.state) ? { activeSince: timed.activeSince } : {}),
  };
  return { ...change, ...(lid ? { lid } : {}), ...timed };
}

/**
 * Applies one signal. Returns the change to forward, or null when the signal is
 * older than what is applied for that participant, or repeats it (a repeated
 * "typing" only keeps the state from expiring).
 */
export function applySignal(table: PresenceTable, signal: PresenceSignal): PresenceChange | null {
  const current = table[signal.chatId]?.presences[signal.participant];
  if (current && signal.at < current.at) return null;
  if (current && current.lastKnownPresence === signal.state && current.lastSeen === signal.lastSeen) {
    current.confirmedAt = Math.max(current.confirmedAt, signal.at);
    return null;
  }
  const { chatId, participant, state, lastSeen, at, lid } = signal;
  return set(table, { chatId, participant, state, lastSeen, at, ...(lid ? { lid } : {}) });
}

/**
 * A message from a participant who was typing or recording ends that state
 * (WhatsApp often sends no `paused` then: WAHA's stuck-typing bug).
 */
export function applyMessage(table: PresenceTable, chatId: string, participant: string, at: number): PresenceChange | null {
  const current = table[chatId]?.presences[participant];
  if (!current || !ACTIVE.has(current.lastKnownPresence) || at < current.at) return null;
  return set(table, { chatId, participant, state: 'paused', lastSeen: null, at });
}

/**
 * Who is typing or recording (`chatId\nparticipant`): the only entries expiry
 * looks at, kept beside the table by its owner with `trackActive`, so that a
 * signal costs O(active participants), not a pass over the whole table.
 */
export type ActiveSet = Set<string>;
const activeKey = (chatId: string, participant: string) => `${chatId}\n${participant}`;

/** Every active participant of a table (once, e.g. after loading it). */
export function activeOf(table: PresenceTable): ActiveSet {
  const active: ActiveSet = new Set();
  for (const chat of Object.values(table)) {
    for (const presence of Object.values(chat.presences)) if (ACTIVE.has(presence.lastKnownPresence)) active.add(activeKey(chat.id, presence.participant));
  }
  return active;
}

/** Keeps the active set right after a change was applied. */
export function trackActive(active: ActiveSet, change: PresenceChange): void {
  if (ACTIVE.has(change.state)) active.add(activeKey(change.chatId, change.participant));
  else active.delete(activeKey(change.chatId, change.participant));
}

function* activeEntries(table: PresenceTable, active: ActiveSet): Generator<[string, ParticipantPresence]> {
  for (const key of active) {
    const [chatId, participant] = key.split('\n') as [string, string];
    const presence = table[chatId]?.presences[participant];
    if (presence && ACTIVE.has(presence.lastKnownPresence)) yield [chatId, presence];
    else active.delete(key); // forgotten meanwhile (evicted, cleared)
  }
}

/**
 * Typing and recording end by themselves when no fresh signal came within
 * `timeoutMs`: they become `paused`, dated when they lapsed. Looks only at
 * `active` (all of the table when not given), and keeps it right.
 */
export function expireActive(table: PresenceTable, now: number, timeoutMs: number, active: ActiveSet = activeOf(table)): PresenceChange[] {
  const changes: PresenceChange[] = [];
  for (const [chatId, presence] of [...activeEntries(table, active)]) {
    const lapsedAt = presence.confirmedAt + timeoutMs;
    if (lapsedAt <= now) {
      const change = set(table, { chatId, participant: presence.participant, state: 'paused', lastSeen: null, at: lapsedAt });
      trackActive(active, change);
      changes.push(change);
    }
  }
  return changes;
}

/** When the next typing/recording state lapses (ms), or null when none is active. */
export function nextExpiry(table: PresenceTable, timeoutMs: number, active: ActiveSet = activeOf(table)): number | null {
  let next: number | null = null;
  for (const [, presence] of activeEntries(table, active)) {
    const lapsedAt = presence.confirmedAt + timeoutMs;
    if (next === null || lapsedAt < next) next = lapsedAt;
  }
  return next;
}

/**
 * Forgets the chats not seen since `before` (Unix ms), except those `keep`
 * says to keep (followed). Returns the chats that went.
 */
export function evictStale(table: PresenceTable, before: number, keep: (chatId: string) => boolean): string[] {
  const evicted: string[] = [];
  for (const [chatId, chat] of Object.entries(table)) {
    if (keep(chatId)) continue;
    const latest = Math.max(...Object.values(chat.presences).map((presence) => presence.confirmedAt), -Infinity);
    if (latest < before) {
      delete table[chatId];
      evicted.push(chatId);
    }
  }
  return evicted;
}

/** WAHA's `GET /presence/{chatId}` shape for one chat. */
export function toWahaChat(chat: ChatPresence) {
  return {
    id: chat.id,
    presences: Object.values(chat.presences).map(({ participant, lastKnownPresence, lastSeen, lid }) => ({
      participant,
      lastKnownPresence,
      lastSeen,
      ...(lid ? { lid } : {}),
    })),
  };
}
