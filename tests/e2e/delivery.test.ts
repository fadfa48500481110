import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { stanzas } from '../sim/server.mjs';
import { setLocalItems } from '../support/driver.mjs';
import { testWebhook } from '../support/extension-browser.mjs';
import { startStack } from '../support/stack.mjs';
import { DEFAULT_BEHAVIOUR as TEST_BEHAVIOUR } from '../../utils/behaviour';

// Webhooks that arrive once per real change, signed, in order per chat, and
// are never lost: not to a failing backend, not to a stopped service worker.

let stack: Awaited<ReturnType<typeof startStack>>;
type Received = (typeof stack.receiver.requests)[number];
const isPresence = (r: Received) => r.body?.event === 'presence.update';
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  stack = await startStack({ hmacKey: 'delivery-secret' });
  await stack.openWhatsApp();
});
beforeEach(async () => {
  stack.receiver.clear();
  stack.receiver.setResponder(() => 200);
  await setLocalItems(stack.browser, {
    webhooks: [testWebhook(stack.receiver.url, { hmacKey: 'delivery-secret', retries: { policy: 'constant', delaySeconds: 1, attempts: 5 } })],
  });
});
afterAll(() => stack?.close());

it('retries a backend that answers 500 three times, then delivers the same event id on the 200', async () => {
  let failures = 0;
  stack.receiver.setResponder((r) => (isPresence(r) && failures++ < 3 ? 500 : 200));
  await stack.sim.typing('alice');
  await stack.receiver.waitFor((r) => isPresence(r) && r.status === 200, 10_000);
  const attempts = stack.receiver.requests.filter(isPresence);
  expect(attempts.map((r) => r.status)).toEqual([500, 500, 500, 200]);
  expect(new Set(attempts.map((r) => r.body.id)).size).toBe(1);
  expect(new Set(attempts.map((r) => r.headers['x-webhook-request-id'])).size).toBe(4);
  expect(attempts.every((r) => r.hmacValid)).toBe(true);
  await wait(1500);
  expect(stack.receiver.requests.filter(isPresence)).toHaveLength(4); // nothing after the 200
});

it('still delivers after the background was stopped in the middle of an outage', async () => {
  stack.receiver.setResponder((r) => (isPresence(r) ? 503 : 200));
  await stack.sim.recording('bob');
  const first = await stack.receiver.waitFor(isPresence, 3_000);

  await stack.browser.suspendBackground(); // Chrome's service worker stopped, Firefox's event page unloaded
  stack.receiver.setResponder(() => 200); // the backend is back while the background is stopped

  const delivered = await stack.receiver.waitFor((r) => isPresence(r) && r.status === 200, 20_000);
  expect(delivered.body.id).toBe(first.body.id);
  expect(delivered.body.payload.presences[0]).toMatchObject({ participant: '15551110002@c.us', lastKnownPresence: 'recording' });
});

it('keeps the presence state across a background restart: a repeat is still not a new event', async () => {
  const bobStates = () =>
    stack.receiver.requests.filter((r) => isPresence(r) && r.body.payload.id === '15551110002@c.us').map((r) => r.body.payload.presences[0].lastKnownPresence);
  await stack.sim.typing('bob');
  await stack.receiver.waitFor((r) => isPresence(r) && r.body.payload.presences[0].lastKnownPresence === 'typing', 3_000);
  await wait(400); // the table is saved in batches
  await stack.browser.suspendBackground();
  await stack.sim.typing('bob'); // wakes the background; the same state as before the stop
  await stack.sim.paused('bob');
  // Bob's own: an earlier test's typing may lapse into a synthetic paused meanwhile.
  await stack.receiver.waitFor((r) => isPresence(r) && r.body.payload.id === '15551110002@c.us' && r.body.payload.presences[0].lastKnownPresence === 'paused', 5_000);
  expect(bobStates()).toEqual(['typing', 'paused']);
});

