import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createDispatcher, type DispatcherDeps } from '@/utils/outbox/dispatcher';
import { MAX_LISTED_CHANGES, foldInto, foldTargetOf, mergeFolded, type FoldInfo } from '@/utils/outbox/folding';
import { createOutboxStore } from '@/utils/outbox/outbox-store';
import type { OutboxEntry } from '@/utils/outbox/types';
import type { PresenceState } from '@/utils/presence/types';
import type { WebhookConfig } from '@/utils/webhook/config';
import type { PostResult } from '@/utils/webhook/post';

const ALICE = '15551110001@c.us';
const BOB = '15551110002@c.us';
const GROUP = '120363000000000001@g.us';
let seq = 0;

/** A presence.update entry as the delivery service makes it: WAHA body, fold info, created at `at`. */
function change(lane: string, participant: string, state: PresenceState, at: number, extra: Partial<OutboxEntry> = {}): OutboxEntry {
  seq++;
  const body = JSON.stringify({ id: `evt_${seq}`, event: 'presence.update', payload: { id: lane, presences: [{ participant, lastKnownPresence: state, lastSeen: null }] } });
  const fold: FoldInfo = { participant, change: { lastKnownPresence: state, lastSeen: null, at } };
  return { seq: String(seq).padStart(6, '0'), webhookId: 'a', lane, eventId: `evt_${seq}`, event: 'presence.update', body, attempts: 0, nextAttemptAt: 0, createdAt: at, fold, ...extra };
}
const statusEntry = (at: number): OutboxEntry => {
  seq++;
  return { seq: String(seq).padStart(6, '0'), webhookId: 'a', lane: 'session', eventId: `evt_${seq}`, event: 'session.status', body: '{"payload":{"status":"WORKING"}}', attempts: 0, nextAttemptAt: 0, createdAt: at };
};

const hook: WebhookConfig = { id: 'a', url: 'https://a.example.org/hook', events: ['*'], format: 'waha', headers: [], retries: { policy: 'constant', delaySeconds: 1, attempts: 3 }, foldAfterMs: 1000 };

/** A dispatcher on the fake storage, quiet but for what a test passes (always the webhook, the POST and the clock). */
const dispatcherWith = (deps: Pick<DispatcherDeps, 'webhook' | 'post' | 'now'> & Partial<DispatcherDeps>) =>
  createDispatcher({
    store: createOutboxStore(fakeBrowser.storage.local),
    wakeAt: () => {},
    limit: () => 1000,
    onDropped: () => {},
    onDead: () => {},
    onAttempt: () => {},
    onFolded: () => {},
    ...deps,
  });

beforeEach(() => {
  fakeBrowser.reset();
  seq = 0;
});

