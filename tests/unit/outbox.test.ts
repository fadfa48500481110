import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createDispatcher, type DispatcherDeps } from '@/utils/outbox/dispatcher';
import { OUTBOX_KEY_PREFIX, createOutboxStore } from '@/utils/outbox/outbox-store';
import type { OutboxEntry } from '@/utils/outbox/types';
import type { WebhookConfig } from '@/utils/webhook/config';
import type { PostResult } from '@/utils/webhook/post';

const webhook = (id: string, attempts = 3): WebhookConfig => ({
  id,
  url: `https://${id}.example.org/hook`,
  events: ['*'],
  format: 'waha',
  headers: [],
  retries: { policy: 'constant', delaySeconds: 1, attempts },
});
const OK: PostResult = { ok: true, status: 200, ms: 1 };
const status = (code: number): PostResult => ({ ok: false, status: code, ms: 1, error: `backend answered ${code}` });

let seq = 0;
const entry = (lane: string, webhookId = 'a'): OutboxEntry => {
  seq++;
  const id = String(seq).padStart(6, '0');
  return { seq: id, webhookId, lane, eventId: `evt_${id}`, event: 'presence.update', body: `{"n":${seq}}`, attempts: 0, nextAttemptAt: 0, createdAt: 0 };
};
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));
const stored = async () =>
  Object.keys(await fakeBrowser.storage.local.get(null)).filter((key) => key.startsWith(OUTBOX_KEY_PREFIX));

function setup(post: DispatcherDeps['post'], options: { hooks?: WebhookConfig[]; limit?: number } = {}) {
  const hooks = new Map((options.hooks ?? [webhook('a')]).map((h) => [h.id, h]));
  let now = 1_000_000;
  const store = createOutboxStore(fakeBrowser.storage.local);
  const deps = {
    store,
    webhook: (id: string) => hooks.get(id),
    post: vi.fn(post),
    now: () => now,
    wakeAt: vi.fn(),
    limit: () => options.limit ?? 10_000,
    onDropped: vi.fn(),
    onDead: vi.fn(),
    onAttempt: vi.fn(),
    onFolded: vi.fn(),
  };
  const dispatcher = createDispatcher(deps);
  return { dispatcher, deps, store, advance: (ms: number) => (now += ms) };
}

beforeEach(() => {
  fakeBrowser.reset();
  seq = 0;
});

