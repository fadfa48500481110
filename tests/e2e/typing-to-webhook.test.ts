import { afterAll, beforeAll, expect, it } from 'vitest';
import { startReceiver } from '../receiver/receiver.mjs';
import { fixtures, startWhatsAppSim } from '../sim/server.mjs';
import { configureWebhooks, launchWithExtension, testWebhook, waitForHook } from '../support/extension-browser.mjs';

// The walking skeleton's promise: a contact starts typing in (simulated)
// WhatsApp Web and the team's backend gets a WAHA presence.update within 2 s.

let sim: Awaited<ReturnType<typeof startWhatsAppSim>>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let browser: Awaited<ReturnType<typeof launchWithExtension>>;
const pageLogs: string[] = [];

beforeAll(async () => {
  [sim, receiver] = await Promise.all([startWhatsAppSim(), startReceiver({ hmacKey: 'e2e-secret' })]);
  browser = await launchWithExtension(sim.chromiumArgs);
  await configureWebhooks(browser.worker, [testWebhook(receiver.url, { hmacKey: 'e2e-secret' })]);
  const page = await browser.context.newPage();
  page.on('console', (message) => pageLogs.push(message.text()));
  await page.goto('https://web.whatsapp.com/');
  await sim.waitForPage(15_000);
  await waitForHook(browser.worker, 'stanzaTap');
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([sim?.close(), receiver?.close()]);
});

it('forwards a contact typing as one signed WAHA presence.update within 2 s', async () => {
  const alice = fixtures.contacts.alice;
  const sentAt = Date.now();
  sim.typing('alice');
  const request = await receiver.waitFor((r) => r.body?.event === 'presence.update', 2_000);
  const latency = request.at - sentAt;

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
      presences: [{ participant: alice.phone, lastKnownPresence: 'typing', lastSeen: null }],
    },
  });
  expect(request.body.id).toMatch(/^evt_[0-9a-z]{26}$/);
  expect(request.body.timestamp).toBeGreaterThanOrEqual(sentAt);
  expect(request.body.timestamp).toBeLessThanOrEqual(request.at);
  expect(latency).toBeLessThan(2_000);

  // Exactly one event for one change.
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(receiver.requests.filter((r) => r.body?.event === 'presence.update')).toHaveLength(1);
});
