import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { boundedAt } from '@/utils/background/presence-service';
import { createSerialQueue } from '@/utils/background/serial';
import { MAX_TIMER_MS, createWakeUp } from '@/utils/background/timers';
import { createDispatcher } from '@/utils/outbox/dispatcher';
import { createOutboxStore } from '@/utils/outbox/outbox-store';
import type { OutboxEntry } from '@/utils/outbox/types';
import { MAX_RETRY_AFTER_SECONDS, afterAttempt } from '@/utils/webhook/retry';
import type { WebhookConfig } from '@/utils/webhook/config';

// What could make the background go quiet for good, or spin: each must not.

beforeEach(() => fakeBrowser.reset());

describe('serial queue', () => {
  it('keeps running the tasks after one that failed', async () => {
    const run = createSerialQueue('test');
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const order: string[] = [];
    const first = run(async () => {
      order.push('a');
      throw new Error('quota exceeded');
    });
    const second = run(async () => (order.push('b'), 2));
    await expect(first).rejects.toThrow('quota exceeded');
    expect(await second).toBe(2);
    expect(order).toEqual(['a', 'b']);
  });
});

describe('wake-ups', () => {
  it('sets no timer for a wait beyond the timer limit (setTimeout would fire at once): the alarm takes it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const onWake = vi.fn();
      const wake = createWakeUp('test-alarm', onWake);
      const farAhead = Date.now() + 40 * 24 * 3600 * 1000; // past setTimeout's 24.8-day limit
      wake.at(farAhead);
      expect(vi.getTimerCount()).toBe(0);
      await vi.advanceTimersByTimeAsync(MAX_TIMER_MS + 1000);
      expect(onWake).not.toHaveBeenCalled();
      expect((await fakeBrowser.alarms.get('test-alarm'))?.scheduledTime).toBe(farAhead);
      wake.at(Date.now() + 500);
      await vi.advanceTimersByTimeAsync(600);
      expect(onWake).toHaveBeenCalledOnce();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('bounds on what others send', () => {
  const retries: WebhookConfig['retries'] = { policy: 'constant', delaySeconds: 1, attempts: 5 };

  it('honours Retry-After only up to a day', () => {
    const outcome = afterAttempt({ ok: false, status: 429, ms: 1, retryAfterSeconds: 99_999_999 }, 1, retries, 1000);
    expect(outcome).toEqual({ kind: 'retry', at: 1000 + MAX_RETRY_AFTER_SECONDS * 1000 });
  });

  it('replaces a page timestamp far ahead or far behind with the time of arrival', () => {
    const now = 1_760_000_000_000;
    expect(boundedAt(now - 500, now)).toBe(now - 500);
    expect(boundedAt(now + 10 * 365 * 24 * 3600 * 1000, now)).toBe(now);
    expect(boundedAt(now - 40 * 24 * 3600 * 1000, now)).toBe(now);
    expect(boundedAt(Number.NaN, now)).toBe(now);
  });
});

describe('dispatcher with a POST that throws', () => {
  it('turns it into a retry later, not a re-send loop', async () => {
    const webhook: WebhookConfig = { id: 'a', url: 'https://a.example.org/hook', events: ['*'], format: 'waha', headers: [], retries: { policy: 'constant', delaySeconds: 5, attempts: 1 } };
    let now = 1_000_000;
    const post = vi.fn(async () => {
      throw new TypeError('header value is not a ByteString');
    });
    const onDead = vi.fn();
    const wakeAt = vi.fn();
    const dispatcher = createDispatcher({
      store: createOutboxStore(fakeBrowser.storage.local),
      webhook: () => webhook,
      post,
      now: () => now,
      wakeAt,
      limit: () => 100,
      onDropped: vi.fn(),
      onDead,
      onAttempt: vi.fn(),
      onFolded: vi.fn(),
    });
    const entry: OutboxEntry = { seq: '000001', webhookId: 'a', lane: 'x', eventId: 'evt_1', event: 'presence.update', body: '{}', attempts: 0, nextAttemptAt: 0, createdAt: 0 };
    await dispatcher.enqueue([entry]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(post).toHaveBeenCalledTimes(1); // no tight loop
    expect(wakeAt).toHaveBeenLastCalledWith(now + 5000);
    now += 5000;
    dispatcher.pump();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(post).toHaveBeenCalledTimes(2);
    expect(onDead).toHaveBeenCalledWith(expect.objectContaining({ eventId: 'evt_1' }), expect.stringContaining('the POST failed: TypeError'));
  });
});

describe('outbox when storage fails', () => {
  it('keeps delivering from memory, says why it cannot save, and writes the entries once storage works again', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const area = fakeBrowser.storage.local;
    let failures = 2;
    const failingArea = {
      get: area.get.bind(area),
      remove: area.remove.bind(area),
      set: async (items: Record<string, unknown>) => {
        if (failures-- > 0) throw new Error('QUOTA_BYTES quota exceeded');
        await area.set(items);
      },
    };
    const store = createOutboxStore(failingArea as never, 20);
    const webhook: WebhookConfig = { id: 'a', url: 'https://a.example.org/hook', events: ['*'], format: 'waha', headers: [], retries: { policy: 'constant', delaySeconds: 5, attempts: 1 } };
    const delivered: string[] = [];
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const dispatcher = createDispatcher({
      store,
      webhook: () => webhook,
      post: async (_hook, body) => (await held, delivered.push(body), { ok: true, status: 200, ms: 1 }),
      now: () => 0,
      wakeAt: () => {},
      limit: () => 100,
      onDropped: () => {},
      onDead: () => {},
      onAttempt: () => {},
      onFolded: () => {},
    });
    const entry: OutboxEntry = { seq: '000001', webhookId: 'a', lane: 'x', eventId: 'evt_1', event: 'presence.update', body: '{"n":1}', attempts: 0, nextAttemptAt: 0, createdAt: 0 };
    await expect(dispatcher.enqueue([entry])).rejects.toThrow('quota');
    expect(store.failing).toContain('quota exceeded');
    // Written again by itself once storage takes it (the POST is still in flight).
    for (let i = 0; i < 50 && store.failing; i++) await new Promise((r) => setTimeout(r, 20));
    expect(store.failing).toBeNull();
    expect(Object.keys(await area.get(null))).toContain('outbox:000001');
    release();
    for (let i = 0; i < 50 && !delivered.length; i++) await new Promise((r) => setTimeout(r, 10));
    expect(delivered).toEqual(['{"n":1}']);
  });
});
