import type { WebhookConfig } from '../webhook/config';
import type { PostResult } from '../webhook/post';
import { afterAttempt } from '../webhook/retry';
import { foldAfterMsOf, foldInto, foldTargetOf } from './folding';
import type { OutboxStore } from './outbox-store';
import type { OutboxEntry } from './types';

/** Parallel POSTs per webhook: different chats do not wait for each other, within reason. */
export const MAX_IN_FLIGHT_PER_WEBHOOK = 6;

export interface DispatcherDeps {
  store: OutboxStore;
  /** The current webhook settings, by id. */
  webhook(id: string): WebhookConfig | undefined;
  post(webhook: WebhookConfig, body: string): Promise<PostResult>;
  now(): number;
  /** Wake me at this time (a timer while alive, an alarm to survive a stop); null: nothing waits. */
  wakeAt(at: number | null): void;
  /** The outbox bound (oldest events beyond it are dropped and counted). */
  limit(): number;
  onDropped(entries: OutboxEntry[]): void;
  onDead(entry: OutboxEntry, reason: string): void;
  /** A change replaced by a newer one of the same participant (utils/outbox/folding.ts). */
  onFolded(entry: OutboxEntry): void;
  onAttempt(entry: OutboxEntry, result: PostResult): void;
}

const laneKey = (entry: OutboxEntry) => `${entry.webhookId}\n${entry.lane}`;

/**
 * Delivers the outbox: per webhook and chat in order (one POST in flight per
 * lane, the next waits for it and for its retries), lanes in parallel, each
 * webhook on its own (a slow one holds back no other). Retries are scheduled
 * by time, so the worker can stop in between and pick up from storage.
 */
export function createDispatcher(deps: DispatcherDeps) {
  const lanes = new Map<string, OutboxEntry[]>();
  const busyLanes = new Set<string>();
  const inFlight = new Map<string, number>();
  /** Every queued seq in enqueue order, for dropping the oldest. */
  const order: OutboxEntry[] = [];
  let size = 0;

  function add(entry: OutboxEntry) {
    const key = laneKey(entry);
    const lane = lanes.get(key) ?? [];
    lane.push(entry);
    lanes.set(key, lane);
    order.push(entry);
    size++;
  }

  function take(entry: OutboxEntry) {
    const key = laneKey(entry);
    const lane = lanes.get(key);
    const index = lane?.indexOf(entry) ?? -1;
    if (!lane || index < 0) return false;
    lane.splice(index, 1);
    if (lane.length === 0) lanes.delete(key);
    size--;
    void deps.store.remove(entry.seq);
    return true;
  }

  function enforceLimit() {
    const dropped: OutboxEntry[] = [];
    while (size > deps.limit() && order.length) {
      const oldest = order.shift()!;
      if (busyLanes.has(laneKey(oldest)) && lanes.get(laneKey(oldest))?.[0] === oldest) {
        order.unshift(oldest); // being sent right now: drop the next oldest instead
        const next = order.findIndex((e, i) => i > 0 && lanes.get(laneKey(e))?.includes(e));
        if (next < 0) break;
        const [victim] = order.splice(next, 1);
        if (take(victim!)) dropped.push(victim!);
        continue;
      }
      if (take(oldest)) dropped.push(oldest);
    }
    if (dropped.length) deps.onDropped(dropped);
    return dropped;
  }

  async function send(key: string, entry: OutboxEntry, webhook: WebhookConfig) {
    busyLanes.add(key);
    inFlight.set(webhook.id, (inFlight.get(webhook.id) ?? 0) + 1);
    try {
      // A post that throws is a failed attempt like any other (retried later,
      // or a dead letter): never an immediate re-send of the same entry.
      const result = await deps.post(webhook, entry.body).catch(
        (error): PostResult => ({ ok: false, status: 0, ms: 0, error: `the POST failed: ${String(error).slice(0, 200)}` }),
      );
      const attempt = entry.attempts + 1;
      deps.onAttempt(entry, result);
      const outcome = afterAttempt(result, attempt, webhook.retries, deps.now());
      if (outcome.kind === 'retry') {
        Object.assign(entry, { attempts: attempt, nextAttemptAt: outcome.at, lastError: result.error });
        if (lanes.get(key)?.[0] === entry) void deps.store.put(entry); // not if discarded meanwhile
      } else {
        // Not queued any more: the operator cleared the outbox while this POST was on its way.
        const stillQueued = take(entry);
        if (outcome.kind === 'dead' && stillQueued) deps.onDead({ ...entry, attempts: attempt }, outcome.reason);
      }
    } finally {
      busyLanes.delete(key);
      inFlight.set(webhook.id, (inFlight.get(webhook.id) ?? 1) - 1);
      pump();
    }
  }

  /** While the lane's head is superseded and stale, it folds into the newer change (utils/outbox/folding.ts). */
  function foldStale(lane: OutboxEntry[], webhook: WebhookConfig, now: number) {
    const foldAfterMs = foldAfterMsOf(webhook);
    for (let index = foldTargetOf(lane, now, foldAfterMs); index > 0; index = foldTargetOf(lane, now, foldAfterMs)) {
      const head = lane[0]!;
      const target = lane[index]!;
      Object.assign(target, foldInto(head, target)); // in place: the drop order holds this object
      take(head);
      void deps.store.put(target);
      deps.onFolded(head);
    }
  }

  /** Starts every attempt that is due and allowed; schedules a wake-up for the rest. */
  function pump() {
    const now = deps.now();
    let wake: number | null = null;
    for (const [key, lane] of lanes) {
      if (busyLanes.has(key)) continue;
      const webhook = deps.webhook(lane[0]!.webhookId);
      if (!webhook) {
        const head = lane[0]!;
        take(head);
        deps.onDead(head, 'the webhook was removed from the settings');
        continue;
      }
      foldStale(lane, webhook, now);
      const head = lane[0]!;
      if (head.nextAttemptAt > now) {
        wake = wake === null ? head.nextAttemptAt : Math.min(wake, head.nextAttemptAt);
        continue;
      }
      if ((inFlight.get(webhook.id) ?? 0) >= MAX_IN_FLIGHT_PER_WEBHOOK) continue; // a send ending pumps again
      void send(key, head, webhook);
    }
    // Compact the drop order now and then, so it does not grow with delivered entries.
    if (order.length > 2 * size + 1024) {
      const queued = new Set([...lanes.values()].flat());
      order.splice(0, order.length, ...order.filter((e) => queued.has(e)));
    }
    deps.wakeAt(wake);
  }

  return {
    /** Queues entries restored from storage (already persisted). */
    restore(entries: OutboxEntry[]) {
      entries.forEach(add);
      enforceLimit();
      pump();
    },
    /** Persists new entries, then starts their first attempts. */
    async enqueue(entries: OutboxEntry[]) {
      entries.forEach(add);
      const dropped = new Set(enforceLimit());
      const kept = entries.filter((entry) => !dropped.has(entry));
      try {
        await Promise.all(kept.map((entry) => deps.store.put(entry)));
      } finally {
        pump(); // delivered from memory even while storage fails (the store keeps retrying the write)
      }
    },
    pump,
    /** Forgets every queued delivery, in memory and on disk (the operator cleared all state). */
    discardAll() {
      for (const entry of [...lanes.values()].flat()) take(entry);
      order.length = 0;
      deps.wakeAt(null);
    },
    get size() {
      return size;
    },
    /** Queued entries, oldest first (for the health view). */
    entries: () => [...lanes.values()].flat().sort((a, b) => (a.seq < b.seq ? -1 : 1)),
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