describe('outbox dispatcher', () => {
  it('writes an event while its first attempt is on its way, and forgets it once delivered', async () => {
    let answer: (result: PostResult) => void = () => {};
    const { dispatcher, deps, store } = setup(() => new Promise((resolve) => (answer = resolve)));
    const enqueued = dispatcher.enqueue([entry('chat1')]);
    expect(deps.post).toHaveBeenCalledTimes(1); // the first attempt does not wait for the write
    await enqueued; // resolves once the entry is on disk
    expect(await stored()).toEqual([`${OUTBOX_KEY_PREFIX}000001`]); // a backend that never answers loses nothing
    answer(OK);
    await settle();
    await store.flush();
    expect(await stored()).toEqual([]);
  });

  it('retries 500, 500, 500 then delivers on 200 with the same body each time', async () => {
    const answers = [status(500), status(500), status(500), OK];
    const { dispatcher, deps, advance } = setup(async () => answers.shift()!);
    await dispatcher.enqueue([entry('chat1')]);
    for (let i = 0; i < 3; i++) {
      await settle();
      expect(deps.wakeAt).toHaveBeenLastCalledWith(expect.any(Number));
      advance(1000);
      dispatcher.pump();
    }
    await settle();
    expect(deps.post.mock.calls.map(([, body]) => body)).toEqual(Array(4).fill('{"n":1}'));
    expect(deps.onDead).not.toHaveBeenCalled();
    expect(dispatcher.size).toBe(0);
  });

  it('keeps order within a chat while other chats go ahead', async () => {
    const failFirst = new Set(['{"n":1}']);
    const { dispatcher, deps, advance } = setup(async (_hook, body) => {
      if (failFirst.delete(body)) return status(503);
      return OK;
    });
    await dispatcher.enqueue([entry('chat1'), entry('chat1'), entry('chat2')]);
    await settle();
    // chat1's first event failed: its second waits; chat2 was delivered.
    expect(deps.post.mock.calls.map(([, body]) => body)).toEqual(['{"n":1}', '{"n":3}']);
    advance(1000);
    dispatcher.pump();
    await settle();
    expect(deps.post.mock.calls.map(([, body]) => body)).toEqual(['{"n":1}', '{"n":3}', '{"n":1}', '{"n":2}']);
  });

  it('fails a 4xx at once into the dead letters with the reason', async () => {
    const { dispatcher, deps } = setup(async () => status(404));
    await dispatcher.enqueue([entry('chat1')]);
    await settle();
    expect(deps.post).toHaveBeenCalledTimes(1);
    expect(deps.onDead).toHaveBeenCalledWith(expect.objectContaining({ eventId: 'evt_000001', attempts: 1 }), expect.stringContaining('404'));
  });

  it('gives up after the configured retries', async () => {
    const { dispatcher, deps, advance } = setup(async () => status(500), { hooks: [webhook('a', 2)] });
    await dispatcher.enqueue([entry('chat1')]);
    for (let i = 0; i < 4; i++) {
      await settle();
      advance(1000);
      dispatcher.pump();
    }
    expect(deps.post).toHaveBeenCalledTimes(3);
    expect(deps.onDead).toHaveBeenCalledWith(expect.anything(), 'backend answered 500 (gave up after 3 attempts)');
  });

  it('drops the oldest events past the bound and counts them', async () => {
    const { dispatcher, deps } = setup(() => new Promise(() => {}), { limit: 3 });
    const entries = [entry('c1'), entry('c2'), entry('c3'), entry('c4'), entry('c5')];
    await dispatcher.enqueue(entries);
    await settle();
    expect(deps.onDropped).toHaveBeenCalledWith([entries[0], entries[1]]);
    expect(dispatcher.size).toBe(3);
  });

  it('a slow webhook holds back no other', async () => {
    const { dispatcher, deps } = setup(
      async (hook) => (hook.id === 'slow' ? new Promise<PostResult>(() => {}) : OK),
      { hooks: [webhook('slow'), webhook('fast')] },
    );
    await dispatcher.enqueue([entry('c1', 'slow'), entry('c1', 'fast'), entry('c2', 'fast')]);
    await settle();
    expect(deps.post.mock.calls.filter(([hook]) => hook.id === 'fast')).toHaveLength(2);
  });

  it('picks up where it left off after a restart', async () => {
    const first = setup(async () => status(503));
    await first.dispatcher.enqueue([entry('chat1'), entry('chat1')]);
    await settle();
    await first.store.flush();

    const second = setup(async () => OK);
    second.dispatcher.restore(await second.store.load());
    await settle();
    expect(second.deps.post.mock.calls.map(([, body]) => body)).toEqual([]); // not due yet
    second.advance(1000);
    second.dispatcher.pump();
    await settle();
    await second.store.flush();
    expect(second.deps.post.mock.calls.map(([, body]) => body)).toEqual(['{"n":1}', '{"n":2}']);
    expect(await stored()).toEqual([]);
  });
});

describe('outbox store', () => {
  it('writes a burst in one batch', async () => {
    const set = vi.spyOn(fakeBrowser.storage.local, 'set');
    const store = createOutboxStore(fakeBrowser.storage.local);
    await Promise.all(Array.from({ length: 100 }, (_, i) => store.put({ ...entry('c'), seq: String(i) })));
    expect(set).toHaveBeenCalledTimes(1);
    expect((await store.load()).length).toBe(100);
  });
});

describe('outbox dispatcher, cleared while sending', () => {
  it('does not bring a cleared in-flight entry back as a dead letter', async () => {
    let answer: (result: PostResult) => void = () => {};
    const { dispatcher, deps } = setup(() => new Promise<PostResult>((resolve) => (answer = resolve)));
    await dispatcher.enqueue([entry('chat-1')]);
    await settle();
    expect(deps.post).toHaveBeenCalledTimes(1);
    dispatcher.discardAll(); // the operator clears all state meanwhile
    answer(status(400));
    await settle();
    expect(deps.onDead).not.toHaveBeenCalled();
    expect(dispatcher.size).toBe(0);
  });
});

describe('outbox store', () => {
  it('lets the removes of a burst of deliveries share one storage call, and flush waits for them', async () => {
    const area = fakeBrowser.storage.local;
    const remove = vi.spyOn(area, 'remove');
    const store = createOutboxStore(area, 2000, 50);
    const entries = Array.from({ length: 5 }, () => entry('chat1'));
    await Promise.all(entries.map((e) => store.put(e)));
    for (const e of entries) {
      void store.remove(e.seq);
      await new Promise((resolve) => setTimeout(resolve, 5)); // deliveries end in separate tasks
    }
    await store.flush();
    expect(remove).toHaveBeenCalledTimes(1);
    expect(await stored()).toEqual([]);
  });
});
