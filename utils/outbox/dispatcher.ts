import TinyQueue from 'tinyqueue';
import type { WebhookConfig } from '../webhook/config';
import type { PostResult } from '../webhook/post';
import { afterAttempt } from '../webhook/retry';
import { foldAfterMsOf, foldInto, foldTargetOf } from './folding';
import type { OutboxStore } from './outbox-store';
import type { OutboxEntry } from './types';

/**
 * Parallel POSTs per webhook: different chats do not wait for each other,
 * within reason. Six is what Chromium and Firefox open per host over HTTP/1.1:
 * more would only wait in the browser's own queue.
 */
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

/** One webhook's queue for one chat: delivered in order, one POST at a time. */
interface Lane {
  key: string;
  webhookId: string;
  entries: OutboxEntry[];
  busy: boolean;
  /** Queued presence changes per participant: the head is superseded while its participant has another one queued. */
  perParticipant: Map<string, number>;
  /** Bumped whenever the lane's place in line may change: a place taken before that is void. */
  version: number;
}

/** A lane's place in line, as it was when taken (void once the lane's version moved on). */
interface Place {
  lane: Lane;
  version: number;
  /** Its head is superseded by a newer change of the same participant in the lane. */
  superseded: boolean;
  seq: string;
  /** When its head is due. */
  at: number;
}

/**
 * Which lane goes next. A head that is the newest state of its participant
 * goes before a superseded one: under backlog the freshest news goes first,
 * and a superseded head left waiting may fold into its newer change
 * (utils/outbox/folding.ts) instead of costing a POST of stale news. Among
 * equals, the oldest head first: every chat gets its turn.
 */
const beforeInLine = (a: Place, b: Place) => (a.superseded !== b.superseded ? (a.superseded ? 1 : -1) : a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0);
const dueFirst = (a: Place, b: Place) => a.at - b.at;

interface WebhookLine {
  /** Lanes whose head is due, in the order they go. */
  ready: TinyQueue<Place>;
  /** Lanes whose head waits for a retry time. */
  waiting: TinyQueue<Place>;
}

/**
 * Delivers the outbox: per webhook and chat in order (one POST in flight per
 * lane, the next waits for it and for its retries), lanes in parallel, each
 * webhook on its own (a slow one holds back no other). Retries are scheduled
 * by time, so the worker can stop in between and pick up from storage. The
 * work per event does not grow with the number of chats: lanes wait in a
 * priority queue per webhook, not in a list scanned at every send.
 */
