import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startReceiver } from '../receiver/receiver.mjs';
import { startWhatsAppSim } from '../sim/server.mjs';
import { launchExtensionBrowser, setLocalItems, waitForHook } from '../support/driver.mjs';
import { testWebhook } from '../support/extension-browser.mjs';

// Nothing lost across a full browser restart: the outbox is in storage.local
// (one key per entry), so what was queued when the browser closed goes out
// when it starts again with the same profile, with its original event id.

let sim: Awaited<ReturnType<typeof startWhatsAppSim>>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let browser: Awaited<ReturnType<typeof launchExtensionBrowser>> | undefined;
const profile = mkdtempSync(join(tmpdir(), 'wa-presence-profile-'));

beforeAll(async () => {
  [sim, receiver] = await Promise.all([startWhatsAppSim({}), startReceiver({ respond: () => 503 })]);
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([sim?.close(), receiver?.close()]);
  rmSync(profile, { recursive: true, force: true });
});

it('delivers after a restart what was queued when the browser closed, with the same event ids', async () => {
  browser = await launchExtensionBrowser(sim, { userDataDir: profile });
  // Retries 3 s apart: the events are still queued when the browser closes right after the first refusals.
  await setLocalItems(browser, { webhooks: [testWebhook(receiver.url, { retries: { policy: 'constant', delaySeconds: 3, attempts: 50 } })] });
  const page = await browser.newPage();
  await page.goto('https://web.whatsapp.com/');
  await sim.waitForPage(15_000);
  await waitForHook(browser, 'stanzaTap');
  await sim.typing('alice');
  await sim.recording('bob');
  await receiver.waitFor(() => receiver.requests.filter((r) => r.body?.event === 'presence.update').length >= 2, 5_000);
  const refused = receiver.requests.filter((r) => r.body?.event === 'presence.update').map((r) => r.body.id);
  await browser.close();
  browser = undefined;

  receiver.setResponder(() => 200);
  receiver.clear();
  browser = await launchExtensionBrowser(sim, { userDataDir: profile });
  // No WhatsApp tab this time: the background alone delivers its outbox.
  await receiver.waitFor(() => receiver.events.filter((e) => e?.event === 'presence.update').length >= 2, 15_000);
  const delivered = receiver.events.filter((e) => e?.event === 'presence.update');
  expect(delivered.map((e) => e.id).sort()).toEqual([...refused].sort());
  expect(delivered.map((e) => e.payload.presences[0].lastKnownPresence).sort()).toEqual(['recording', 'typing']);
});
