import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { DEFAULT_BEHAVIOUR } from '../../utils/behaviour';
import { fixtures } from '../sim/server.mjs';
import { setLocalItems } from '../support/driver.mjs';
import { startStack } from '../support/stack.mjs';

// The operator's commands, from an extension page through the background and
// the content script to the WhatsApp function that does it (the simulator
// records each call), each answering success or a reason.

const { alice, bob } = fixtures.contacts;
const group = fixtures.groups.group;
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let stack: Awaited<ReturnType<typeof startStack>>;
let call: (typeof stack)['browser']['call'];
const calls = (fn: string) => stack.sim.calls.filter((c: { fn: string }) => c.fn === fn);

beforeAll(async () => {
  // A short idle flip, to see that a held online is not flipped back by WhatsApp.
  stack = await startStack({ sim: { idleFlipMs: 300 } });
  await stack.openWhatsApp();
  call = stack.browser.call;
});
beforeEach(() => stack.sim.clearCalls());
afterAll(() => stack?.close());

it('lists chats and contacts from the local stores, without a group metadata query', async () => {
  const result = await call('listChats');
  expect(result.ok).toBe(true);
  expect(result.value.chats).toEqual(
    expect.arrayContaining([
      { id: alice.phone, name: 'Alice', isGroup: false },
      { id: bob.phone, name: 'Bob', isGroup: false },
      { id: group.id, name: group.subject, isGroup: true },
    ]),
  );
  expect(result.value.contacts.map((c: { name: string }) => c.name)).toEqual(['Alice', 'Bob', 'Carol']);
  expect(calls('GroupMetadata.update')).toEqual([]);
});

it("sends typing, recording and paused with WhatsApp's chat-state bridge, addressed as WhatsApp addresses the chat", async () => {
  expect(await call('setChatState', { chatId: alice.phone, state: 'typing' })).toMatchObject({ ok: true, value: { chatstate: { chatId: alice.phone, state: 'typing' } } });
  const typing = await stack.sim.waitForCall({ module: 'WAWebChatStateBridge', fn: 'sendChatStateComposing' });
  // A migrated account's 1:1 chat is addressed by the contact's LID (its accountLid).
  expect(String(typing.args[0])).toBe(alice.lid);
  await stack.sim.waitForSent((s: any) => s.node.tag === 'chatstate' && s.node.attrs.to === alice.lid && s.node.content?.[0]?.tag === 'composing');
  expect((await stack.browser.readStorage('session', 'ownPresence')).chatstate).toMatchObject({ chatId: alice.phone, state: 'typing' });

  expect((await call('setChatState', { chatId: group.id, state: 'recording' })).ok).toBe(true);
  // One chat at a time: typing in Alice's chat was ended first.
  expect(String((await stack.sim.waitForCall({ fn: 'sendChatStatePaused' })).args[0])).toBe(alice.lid);
  expect(String((await stack.sim.waitForCall({ fn: 'sendChatStateRecording' })).args[0])).toBe(group.id);

  expect(await call('setChatState', { chatId: group.id, state: 'paused' })).toMatchObject({ ok: true, value: { chatstate: null } });
  await stack.sim.waitForSent((s: any) => s.node.tag === 'chatstate' && s.node.content?.[0]?.tag === 'paused' && String(s.node.attrs.to).startsWith('120363'));
});

it('ends a held typing with paused when its hold runs out', async () => {
  expect((await call('setChatState', { chatId: bob.phone, state: 'typing', holdSeconds: 1 })).ok).toBe(true);
  const paused = await stack.sim.waitForCall({ module: 'WAWebChatStateBridge', fn: 'sendChatStatePaused' }, 3_000);
  expect(String(paused.args[0])).toBe(bob.lid);
  await wait(100);
  expect((await stack.browser.readStorage('session', 'ownPresence')).chatstate).toBeNull();
});

it('answers a bad or unknown chat with a reason, and sends nothing', async () => {
  expect(await call('setChatState', { chatId: 'not-an-id', state: 'typing' })).toEqual({ ok: false, error: expect.stringContaining('is not a WhatsApp chat id'), kind: 'bad_id' });
  expect(await call('setChatState', { chatId: '19990000000@c.us', state: 'typing' })).toEqual({
    ok: false,
    error: "unknown chat 19990000000@c.us: it is not among WhatsApp Web's chats",
    kind: 'unknown_chat',
  });
  expect(calls('sendChatStateComposing')).toEqual([]);
});

