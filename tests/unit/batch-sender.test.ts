import { describe, expect, it, vi } from 'vitest';
import { createBatchSender, IDLE_GAP_MS, MAX_BATCH_AGE_MS } from '@/utils/page/batch-sender';
import { ITEM_SLOTS, MAX_BATCH, type PageBatch } from '@/utils/protocol/page-channel';
import { parsePageBatch, type PageMessage } from '@/utils/protocol/page-messages';
import { PRESENCE_STATES, type PresenceSignal } from '@/utils/presence/types';

// The page world's batches: one port message per batch, flushed by a tick
// (a task queued behind the frames already waiting), by size or by age; a
// lone change goes at once.

const AT = 1_760_000_000_000;
const chat = (n: number) => `1555000${String(n).padStart(4, '0')}@c.us`;
const signal = (n: number, overrides: Partial<PresenceSignal> = {}): PageMessage => ({
  kind: 'presence',
  signal: { chatId: chat(n), participant: chat(n), state: n % 2 ? 'typing' : 'paused', lastSeen: null, at: AT + n, source: 'stanza', ...overrides },
});
/** The `at` of each item (slot 5 of a presence item, 3 of a message) of each batch posted. */
const ats = (posts: unknown[]) =>
  posts.filter(Array.isArray).map((batch) => Array.from({ length: batch.length / ITEM_SLOTS }, (_, n) => batch[n * ITEM_SLOTS + (batch[n * ITEM_SLOTS] === 0 ? 5 : 3)]));

function harness(options: { maxItems?: number; maxAgeMs?: number } = {}) {
  const posts: Array<PageBatch | PageMessage> = [];
  const ticks: Array<() => void> = [];
  let clock = 1000;
  const sender = createBatchSender({ post: (data) => posts.push(data), schedule: (tick) => ticks.push(tick), now: () => clock, ...options });
  return {
    sender,
    posts,
    ticks,
    /** Runs the scheduled ticks, as the event loop does once the tasks queued before them are done. */
    runTicks: () => ticks.splice(0).forEach((tick) => tick()),
    advance: (ms: number) => (clock += ms),
  };
}

