import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { fixtures } from '../sim/server.mjs';
import { startStack } from '../support/stack.mjs';
import { timingOf } from '../support/expected-presence.mjs';

// Every presence state WhatsApp Web delivers, for 1:1 chats and group members,
// with the ids a backend knows, reported once although two layers see it.

const { alice, bob, carol } = fixtures.contacts;
const group = fixtures.groups.group;
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let stack: Awaited<ReturnType<typeof startStack>>;
type Received = (typeof stack.receiver.requests)[number];
const presenceUpdates = () => stack.receiver.requests.filter((r: Received) => r.body?.event === 'presence.update').map((r: Received) => r.body.payload);

/** Waits for `count` presence.update payloads, then a quiet 300 ms in which no other arrives. */
async function expectUpdates(count: number) {
  const deadline = Date.now() + 3_000;
  while (presenceUpdates().length < count && Date.now() < deadline) await wait(25);
  await wait(300);
  return presenceUpdates();
}

beforeAll(async () => {
  stack = await startStack();
  await stack.openWhatsApp();
});
beforeEach(() => stack.receiver.clear());
afterAll(() => stack?.close());

it('has both presence layers live on a full build', async () => {
  const hooks = await stack.browser.readStorage('session', 'hookStatus');
  expect(hooks.stanzaTap.status).toBe('live');
  expect(hooks.presenceModels.status).toBe('live');
});

it('reports all five 1:1 states under the phone id, each once though both layers see it', async () => {
  await stack.sim.online('alice');
  await stack.sim.typing('alice');
  await stack.sim.recording('alice');
  await stack.sim.paused('alice');
  await stack.sim.offline('alice', { last: 1_700_000_000 });
  await stack.sim.online('alice');
  await stack.sim.offline('alice', { last: 'deny' });
  const presence = (state: string, lastSeen: number | null = null) => ({
    id: alice.phone,
    presences: [{ participant: alice.phone, lastKnownPresence: state, lastSeen, lid: alice.lid, ...timingOf(state) }],
  });
  const updates = await expectUpdates(7);
  expect(updates).toEqual([
    presence('online'),
    presence('typing'),
    presence('recording'),
    presence('paused'),
    presence('offline', 1_700_000_000),
    presence('online'),
    presence('offline', null), // last seen hidden by the contact
  ]);
  // Conversation timing: typing then recording is one run, and the paused that ends it says how long it lasted.
  const [, typing, recording, paused] = updates.map((payload: any) => payload.presences[0]);
  expect(recording.activeSince).toBe(typing.activeSince);
  expect(paused.activeSince).toBe(typing.activeSince);
  expect(paused.activeMs).toBeGreaterThanOrEqual(0);
  expect(paused.activeMs).toBeLessThan(5_000);
});

it("reports group members' typing, recording and paused under the group id, with the member's phone id", async () => {
  await stack.sim.typing('group', { participant: 'bob' });
  await stack.sim.recording('group', { participant: 'alice' });
  await stack.sim.paused('group', { participant: 'bob' });
  const member = (participant: string, lid: string, state: string) => ({ id: group.id, presences: [{ participant, lastKnownPresence: state, lastSeen: null, lid, ...timingOf(state) }] });
  expect(await expectUpdates(3)).toEqual([member(bob.phone, bob.lid, 'typing'), member(alice.phone, alice.lid, 'recording'), member(bob.phone, bob.lid, 'paused')]);
});

it('keeps the LID only for a contact whose phone WhatsApp does not know', async () => {
  await stack.sim.online('carol');
  expect(await expectUpdates(1)).toEqual([{ id: carol.lid, presences: [{ participant: carol.lid, lastKnownPresence: 'online', lastSeen: null }] }]);
});

it('falls back to the Presence models on a build without the stanza decoder, the rest still working', async () => {
  const modelsOnly = await startStack({ sim: { omit: ['WAWap'] } });
  try {
    const page = await modelsOnly.browser.newPage();
    await page.goto('https://web.whatsapp.com/');
    await modelsOnly.sim.waitForPage(15_000);
    const deadline = Date.now() + 10_000;
    let hooks: any;
    while (Date.now() < deadline && !(hooks = await modelsOnly.browser.readStorage('session', 'hookStatus'))?.stanzaTap) await wait(100);
    expect(hooks.stanzaTap).toMatchObject({ status: 'unavailable', detail: expect.stringContaining('WAWap missing on WhatsApp Web') });
    expect(hooks.presenceModels.status).toBe('live');

    await modelsOnly.sim.typing('alice');
    await modelsOnly.sim.paused('alice');
    await modelsOnly.sim.typing('group', { participant: 'bob' });
    await modelsOnly.sim.offline('bob', { last: 1_700_000_123 });
    const updates = async (count: number) => {
      const until = Date.now() + 3_000;
      const payloads = () => modelsOnly.receiver.requests.filter((r: Received) => r.body?.event === 'presence.update').map((r: Received) => r.body.payload.presences[0]);
      while (payloads().length < count && Date.now() < until) await wait(25);
      await wait(300);
      return payloads();
    };
    const received = await updates(4);
    // Chats are delivered in parallel: order holds per chat, not across chats.
    const of = (participant: string) => received.filter((p: any) => p.participant === participant);
    expect(received).toHaveLength(4);
    expect(of(alice.phone)).toEqual([
      { participant: alice.phone, lastKnownPresence: 'typing', lastSeen: null, lid: alice.lid, ...timingOf('typing') },
      { participant: alice.phone, lastKnownPresence: 'paused', lastSeen: null, lid: alice.lid, ...timingOf('paused') }, // typing → available
    ]);
    expect(of(bob.phone)).toEqual(
      expect.arrayContaining([
        { participant: bob.phone, lastKnownPresence: 'typing', lastSeen: null, lid: bob.lid, ...timingOf('typing') }, // in the group
        { participant: bob.phone, lastKnownPresence: 'offline', lastSeen: 1_700_000_123, lid: bob.lid },
      ]),
    );
    expect((await modelsOnly.browser.readStorage('session', 'whatsappSession')).status).toBe('WORKING');
  } finally {
    await modelsOnly.close();
  }
});
