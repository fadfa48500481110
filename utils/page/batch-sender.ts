import { ITEM_SLOTS, MAX_BATCH, MESSAGE_ITEM, PRESENCE_ITEM, type PageBatch } from '../protocol/page-channel';
import type { PageMessage } from '../protocol/page-messages';
import type { PresenceState, SignalSource } from '../presence/types';

/** Slot values of the states and sources (utils/protocol/page-channel.ts: the index in PRESENCE_STATES, SIGNAL_SOURCES). */
const STATE_SLOT: Readonly<Record<PresenceState, number>> = { online: 0, offline: 1, typing: 2, recording: 3, paused: 4 };
const SOURCE_SLOT: Readonly<Record<SignalSource, number>> = { stanza: 0, model: 1 };

/** A batch waits at most this long (ms) while new items keep coming: under a frame, however busy the page. */
export const MAX_BATCH_AGE_MS = 10;
/** An item this long (ms) after the last post, with nothing waiting, is a lone change: it goes at once. */
export const IDLE_GAP_MS = 4;

export interface BatchSenderOptions {
  /** Posts on the port: a batch, or one other message. May throw (a value that cannot be cloned). */
  post(data: PageBatch | PageMessage): void;
  /**
   * Runs `tick` once, in a task of its own queued now: after the tasks already
   * waiting (the rest of a burst of frames), before the ones queued later.
   */
  schedule(tick: () => void): void;
  now(): number;
  maxItems?: number;
  maxAgeMs?: number;
}

/**
 * The page world's sender: one port message per batch of stanzas instead of
 * one per stanza. A port message costs the page's main thread a clone, an IPC
 * and a task of its own in the content script, whatever it carries: with one
 * per stanza that was the largest part of the hook's cost (~30 µs a stanza in
 * `node tests/bench/page-profile.mjs`). A batch pays it once for all the
 * stanzas that came while it waited, and its flat layout
 * (utils/protocol/page-channel.ts) keeps each stanza's share small.
 *
 * When a batch goes. Nothing here may wait on a timer: WhatsApp Web is mostly
 * a background tab, where `setTimeout` runs once a second at best and
 * `requestAnimationFrame` not at all. A message to ourselves on a private
 * MessageChannel (`schedule`, channel.ts) is not throttled, and the event loop
 * runs it after the tasks already queued when it was posted. So:
 * - an item with nothing waiting and no post in the last IDLE_GAP_MS (a lone
 *   change: someone starts typing) goes at once, alone, with no tick: it costs
 *   what one message always cost, and waits for nothing;
 * - any other item joins the waiting batch, and the batch's first item
 *   schedules the tick: the batch goes when the frames that were already
 *   queued have been handled (a burst the page cannot keep up with ends up in
 *   a few batches), or at once when it holds `maxItems`, or when an item comes
 *   `maxAgeMs` after the batch's first (the page is so busy that the tick
 *   keeps waiting: the added wait stays under a frame while stanzas come).
 * A microtask would not do: it runs inside the task that queued it, and each
 * WebSocket frame (each stanza the comms worker hands over) is a task of its
 * own, so it would batch nothing. A pause in a burst longer than the tick's
 * wait costs one more, smaller batch; nothing waits longer than the queue of
 * work already in front of it, or `maxAgeMs` while items keep coming.
 *
 * Order: one queue. Presence and messages wait in it; any other message (a
 * reply, a session or hook report) goes at once, after what waited, in a post
 * of its own, so a value that cannot be cloned fails only its own post, and
 * its caller hears of it (the command server then answers with the error).
 */
export function createBatchSender(options: BatchSenderOptions) {
  const maxItems = Math.min(options.maxItems ?? MAX_BATCH, MAX_BATCH);
  const maxAgeMs = options.maxAgeMs ?? MAX_BATCH_AGE_MS;
  let batch: PageBatch = [];
  let firstAt = 0;
  let lastPostAt = -Infinity;
  let ticking = false;

  /** Posts what waits. Never throws: a batch holds strings, numbers and nulls only. */
  function flush() {
    if (!batch.length) return;
    const full = batch;
    batch = [];
    lastPostAt = options.now();
    try {
      options.post(full);
    } catch {
      // Nothing to tell, and no one to tell it to: the port's other end is gone.
    }
  }
  const onTick = () => {
    ticking = false;
    flush();
  };
  /** Before an item joins: whether it is a lone change, to go at once. */
  function starting(now: number): boolean {
    if (batch.length) return false;
    firstAt = now;
    return !ticking && now - lastPostAt >= IDLE_GAP_MS;
  }
  function joined(now: number, alone: boolean) {
    if (alone || batch.length >= maxItems * ITEM_SLOTS || now - firstAt >= maxAgeMs) flush();
    else if (!ticking) {
      ticking = true;
      options.schedule(onTick);
    }
  }

  return {
    send(message: PageMessage): void {
      if (message.kind === 'presence') {
        const { chatId, participant, state, lastSeen, at, source, lid } = message.signal;
        const now = options.now();
        const alone = starting(now);
        batch.push(PRESENCE_ITEM, chatId, participant === chatId ? null : participant, STATE_SLOT[state], lastSeen, at, SOURCE_SLOT[source], lid ?? null);
        joined(now, alone);
      } else if (message.kind === 'message') {
        const { chatId, participant, at } = message.message;
        const now = options.now();
        const alone = starting(now);
        batch.push(MESSAGE_ITEM, chatId, participant === chatId ? null : participant, at, null, null, null, null);
        joined(now, alone);
      } else {
        flush();
        options.post(message);
      }
    },
    /** Posts what waits now. */
    flush,
    /** Items waiting. */
    get waiting() {
      return batch.length / ITEM_SLOTS;
    },
  };
}