describe('batch sender (page world → content script)', () => {
  it('sends a lone change at once, and what follows it closely in one batch at the tick, flat and in order', () => {
    const h = harness();
    h.sender.send(signal(1)); // the page was idle: no wait, no tick
    expect(h.posts).toEqual([[0, chat(1), null, 2, null, AT + 1, 0, null]]); // typing is state 2, stanza source 0
    expect(h.ticks).toHaveLength(0);

    h.sender.send(signal(2));
    h.sender.send({ kind: 'message', message: { chatId: '120363000000000001@g.us', participant: chat(3), at: AT + 3 } });
    h.sender.send(signal(4, { lid: '81110004@lid', participant: chat(40), chatId: '120363000000000001@g.us', lastSeen: 1_759_999_000 }));
    h.sender.send({ kind: 'message', message: { chatId: chat(5), participant: chat(5), at: AT + 5 } });
    expect(h.posts).toHaveLength(1); // they wait for the tick
    expect(h.ticks).toHaveLength(1); // one tick per batch, not per item
    h.runTicks();
    expect(h.posts[1]).toEqual([
      0, chat(2), null, 4, null, AT + 2, 0, null,
      1, '120363000000000001@g.us', chat(3), AT + 3, null, null, null, null,
      0, '120363000000000001@g.us', chat(40), 4, 1_759_999_000, AT + 4, 0, '81110004@lid',
      1, chat(5), null, AT + 5, null, null, null, null,
    ]);
    // Soon after a post an item still waits for a tick; after a pause it goes at once again.
    h.sender.send(signal(6));
    expect(h.posts).toHaveLength(2);
    h.runTicks();
    expect(ats(h.posts)).toEqual([[AT + 1], [AT + 2, AT + 3, AT + 4, AT + 5], [AT + 6]]);
    h.advance(IDLE_GAP_MS);
    h.sender.send(signal(7));
    expect(ats(h.posts).at(-1)).toEqual([AT + 7]);
    expect(h.ticks).toHaveLength(0);
  });

  it('puts a burst in one batch per tick: nothing is posted between ticks, and a tick with nothing waiting posts nothing', () => {
    const h = harness();
    h.sender.send(signal(0));
    for (let n = 1; n <= 50; n++) h.sender.send(signal(n));
    expect(h.posts).toHaveLength(1);
    h.runTicks();
    for (let n = 51; n <= 60; n++) h.sender.send(signal(n));
    h.sender.flush(); // posted before its tick came (a report went, say)
    h.runTicks();
    expect(ats(h.posts).map((batch) => batch.length)).toEqual([1, 50, 10]);
  });

  it(`posts at once at ${MAX_BATCH} items (the most a batch carries), the rest in the next batch, none lost or reordered`, () => {
    const h = harness();
    h.sender.send(signal(0));
    for (let n = 1; n <= MAX_BATCH + 3; n++) h.sender.send(signal(n));
    expect(ats(h.posts).map((batch) => batch.length)).toEqual([1, MAX_BATCH]);
    h.runTicks();
    expect(ats(h.posts).map((batch) => batch.length)).toEqual([1, MAX_BATCH, 3]);
    expect(ats(h.posts).flat()).toEqual(Array.from({ length: MAX_BATCH + 4 }, (_, n) => AT + n));
    // A smaller limit is honoured, a larger one is not.
    const small = harness({ maxItems: 2 });
    for (let n = 0; n < 6; n++) small.sender.send(signal(n));
    expect(ats(small.posts).map((batch) => batch.length)).toEqual([1, 2, 2]);
    const large = harness({ maxItems: 10 * MAX_BATCH });
    for (let n = 0; n <= MAX_BATCH; n++) large.sender.send(signal(n));
    expect(ats(large.posts).map((batch) => batch.length)).toEqual([1, MAX_BATCH]);
  });

  it(`does not hold a batch past ${MAX_BATCH_AGE_MS} ms while the page is too busy to run the tick`, () => {
    const h = harness();
    h.sender.send(signal(0));
    h.sender.send(signal(1));
    h.advance(MAX_BATCH_AGE_MS - 1);
    h.sender.send(signal(2));
    expect(h.posts).toHaveLength(1);
    h.advance(1);
    h.sender.send(signal(3)); // the tick still waits behind the page's queue
    expect(ats(h.posts)).toEqual([[AT], [AT + 1, AT + 2, AT + 3]]);
    h.sender.send(signal(4));
    h.runTicks();
    expect(ats(h.posts)).toEqual([[AT], [AT + 1, AT + 2, AT + 3], [AT + 4]]);
  });

  it('writes what the content script reads back as the same messages: every state, source, lid and group member', () => {
    const h = harness();
    const sent: PageMessage[] = [];
    let n = 0;
    for (const state of PRESENCE_STATES) {
      for (const source of ['stanza', 'model'] as const) {
        n++;
        sent.push(signal(n, { state, source, lastSeen: state === 'offline' ? 1_759_999_000 + n : null }));
        sent.push(signal(n, { chatId: '120363000000000001@g.us', participant: chat(n), lid: `8111000${n}@lid`, state, source }));
      }
    }
    sent.push({ kind: 'message', message: { chatId: chat(1), participant: chat(1), at: AT + 99 } });
    sent.push({ kind: 'message', message: { chatId: '120363000000000001@g.us', participant: chat(2), at: AT + 100 } });
    sent.forEach((message) => h.sender.send(message));
    h.runTicks();
    const read = h.posts.flatMap((data) => parsePageBatch(data).messages);
    expect(read).toEqual(sent);
    expect(h.posts.flatMap((data) => parsePageBatch(data).dropped)).toEqual([]);
  });

  it('sends any other message at once, after what waited, in a post of its own', () => {
    const h = harness();
    h.sender.send(signal(1));
    h.sender.send(signal(2));
    h.sender.send(signal(3));
    const reply: PageMessage = { kind: 'reply', id: 'r1', ok: true, value: { chats: [] } };
    h.sender.send(reply);
    expect(h.posts.slice(1)).toEqual([expect.arrayContaining([AT + 2, AT + 3]), reply]);
    h.runTicks(); // the tick of that batch finds nothing left
    expect(h.posts).toHaveLength(3);
    h.sender.send({ kind: 'subscriptionsDropped', at: AT + 100 });
    expect(h.posts).toHaveLength(4);
  });

  it('lets a message that cannot be posted fail only itself, to its caller; a failed batch throws into nothing', () => {
    const posted: unknown[] = [];
    let failBatches = false;
    const ticks: Array<() => void> = [];
    const sender = createBatchSender({
      post: (data) => {
        if (!Array.isArray(data) && data.kind === 'reply') throw new DOMException('could not be cloned', 'DataCloneError');
        if (Array.isArray(data) && failBatches) throw new Error('port closed');
        posted.push(data);
      },
      schedule: (tick) => ticks.push(tick),
      now: () => 0,
    });
    sender.send(signal(1));
    sender.send(signal(2));
    // A value the browser cannot clone: the caller (the command server) hears of it and answers with the error.
    expect(() => sender.send({ kind: 'reply', id: 'r1', ok: true, value: () => {} })).toThrow('could not be cloned');
    expect(ats(posted)).toEqual([[AT + 1], [AT + 2]]); // what waited went first
    failBatches = true;
    sender.send(signal(3));
    expect(() => ticks.splice(0).forEach((tick) => tick())).not.toThrow();
    expect(sender.waiting).toBe(0);
  });
});
