import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { startStack } from '../support/stack.mjs';

// Faults that used to wedge or spin the background: storage that refuses to
// write, a backend asking to wait for years, a page clock far in the future.

let stack: Awaited<ReturnType<typeof startStack>>;
type Received = (typeof stack.receiver.requests)[number];
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const events = (name: string) => stack.receiver.requests.filter((r: Received) => r.body?.event === name);

beforeAll(async () => {
  stack = await startStack();
  await stack.openWhatsApp();
});
beforeEach(() => {
  stack.receiver.clear();
  stack.receiver.setResponder(() => 200);
});
afterAll(() => stack?.close());

/** The background answers at once (one spinning in a loop would not). Returns how long it took, ms. */
async function responsiveness() {
  const started = Date.now();
  await stack.browser.inBackground(() => 1);
  return Date.now() - started;
}

it('keeps delivering, session.status included, while storage.local refuses every write, and after', async () => {
  // Both namespaces: in Firefox `browser` (which the extension uses) is not a wrapper of `chrome`.
  await stack.browser.inBackground((g: any) => {
    // Each area once: the two namespaces may share it (then the second look would see our stub).
    const areas = new Set([g.chrome, g.browser].filter(Boolean).map((api: any) => api.storage.local));
    g.__realSets = [...areas].map((local: any) => [local, local.set]);
    for (const local of areas) (local as any).set = () => Promise.reject(new Error('QUOTA_BYTES quota exceeded'));
  });
  try {
    await stack.sim.typing('alice');
    await stack.receiver.waitFor((r: Received) => r.body?.event === 'presence.update', 5_000);
    await stack.sim.setSocketState('CONFLICT');
    await stack.receiver.waitFor((r: Received) => r.body?.event === 'session.status' && r.body.payload.status === 'FAILED', 5_000);
  } finally {
    await stack.browser.inBackground((g: any) => {
      for (const [local, set] of g.__realSets) local.set = set;
    });
  }
  await stack.sim.setSocketState('CONNECTED', { hasSynced: true });
  await stack.receiver.waitFor((r: Received) => r.body?.event === 'session.status' && r.body.payload.status === 'WORKING', 5_000);
  await stack.sim.paused('alice');
  await stack.receiver.waitFor((r: Received) => r.body?.event === 'presence.update' && r.body.payload.presences[0].lastKnownPresence === 'paused', 5_000);
  expect(await responsiveness()).toBeLessThan(1_000);
});

it('neither spins nor re-sends on a Retry-After of three years, nor on a page timestamp far ahead', async () => {
  stack.receiver.setResponder(() => ({ status: 429, headers: { 'Retry-After': '99999999' } }));
  await stack.sim.typing('bob');
  await stack.receiver.waitFor((r: Received) => r.body?.event === 'presence.update', 5_000);
  await wait(3_000);
  // One attempt, then a wait (capped at a day): no loop of immediate re-sends.
  expect(events('presence.update')).toHaveLength(1);
  expect(await responsiveness()).toBeLessThan(1_000);

  // A page clock ten years ahead: its timestamps are not trusted (no expiry years away, no
  // later real change taken for an older one), and nothing loops on them.
  stack.receiver.setResponder(() => 200);
  stack.receiver.clear();
  await stack.page!.evaluate(() => {
    const real = Date.now;
    (window as any).__realNow = real;
    Date.now = () => real() + 10 * 365 * 24 * 3600 * 1000;
  });
  await stack.sim.typing('carol');
  await stack.receiver.waitFor((r: Received) => r.body?.event === 'presence.update' && r.body.payload.presences[0].lastKnownPresence === 'typing', 5_000);
  await stack.page!.evaluate(() => {
    Date.now = (window as any).__realNow;
  });
  await wait(1_000);
  expect(await responsiveness()).toBeLessThan(1_000);
  await stack.sim.paused('carol');
  await stack.receiver.waitFor((r: Received) => r.body?.event === 'presence.update' && r.body.payload.presences[0].lastKnownPresence === 'paused', 5_000);
  expect(await responsiveness()).toBeLessThan(1_000);
});
