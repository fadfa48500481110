import { afterAll, beforeAll, expect, it } from 'vitest';
import { startStack } from '../support/stack.mjs';

// Freshness over backlog (utils/outbox/folding.ts): while the backend is down,
// a contact's changes queue behind the one being retried; once they waited
// over the webhook's foldAfterMs, the newest state goes out in their turn,
// listing the changes it replaced.

let stack: Awaited<ReturnType<typeof startStack>>;
const ALICE = '15551110001@c.us';
const accepted = () => stack.receiver.requests.filter((r) => r.status < 300 && r.body?.event === 'presence.update' && r.body.payload.id === ALICE);

beforeAll(async () => {
  stack = await startStack({ webhook: { foldAfterMs: 1000 } });
  await stack.openWhatsApp();
});
afterAll(() => stack?.close());

it('folds a backlog into the final state, which arrives right after the change being retried, and counts it', async () => {
  stack.receiver.setResponder(() => 503);
  await stack.sim.typing('alice');
  await stack.receiver.waitFor((r) => r.status === 503, 3_000); // the first change is being retried
  await stack.sim.paused('alice');
  await stack.sim.typing('alice');
  await stack.sim.paused('alice');
  await stack.sim.recording('alice');
  const queuedAt = Date.now();
  await new Promise((resolve) => setTimeout(resolve, 1_300)); // the queued ones are now older than foldAfterMs
  stack.receiver.setResponder(() => 200);
  await stack.receiver.waitFor((r) => r.status < 300 && r.body?.payload?.presences?.[0]?.lastKnownPresence === 'recording', 5_000);

  const delivered = accepted().map((r) => r.body.payload);
  expect(delivered.map((payload) => payload.presences[0].lastKnownPresence)).toEqual(['typing', 'recording']);
  expect(delivered[0].folded).toBeUndefined();
  expect(delivered[1].folded.count).toBe(3);
  expect(delivered[1].folded.changes.map((c: { lastKnownPresence: string }) => c.lastKnownPresence)).toEqual(['paused', 'typing', 'paused']);
  for (const folded of delivered[1].folded.changes) expect(folded.at).toBeLessThanOrEqual(queuedAt);
  const health = await stack.browser.call('getDeliveryHealth');
  expect(health.folded).toBe(3);
});

it('sends every change when the backend keeps up', async () => {
  stack.receiver.clear();
  for (const [index, state] of (['typing', 'paused', 'typing', 'paused'] as const).entries()) {
    await stack.sim[state]('alice');
    await stack.receiver.waitFor(() => accepted().length === index + 1, 3_000); // delivered before the next change
  }
  expect(accepted().map((r) => r.body.payload.presences[0].lastKnownPresence)).toEqual(['typing', 'paused', 'typing', 'paused']);
  expect(accepted().every((r) => r.body.payload.folded === undefined)).toBe(true);
});