export function createDispatcher(deps: DispatcherDeps) {
  const lanes = new Map<string, Lane>();
  const lines = new Map<string, WebhookLine>();
  const inFlight = new Map<string, number>();
  /** Every queued entry in enqueue order, for dropping the oldest (delivered ones are skipped and compacted away). */
  const order: OutboxEntry[] = [];
  const laneOf = new Map<OutboxEntry, Lane>();
  let size = 0;
  let placesTaken = 0;

  function lineOf(webhookId: string) {
    let line = lines.get(webhookId);
    if (!line) {
      line = { ready: new TinyQueue<Place>([], beforeInLine), waiting: new TinyQueue<Place>([], dueFirst) };
      lines.set(webhookId, line);
    }
    return line;
  }

  const isSuperseded = (lane: Lane) => {
    const head = lane.entries[0];
    return !!head?.fold && head.attempts === 0 && (lane.perParticipant.get(head.fold.participant) ?? 0) > 1;
  };

  /** The lane's place in line is taken again (a lane busy or empty has none). */
  function queueUp(lane: Lane) {
    lane.version++;
    const head = lane.entries[0];
    if (lane.busy || !head) return;
    const place: Place = { lane, version: lane.version, superseded: isSuperseded(lane), seq: head.seq, at: head.nextAttemptAt };
    const line = lineOf(lane.webhookId);
    if (head.nextAttemptAt > deps.now()) line.waiting.push(place);
    else line.ready.push(place);
    placesTaken++;
  }

  const valid = (place: Place) => place.version === place.lane.version;

  function countParticipant(lane: Lane, entry: OutboxEntry, by: number) {
    const participant = entry.fold?.participant;
    if (participant === undefined) return;
    const count = (lane.perParticipant.get(participant) ?? 0) + by;
    if (count > 0) lane.perParticipant.set(participant, count);
    else lane.perParticipant.delete(participant);
  }

  function add(entry: OutboxEntry) {
    const key = `${entry.webhookId}\n${entry.lane}`;
    let lane = lanes.get(key);
    if (!lane) {
      lane = { key, webhookId: entry.webhookId, entries: [], busy: false, perParticipant: new Map(), version: 0 };
      lanes.set(key, lane);
    }
    lane.entries.push(entry);
    countParticipant(lane, entry, 1);
    laneOf.set(entry, lane);
    order.push(entry);
    size++;
    queueUp(lane);
  }

  function take(entry: OutboxEntry) {
    const lane = laneOf.get(entry);
    const index = lane ? lane.entries.indexOf(entry) : -1;
    if (!lane || index < 0) return false;
    if (index === 0) lane.entries.shift();
    else lane.entries.splice(index, 1);
    countParticipant(lane, entry, -1);
    laneOf.delete(entry);
    if (lane.entries.length === 0 && lanes.get(lane.key) === lane) lanes.delete(lane.key);
    size--;
    void deps.store.remove(entry.seq);
    queueUp(lane);
    return true;
  }

  function enforceLimit() {
    const dropped: OutboxEntry[] = [];
    while (size > deps.limit() && order.length) {
      const oldest = order.shift()!;
      const lane = laneOf.get(oldest);
      if (lane?.busy && lane.entries[0] === oldest) {
        order.unshift(oldest); // being sent right now: drop the next oldest instead
        const next = order.findIndex((e, i) => i > 0 && laneOf.has(e));
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

  async function send(lane: Lane, entry: OutboxEntry, webhook: WebhookConfig) {
    lane.busy = true;
    lane.version++; // out of line while its POST is on its way
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
        if (lane.entries[0] === entry) void deps.store.put(entry); // not if discarded meanwhile
      } else {
        // Not queued any more: the operator cleared the outbox while this POST was on its way.
        const stillQueued = take(entry);
        if (outcome.kind === 'dead' && stillQueued) deps.onDead({ ...entry, attempts: attempt }, outcome.reason);
      }
    } finally {
      lane.busy = false;
      inFlight.set(webhook.id, (inFlight.get(webhook.id) ?? 1) - 1);
      queueUp(lane);
      pump();
    }
  }

  /** While the lane's head is superseded and stale, it folds into the newer change (utils/outbox/folding.ts). */
  function foldStale(lane: Lane, webhook: WebhookConfig, now: number) {
    const foldAfterMs = foldAfterMsOf(webhook);
    for (let index = foldTargetOf(lane.entries, now, foldAfterMs); index > 0; index = foldTargetOf(lane.entries, now, foldAfterMs)) {
      const head = lane.entries[0]!;
      const target = lane.entries[index]!;
      Object.assign(target, foldInto(head, target)); // in place: the drop order holds this object
      take(head);
      void deps.store.put(target);
      deps.onFolded(head);
    }
  }

  /** A removed webhook: what waits for it will never go (what is in flight ends as it ends). */
  function abandon(line: WebhookLine) {
    for (const queue of [line.ready, line.waiting]) {
      for (let place = queue.pop(); place; place = queue.pop()) {
        if (!valid(place)) continue;
        for (const entry of [...place.lane.entries]) {
          take(entry);
          deps.onDead(entry, 'the webhook was removed from the settings');
        }
      }
    }
  }

  /** Starts every attempt that is due and allowed; schedules a wake-up for the rest. */
  function pump() {
    const now = deps.now();
    let wake: number | null = null;
    for (const [webhookId, line] of lines) {
      // Retries that came due join the line.
      for (let place = line.waiting.peek(); place && (!valid(place) || place.at <= now); place = line.waiting.peek()) {
        line.waiting.pop();
        if (valid(place)) line.ready.push(place);
      }
      const webhook = deps.webhook(webhookId);
      if (!webhook) abandon(line);
      else {
        while ((inFlight.get(webhookId) ?? 0) < MAX_IN_FLIGHT_PER_WEBHOOK && line.ready.length) {
          const place = line.ready.pop()!;
          if (!valid(place)) continue;
          foldStale(place.lane, webhook, now);
          void send(place.lane, place.lane.entries[0]!, webhook);
        }
      }
      const next = line.waiting.peek();
      if (next) wake = wake === null ? next.at : Math.min(wake, next.at);
      if (!line.ready.length && !line.waiting.length && !inFlight.get(webhookId)) lines.delete(webhookId);
    }
    compact();
    deps.wakeAt(wake);
  }

  /** Now and then, void places and delivered entries are swept out, so neither grows with the events delivered. */
  function compact() {
    if (placesTaken > 4 * lanes.size + 1024) {
      placesTaken = 0;
      for (const line of lines.values()) {
        line.ready = new TinyQueue(line.ready.data.filter(valid), beforeInLine);
        line.waiting = new TinyQueue(line.waiting.data.filter(valid), dueFirst);
        placesTaken += line.ready.length + line.waiting.length;
      }
    }
    if (order.length > 2 * size + 1024) order.splice(0, order.length, ...order.filter((e) => laneOf.has(e)));
  }

  return {
    /** Queues entries restored from storage (already persisted). */
    restore(entries: OutboxEntry[]) {
      entries.forEach(add);
      enforceLimit();
      pump();
    },
    /**
     * Writes new entries, starts their first attempts without waiting for
     * the write, and resolves once they are on disk. Waiting would add a
     * storage round-trip to every event (as long as the loopback POST) and
     * protect nothing: an entry is at risk until its write is done whether or
     * not its POST has started, and a POST that ends first is one loss fewer
     * (its write is then cancelled, utils/keyed-store.ts). Delivered from
     * memory even while storage fails (the store keeps retrying the write).
     */
    async enqueue(entries: OutboxEntry[]) {
      entries.forEach(add);
      const dropped = new Set(enforceLimit());
      const kept = entries.filter((entry) => !dropped.has(entry));
      const written = Promise.all(kept.map((entry) => deps.store.put(entry)));
      pump();
      await written;
    },
    pump,
    /** Forgets every queued delivery, in memory and on disk (the operator cleared all state). */
    discardAll() {
      for (const lane of [...lanes.values()]) for (const entry of [...lane.entries]) take(entry);
      order.length = 0;
      deps.wakeAt(null);
    },
    get size() {
      return size;
    },
    /** Queued entries, oldest first (for the health view). */
    entries: () => [...lanes.values()].flatMap((lane) => lane.entries).sort((a, b) => (a.seq < b.seq ? -1 : 1)),
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
