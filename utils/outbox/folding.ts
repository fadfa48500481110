import type { PresenceState } from '../presence/types';
import type { WebhookConfig } from '../webhook/config';
import type { OutboxEntry } from './types';

/**
 * Freshness over backlog. Presence loses its value within seconds: when a
 * webhook falls behind, a participant's newest state must not wait behind
 * states it already supersedes. The rule, per webhook:
 *
 * - Only `presence.update` entries fold (they carry `fold`); `session.status`
 *   never does.
 * - Only a lane's head folds, only before its first attempt (a change being
 *   retried is on its way: it is never taken back), only once it has waited
 *   longer than the webhook's `foldAfterMs` (a backend that keeps up gets every
 *   change), and only into the next queued, not yet attempted entry of the
 *   same participant in the same chat. It folds when its lane's turn comes
 *   (utils/outbox/dispatcher.ts), where a superseded head waits behind the
 *   chats whose head is news.
 * - Nothing is lost: the newer event lists the changes it replaced, oldest
 *   first, under `payload.folded` (`count`, and the changes with their
 *   times), so a backend still knows, e.g., when a typing began. Per-chat order
 *   is kept: the replacing event was already later in the lane.
 */

/**
 * A webhook's default: fold a change that waited half a second behind a newer one
 * of the same participant. Presence is worth little after 2 s, and under a
 * backlog the newest state reaches the backend about this long after it
 * happened plus one turn of the queue (tests/bench: a 1 s window put the
 * burst's final states at p50 1.7 s). 0 turns folding off.
 */
export const DEFAULT_FOLD_AFTER_MS = 500;

/** A webhook's folding window (ms): its own, or the default for webhooks saved before the setting existed. */
export const foldAfterMsOf = (webhook: Pick<WebhookConfig, 'foldAfterMs'>) => webhook.foldAfterMs ?? DEFAULT_FOLD_AFTER_MS;
/** The replaced changes listed in an event: the first (a typing's start), then the newest. */
export const MAX_LISTED_CHANGES = 50;

export interface FoldedChange {
  lastKnownPresence: PresenceState;
  lastSeen: number | null;
  /** When the change happened (Unix ms). */
  at: number;
}

export interface Folded {
  /** How many changes this event replaced (may exceed the listed ones). */
  count: number;
  changes: FoldedChange[];
}

/** What an entry knows of its change, to be folded (presence.update only). */
export interface FoldInfo {
  participant: string;
  change: FoldedChange;
  folded?: Folded;
}

/**
 * The index of the entry the lane's head folds into, or -1 when the head
 * stays (see the rule above).
 */
export function foldTargetOf(lane: readonly OutboxEntry[], now: number, foldAfterMs: number): number {
  const head = lane[0];
  if (!head?.fold || head.attempts > 0 || foldAfterMs <= 0 || now - head.createdAt < foldAfterMs) return -1;
  const participant = head.fold.participant;
  return lane.findIndex((entry, index) => index > 0 && entry.attempts === 0 && entry.fold?.participant === participant);
}

/** The changes `older` stood for (its own and what it had replaced), then what `newer` had replaced. */
export function mergeFolded(older: FoldInfo, newer: FoldInfo): Folded {
  const count = (older.folded?.count ?? 0) + 1 + (newer.folded?.count ?? 0);
  const all = [...(older.folded?.changes ?? []), older.change, ...(newer.folded?.changes ?? [])];
  const changes = all.length <= MAX_LISTED_CHANGES ? all : [all[0]!, ...all.slice(all.length - (MAX_LISTED_CHANGES - 1))];
  return { count, changes };
}

/**
 * Folds `head` into `target`: the target's fold info and body (its envelope's
 * `payload.folded`) say what it replaced. Returns the target's new fields.
 * The body is not yet signed (signing happens at each attempt), and the
 * target was never attempted, so no backend has seen another version of it.
 */
export function foldInto(head: OutboxEntry, target: OutboxEntry): Pick<OutboxEntry, 'body' | 'fold'> {
  const folded = mergeFolded(head.fold!, target.fold!);
  const envelope = JSON.parse(target.body) as { payload: Record<string, unknown> };
  envelope.payload = { ...envelope.payload, folded };
  return { body: JSON.stringify(envelope), fold: { ...target.fold!, folded } };
}
