import { afterAll, beforeAll, expect, it } from 'vitest';
import { readPresenceTable } from '../support/driver.mjs';
import { startStack } from '../support/stack.mjs';

// WAHA's session.status tells the team which operators are live; a logout
// leaves no presence behind.

let stack: Awaited<ReturnType<typeof startStack>>;
const statuses = () => stack.receiver.requests.filter((r) => r.body?.event === 'session.status').map((r) => r.body.payload.status);
const presenceState = () => readPresenceTable(stack.browser);

beforeAll(async () => {
  stack = await startStack();
  await stack.openWhatsApp();
});
afterAll(() => stack?.close());

it('goes STARTING → WORKING while WhatsApp Web loads and connects', async () => {
  await stack.receiver.waitFor((r) => r.body?.payload?.status === 'WORKING', 5_000);
  expect(statuses()).toEqual(['STARTING', 'WORKING']);
});

it('on logout sends SCAN_QR_CODE and clears the presence state', async () => {
  await stack.sim.typing('alice');
  await stack.receiver.waitFor((r) => r.body?.event === 'presence.update', 3_000);
  await new Promise((resolve) => setTimeout(resolve, 400)); // the table is saved in batches
  expect(Object.keys(await presenceState())).toEqual(['15551110001@c.us']);

  await stack.sim.logout();
  await stack.receiver.waitFor((r) => r.body?.payload?.status === 'SCAN_QR_CODE', 5_000);
  expect(statuses()).toEqual(['STARTING', 'WORKING', 'SCAN_QR_CODE']);
  expect(await presenceState()).toEqual({});
});

it('reports FAILED, naming the missing modules, on a WhatsApp build with neither presence layer', async () => {
  const broken = await startStack({ sim: { omit: ['WAWap', 'WAWebPresenceCollection'] } });
  try {
    const page = await broken.browser.newPage();
    await page.goto('https://web.whatsapp.com/');
    const failed = await broken.receiver.waitFor((r) => r.body?.payload?.status === 'FAILED', 10_000).catch(async (error) => {
      // Say what the extension knew, so a failure in CI can be read without a rerun.
      const session = await broken.browser.readArea('session');
      throw new Error(`${error.message}; extension session storage: ${JSON.stringify(session)}`);
    });
    expect(failed.body.event).toBe('session.status');
    const hook = await broken.browser.readStorage('session', 'hookStatus');
    expect(hook.stanzaTap).toMatchObject({ status: 'unavailable', detail: 'WAWap missing on WhatsApp Web 2.3000.1017054665' });
    expect(hook.presenceModels).toMatchObject({ status: 'unavailable', detail: 'WAWebPresenceCollection missing on WhatsApp Web 2.3000.1017054665' });
    expect(hook.session.status).toBe('live');
    expect(hook.chatState.status).toBe('live'); // the commands still work
    expect(failed.body.payload).toMatchObject({
      name: 'default',
      status: 'FAILED',
      data: { reason: 'the presence hook does not work on WhatsApp Web 2.3000.1017054665', detail: expect.stringContaining('WAWap missing') },
    });

    // A reconnect does not make it WORKING: the hook is still broken.
    await broken.sim.disconnect();
    await broken.sim.waitForPage(15_000);
    await new Promise((resolve) => setTimeout(resolve, 800));
    const all = broken.receiver.requests.filter((r) => r.body?.event === 'session.status').map((r) => r.body.payload.status);
    expect(all.slice(all.indexOf('FAILED'))).toEqual(['FAILED']);
  } finally {
    await broken.close();
  }
});