it('delivers a burst across many chats complete and in order per chat, folded changes included', async () => {
  const chats = Array.from({ length: 100 }, (_, i) => `1555300${String(i).padStart(4, '0')}@c.us`);
  const sequence = ['typing', 'paused', 'recording', 'paused', 'online'] as const;
  const build = (chat: string, state: (typeof sequence)[number]) =>
    state === 'online' ? stanzas.presenceAvailable(chat) : stanzas.chatstate(chat, state === 'typing' ? 'composing' : state);
  const health = () => stack.browser.call('getDeliveryHealth');
  const foldedBefore = (await health()).folded;
  // Interleaved as they would arrive: every chat's first change, then every chat's second…
  await stack.sim.deliverBurst(sequence.flatMap((state) => chats.map((chat) => build(chat, state))));

  // Every change arrives, on its own or, if the backend fell behind, listed in
  // the newer event that replaced it (utils/outbox/folding.ts).
  const expected = chats.length * sequence.length;
  const changesIn = (r: (typeof stack.receiver.requests)[number]) => 1 + (r.body.payload.folded?.count ?? 0);
  // This burst's chats only: an earlier test's typing may lapse into a synthetic paused meanwhile.
  const ours = new Set(chats);
  const burstEvents = () => stack.receiver.requests.filter((r) => isPresence(r) && ours.has(r.body.payload.id));
  const arrived = () => burstEvents().reduce((sum, r) => sum + changesIn(r), 0);
  const deadline = Date.now() + 20_000;
  while (arrived() < expected && Date.now() < deadline) await wait(100);
  const received = burstEvents();
  expect(arrived()).toBe(expected);
  for (const chat of chats) {
    const states = received
      .filter((r) => r.body.payload.id === chat)
      .flatMap((r) => [...(r.body.payload.folded?.changes ?? []).map((c: { lastKnownPresence: string }) => c.lastKnownPresence), r.body.payload.presences[0].lastKnownPresence]);
    expect(states, chat).toEqual([...sequence]);
  }
  expect(new Set(received.map((r) => r.body.id)).size).toBe(received.length);
  expect((await health()).folded - foldedBefore).toBe(expected - received.length); // every folded change counted
});

it('ends typing after the quiet timeout, and when the typist’s message arrives', async () => {
  await setLocalItems(stack.browser, { behaviour: { ...TEST_BEHAVIOUR, typingTimeoutSeconds: 1 } });
  const states = (id: string) =>
    stack.receiver.requests.filter((r) => isPresence(r) && r.body.payload.id === id).map((r) => r.body.payload.presences[0].lastKnownPresence);

  await stack.sim.typing('carol'); // no phone known: reported under her LID
  await stack.receiver.waitFor((r) => isPresence(r) && r.body.payload.id === '81110003@lid' && r.body.payload.presences[0].lastKnownPresence === 'paused', 5_000);
  expect(states('81110003@lid')).toEqual(['typing', 'paused']);

  await stack.sim.typing('group', { participant: 'alice' });
  await stack.sim.message('group', { participant: 'alice' });
  const group = '120363000000000001@g.us';
  await stack.receiver.waitFor((r) => isPresence(r) && r.body.payload.id === group && r.body.payload.presences[0].lastKnownPresence === 'paused', 3_000);
  const paused = stack.receiver.requests.filter((r) => isPresence(r) && r.body.payload.id === group).at(-1)!;
  expect(paused.body.payload.presences[0].participant).toBe('15551110001@c.us');
  await setLocalItems(stack.browser, { behaviour: TEST_BEHAVIOUR });
});

it('reports the session: WORKING while connected, STOPPED when the tab closes', async () => {
  const session = await stack.browser.readStorage('session', 'whatsappSession');
  expect(session.status).toBe('WORKING');
  await stack.page!.close();
  const stopped = await stack.receiver.waitFor((r) => r.body?.event === 'session.status' && r.body.payload.status === 'STOPPED', 5_000);
  expect(stopped.body).toMatchObject({ event: 'session.status', session: 'default', engine: 'WEBJS', payload: { status: 'STOPPED' } });
});

it('resumes by itself (its alarm) after the background was stopped mid-outage, with no WhatsApp tab left to wake it', async () => {
  // The tab closed above; a new one makes the event, then goes too, so that
  // no content script reconnects: only the outbox's own wake-up can start the
  // background again (Chrome's worker, Firefox's event page).
  await setLocalItems(stack.browser, {
    webhooks: [testWebhook(stack.receiver.url, { hmacKey: 'delivery-secret', retries: { policy: 'constant', delaySeconds: 1, attempts: 20 } })],
  });
  stack.receiver.setResponder((r) => (isPresence(r) ? 503 : 200));
  const page = await stack.openWhatsApp();
  await stack.sim.typing('alice');
  const first = await stack.receiver.waitFor(isPresence, 3_000);
  await page.close();
  await stack.receiver.waitFor((r) => r.body?.event === 'session.status' && r.body.payload.status === 'STOPPED', 5_000);

  await stack.browser.suspendBackground();
  stack.receiver.setResponder(() => 200); // the backend is back while nothing runs

  const delivered = await stack.receiver.waitFor((r) => isPresence(r) && r.status === 200, 20_000);
  expect(delivered.body.id).toBe(first.body.id);
  expect(delivered.hmacValid).toBe(true);
  expect(delivered.body.payload.presences[0]).toMatchObject({ participant: '15551110001@c.us', lastKnownPresence: 'typing' });
});