it('holds online against WhatsApp’s idle flip until the operator turns it off', async () => {
  const on = await call('setOnline', true);
  expect(on.ok).toBe(true);
  expect(on.value.online.until - on.value.online.since).toBe(DEFAULT_BEHAVIOUR.heldOnlineMinutes * 60_000);
  await stack.sim.waitForCall({ module: 'WAWebStreamModel', fn: 'Stream.markAvailable' });
  await wait(900); // three idle flips' worth
  expect(stack.sim.sent.filter((s: any) => s.node.tag === 'presence' && s.node.attrs.type === 'unavailable')).toEqual([]);

  expect(await call('setOnline', false)).toMatchObject({ ok: true, value: { online: null } });
  await stack.sim.waitForCall({ module: 'WAWebStreamModel', fn: 'Stream.markUnavailable' });
});

it('switches a held online off by itself when the held-online expiry passes', async () => {
  await setLocalItems(stack.browser, { behaviour: { ...DEFAULT_BEHAVIOUR, heldOnlineMinutes: 0.02 } }); // 1.2 s
  try {
    await wait(100);
    expect((await call('setOnline', true)).ok).toBe(true);
    await stack.sim.waitForCall({ fn: 'Stream.markAvailable' });
    const off = await stack.sim.waitForCall({ module: 'WAWebStreamModel', fn: 'Stream.markUnavailable' }, 4_000);
    expect(off.at - calls('Stream.markAvailable')[0]!.at).toBeGreaterThanOrEqual(1_000);
    await wait(100);
    expect((await stack.browser.readStorage('session', 'ownPresence')).online).toBeNull();
  } finally {
    await setLocalItems(stack.browser, { behaviour: DEFAULT_BEHAVIOUR });
  }
});

it('follows a contact (by its LID) and a group with the current subscribe API, and refuses an unknown number', async () => {
  expect(await call('follow', { id: alice.phone, name: 'Alice' })).toMatchObject({ ok: true, value: [{ id: alice.phone, name: 'Alice', isGroup: false }] });
  expect(String((await stack.sim.waitForCall({ module: 'WAWebContactPresenceBridge', fn: 'subscribeUserPresence' })).args[0])).toBe(alice.lid);
  await stack.sim.waitForSent((s: any) => s.node.tag === 'presence' && s.node.attrs.type === 'subscribe' && s.node.attrs.to === alice.lid);
  expect((await call('follow', { id: group.id, name: group.subject })).ok).toBe(true);
  expect(String((await stack.sim.waitForCall({ fn: 'subscribeGroupPresence' })).args[0])).toBe(group.id);

  expect(await call('follow', { id: '19990000000@c.us' })).toEqual({ ok: false, error: 'Not subscribed: 19990000000@c.us is not on WhatsApp', kind: 'not_on_whatsapp' });
  await stack.sim.waitForCall({ fn: 'queryWidExists' }); // the page reports its calls over its socket, a moment later
  expect(calls('queryWidExists')).toHaveLength(1);
  expect((await stack.browser.readStorage('local', 'follows')).map((f: { id: string }) => f.id)).toEqual([alice.phone, group.id]);

  expect((await call('unfollow', group.id)).value.map((f: { id: string }) => f.id)).toEqual([alice.phone]);
});

it('refuses to follow past the cap, saying why', async () => {
  await setLocalItems(stack.browser, { behaviour: { ...DEFAULT_BEHAVIOUR, followCap: 1 } });
  try {
    await wait(100);
    const refused = await call('follow', { id: bob.phone, name: 'Bob' });
    expect(refused).toEqual({ ok: false, error: expect.stringContaining('looks like automation to WhatsApp'), kind: 'refused_by_cap' });
    expect(calls('subscribeUserPresence')).toEqual([]);
  } finally {
    await setLocalItems(stack.browser, { behaviour: DEFAULT_BEHAVIOUR });
  }
});

it("reads a chat's current presence from WhatsApp's models in WAHA's shape", async () => {
  await stack.sim.online('alice');
  expect(await call('readPresence', alice.phone)).toEqual({
    ok: true,
    value: { id: alice.phone, presences: [{ participant: alice.phone, lastKnownPresence: 'online', lastSeen: null }] },
  });
  await stack.sim.typing('group', { participant: 'bob' });
  expect((await call('readPresence', group.id)).value).toEqual({
    id: group.id,
    presences: [{ participant: bob.phone, lastKnownPresence: 'typing', lastSeen: null }],
  });
  expect(calls('PresenceCollection.find')).toEqual([]); // reading never subscribes
});

it('re-subscribes followed contacts when WhatsApp Web connects again', async () => {
  await stack.page!.reload();
  await stack.sim.waitForPage(15_000);
  const renewed = await stack.sim.waitForCall({ fn: 'subscribeUserPresence' }, 10_000);
  expect(String(renewed.args[0])).toBe(alice.lid);
});