describe('the folding rule', () => {
  it('folds a head that waited longer than the window into the next change of the same participant', () => {
    const lane = [change(GROUP, ALICE, 'typing', 0), change(GROUP, BOB, 'typing', 10), change(GROUP, ALICE, 'paused', 20)];
    expect(foldTargetOf(lane, 999, 1000)).toBe(-1); // a backend that keeps up gets every change
    expect(foldTargetOf(lane, 1000, 1000)).toBe(2);
    expect(foldTargetOf(lane, 1000, 0)).toBe(-1); // 0: never
  });

  it('never folds a change already attempted, into one already attempted, a change with nothing newer, or a session.status', () => {
    expect(foldTargetOf([change(ALICE, ALICE, 'typing', 0, { attempts: 1 }), change(ALICE, ALICE, 'paused', 1)], 5000, 1000)).toBe(-1);
    expect(foldTargetOf([change(ALICE, ALICE, 'typing', 0), change(ALICE, ALICE, 'paused', 1, { attempts: 1 })], 5000, 1000)).toBe(-1);
    expect(foldTargetOf([change(ALICE, ALICE, 'typing', 0), change(ALICE, BOB, 'paused', 1)], 5000, 1000)).toBe(-1);
    expect(foldTargetOf([statusEntry(0), statusEntry(1)], 5000, 1000)).toBe(-1);
  });

  it('lists what was replaced, oldest first, with the count, in the newer event’s payload', () => {
    const typing = change(ALICE, ALICE, 'typing', 100);
    const paused = change(ALICE, ALICE, 'paused', 200);
    const typingAgain = change(ALICE, ALICE, 'typing', 300);
    Object.assign(paused, foldInto(typing, paused));
    Object.assign(typingAgain, foldInto(paused, typingAgain));
    const payload = JSON.parse(typingAgain.body).payload;
    expect(payload.presences).toEqual([{ participant: ALICE, lastKnownPresence: 'typing', lastSeen: null }]); // the newest state, as WAHA sends it
    expect(payload.folded).toEqual({
      count: 2,
      changes: [
        { lastKnownPresence: 'typing', lastSeen: null, at: 100 }, // when the typing began: a time-to-reply still computes
        { lastKnownPresence: 'paused', lastSeen: null, at: 200 },
      ],
    });
  });

  it('keeps the first change and the newest ones when a long backlog folds more than it lists', () => {
    const older: FoldInfo = { participant: ALICE, change: { lastKnownPresence: 'paused', lastSeen: null, at: 500 }, folded: { count: 60, changes: Array.from({ length: MAX_LISTED_CHANGES }, (_, i) => ({ lastKnownPresence: 'typing' as const, lastSeen: null, at: i })) } };
    const merged = mergeFolded(older, { participant: ALICE, change: { lastKnownPresence: 'typing', lastSeen: null, at: 600 } });
    expect(merged.count).toBe(61);
    expect(merged.changes).toHaveLength(MAX_LISTED_CHANGES);
    expect(merged.changes[0]!.at).toBe(0);
    expect(merged.changes.at(-1)).toEqual({ lastKnownPresence: 'paused', lastSeen: null, at: 500 });
  });
});

describe('folding in the dispatcher', () => {

  it('under backlog sends the newest state first in its turn, keeps per-chat order, counts every folded change, and never folds session.status', async () => {
    let now = 0;
    const bodies: string[] = [];
    let release: () => void = () => {};
    let held = new Promise<void>((resolve) => (release = resolve));
    const onFolded = vi.fn();
    const dispatcher = dispatcherWith({
      webhook: () => hook,
      post: async (_hook, body): Promise<PostResult> => (await held, bodies.push(body), { ok: true, status: 200, ms: 1 }),
      now: () => now,
      onFolded,
    });
    // Alice's chat: the first change goes out at once and hangs (a slow backend); more queue behind it.
    await dispatcher.enqueue([change(ALICE, ALICE, 'online', 0)]);
    await dispatcher.enqueue([change(ALICE, ALICE, 'typing', 10), change(ALICE, ALICE, 'paused', 20), change(ALICE, ALICE, 'typing', 30)]);
    await dispatcher.enqueue([statusEntry(40), statusEntry(41)]);
    await dispatcher.enqueue([change(ALICE, ALICE, 'paused', 2000)]);
    now = 2500; // typing(10) and paused(20) and typing(30) waited over a second; paused(2000) did not
    release();
    held = Promise.resolve();
    for (let i = 0; i < 20 && dispatcher.size; i++) await new Promise((resolve) => setTimeout(resolve, 5));

    const alice = bodies.map((body) => JSON.parse(body)).filter((body) => body.payload.id === ALICE);
    expect(alice.map((body) => body.payload.presences[0].lastKnownPresence)).toEqual(['online', 'paused']);
    expect(alice[1].payload.folded).toEqual({
      count: 3,
      changes: [
        { lastKnownPresence: 'typing', lastSeen: null, at: 10 },
        { lastKnownPresence: 'paused', lastSeen: null, at: 20 },
        { lastKnownPresence: 'typing', lastSeen: null, at: 30 },
      ],
    });
    expect(onFolded).toHaveBeenCalledTimes(3);
    expect(bodies.filter((body) => body.includes('WORKING'))).toHaveLength(2);
    expect(alice.length + onFolded.mock.calls.length).toBe(5); // every change delivered or folded, none lost
  });
});

