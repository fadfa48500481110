import { afterAll, beforeAll, expect, it } from 'vitest';
import { fixtures } from '../sim/server.mjs';
import { startStack } from '../support/stack.mjs';

// The walking skeleton's promise: a contact starts typing in (simulated)
// WhatsApp Web and the team's backend gets a WAHA presence.update within 2 s.

let stack: Awaited<ReturnType<typeof startStack>>;

beforeAll(async () => {
  stack = await startStack({ hmacKey: 'e2e-secret' });
  await stack.openWhatsApp();
});

afterAll(() => stack?.close());

it('forwards a contact typing as one signed WAHA presence.update within 2 s', async () => {
  const { sim, receiver } = stack;
  const alice = fixtures.contacts.alice;
  const sentAt = Date.now();
  await sim.typing('alice'); // arrives under Alice's LID, as 1:1 presence does since 2026
  const request = await receiver.waitFor((r) => r.body?.event === 'presence.update', 2_000);

  expect(request.hmacValid).toBe(true);
  expect(request.headers['content-type']).toBe('application/json');
  expect(request.headers['x-webhook-hmac-algorithm']).toBe('sha512');
  expect(request.headers['x-webhook-request-id']).toMatch(/^req_/);
  expect(request.body).toMatchObject({
    event: 'presence.update',
    session: 'default',
    metadata: {},
    engine: 'WEBJS',
    me: { id: fixtures.me.phone, pushName: fixtures.me.pushname, lid: fixtures.me.lid },
    environment: { engine: 'WEBJS', worker: { id: null } },
    payload: {
      id: alice.phone,
      presences: [{ participant: alice.phone, lastKnownPresence: 'typing', lastSeen: null, lid: alice.lid, activeSince: expect.any(Number) }],
    },
  });
  expect(request.body.payload.presences[0].activeSince).toBeGreaterThanOrEqual(sentAt); // when the typing began
  expect(request.body.id).toMatch(/^evt_[0-9a-z]{26}$/);
  expect(request.body.timestamp).toBeGreaterThanOrEqual(sentAt);
  expect(request.body.timestamp).toBeLessThanOrEqual(request.at);
  expect(request.at - sentAt).toBeLessThan(2_000);

  // Exactly one event for one change.
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(receiver.requests.filter((r) => r.body?.event === 'presence.update')).toHaveLength(1);
});
