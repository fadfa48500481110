import { afterAll, beforeAll, expect, it } from 'vitest';
import { startRelay } from '../relay/relay.mjs';
import { isFirefox, setLocalItems } from '../support/driver.mjs';
import { startStack } from '../support/stack.mjs';

// The control channel keeps the background alive only while it is open.
// Firefox unloads an idle event page and does not count WebSocket traffic as
// activity, so the channel's 20 s tick calls an extension API
// (docs/control-channel.md, "Keep-alive"). Here Firefox's idle timeout is 21 s
// instead of 30: just above the tick, so that a stop shows sooner and only the
// tick can keep the page up. Chromium under automation never
// idle-stops its worker (the toolchain notes), so it cannot show this: Firefox only.

const CONTROL_KEY = 'lifetime-control-key-0123456789';
const IDLE_MS = 21_000;
const TICK_MS = 20_000;
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let stack: Awaited<ReturnType<typeof startStack>>;
let relay: Awaited<ReturnType<typeof startRelay>>;

/** Polls the event page's state until it is `state`; fails with the states seen. */
async function backgroundBecomes(state: string, timeoutMs: number) {
  const seen: string[] = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const now = await stack.browser.backgroundState!();
    if (seen.at(-1) !== now) seen.push(now);
    if (now === state) return;
    await wait(250);
  }
  throw new Error(`the event page did not become ${state} in ${timeoutMs} ms (states seen: ${seen.join(' → ')})`);
}

beforeAll(async () => {
  if (!isFirefox) return;
  relay = await startRelay({ controlKey: CONTROL_KEY, port: 0 });
  stack = await startStack({ firefoxPrefs: { 'extensions.background.idle.timeout': IDLE_MS } });
  await stack.openWhatsApp();
});
afterAll(async () => {
  await stack?.close();
  await relay?.close();
});

it.runIf(isFirefox)('keeps the event page running while the channel is open, on one connection, and lets it stop once the URL is removed', { timeout: 120_000 }, async () => {
  // Saving the settings wakes the event page (storage.onChanged), which connects.
  await setLocalItems(stack.browser, { controlSettings: { url: relay.wsUrl, key: CONTROL_KEY, enabled: true } });
  await relay.waitForSession('default', 10_000);
  const since = relay.sessions()[0]!.since;
  await wait(IDLE_MS + TICK_MS / 2); // past an idle period, with a tick in it
  expect(await stack.browser.backgroundState!()).toBe('running');
  expect(relay.sessions()[0]?.since).toBe(since);

  await setLocalItems(stack.browser, { controlSettings: { url: '', key: '', enabled: false } });
  await backgroundBecomes('stopped', 2 * IDLE_MS);
  expect(relay.sessions()).toEqual([]);
});