describe('the order lanes go in under backlog', () => {

  /** A backend that answers one POST at a time, when told to. */
  function heldBackend() {
    const sent: string[] = [];
    const waiting: (() => void)[] = [];
    const post = async (_hook: WebhookConfig, body: string): Promise<PostResult> => {
      const { payload } = JSON.parse(body) as { payload: { id: string; presences?: { lastKnownPresence: string }[] } };
      sent.push(`${payload.id}:${payload.presences?.[0]?.lastKnownPresence ?? 'status'}`);
      await new Promise<void>((resolve) => waiting.push(resolve));
      return { ok: true, status: 200, ms: 1 };
    };
    const answerOne = async () => {
      waiting.shift()?.();
      await new Promise((resolve) => setTimeout(resolve, 5));
    };
    return { sent, post, answerOne };
  }

  it('sends a participant’s newest state before a superseded one, otherwise the oldest first, and each chat in order', async () => {
    let now = 0;
    const backend = heldBackend();
    const dispatcher = dispatcherWith({
      webhook: () => hook,
      post: backend.post,
      now: () => now,
    });
    // Six chats take the six parallel POSTs and hang.
    const busy = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'].map((chat, i) => change(`${chat}@c.us`, `${chat}@c.us`, 'online', i));
    await dispatcher.enqueue(busy);
    // Behind them: Alice typed then paused (her typing is superseded), then Bob typed, then Carol, then Alice's group.
    const CAROL = '15551110003@c.us';
    now = 100;
    await dispatcher.enqueue([change(ALICE, ALICE, 'typing', 100), change(ALICE, ALICE, 'paused', 110)]);
    await dispatcher.enqueue([change(BOB, BOB, 'typing', 120)]);
    await dispatcher.enqueue([change(CAROL, CAROL, 'typing', 130)]);
    await dispatcher.enqueue([change(GROUP, ALICE, 'typing', 140)]);
    expect(backend.sent).toHaveLength(6);

    for (let i = 0; i < 11; i++) await backend.answerOne();
    // Bob, Carol and the group are news; Alice's typing is already stale (but not yet a second old, so it is sent, then her pause).
    expect(backend.sent.slice(6)).toEqual([`${BOB}:typing`, `${CAROL}:typing`, `${GROUP}:typing`, `${ALICE}:typing`, `${ALICE}:paused`]);
    expect(dispatcher.size).toBe(0);
  });

  it('under a long backlog, the stale head folds when its turn comes, and the newest state goes instead', async () => {
    let now = 0;
    const backend = heldBackend();
    const onFolded = vi.fn();
    const dispatcher = dispatcherWith({
      webhook: () => hook,
      post: backend.post,
      now: () => now,
      onFolded,
    });
    await dispatcher.enqueue(['c1', 'c2', 'c3', 'c4', 'c5', 'c6'].map((chat, i) => change(`${chat}@c.us`, `${chat}@c.us`, 'online', i)));
    await dispatcher.enqueue([change(ALICE, ALICE, 'typing', 0), change(ALICE, ALICE, 'paused', 10), change(ALICE, ALICE, 'typing', 20)]);
    now = 1500;
    for (let i = 0; i < 7; i++) await backend.answerOne();
    expect(backend.sent.slice(6)).toEqual([`${ALICE}:typing`]);
    expect(onFolded).toHaveBeenCalledTimes(2);
    expect(dispatcher.size).toBe(0);
  });

  it('gives every queued event of a removed webhook to the dead letters, retries waiting included', async () => {
    let now = 0;
    let hookNow: WebhookConfig | undefined = hook;
    const onDead = vi.fn();
    const dispatcher = dispatcherWith({
      webhook: () => hookNow,
      post: async () => ({ ok: false, status: 503, ms: 1, error: 'backend answered 503' }),
      now: () => now,
      onDead,
    });
    await dispatcher.enqueue([change(ALICE, ALICE, 'typing', 0), change(ALICE, ALICE, 'paused', 10), change(BOB, BOB, 'typing', 20)]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(dispatcher.size).toBe(3); // two heads wait for their retry
    hookNow = undefined;
    now = 100; // before the retries are due
    dispatcher.pump();
    expect(onDead).toHaveBeenCalledTimes(3);
    expect(onDead.mock.calls.map(([, reason]) => reason)).toEqual(Array(3).fill('the webhook was removed from the settings'));
    expect(dispatcher.size).toBe(0);
  });
});
