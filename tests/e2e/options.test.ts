import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { setLocalItems } from '../support/driver.mjs';
import { readmeScreenshot, storeViewportScreenshot } from '../support/readme-screenshot.mjs';
import { startStack } from '../support/stack.mjs';

// The options page in real Chromium, driven by accessible names: a team lead
// configures a webhook and sees the test event arrive at the (real, local)
// receiver; session metadata reaches the envelope; dead letters are retried.

const SECRET = 'options-e2e-secret';
let stack: Awaited<ReturnType<typeof startStack>>;
let page: Page;

const stored = (area: 'local' | 'session', key: string) => stack.browser.readStorage(area, key);

beforeAll(async () => {
  stack = await startStack({ hmacKey: SECRET });
  // Start as a fresh install: no webhook yet (the stack configures one for other tests).
  await setLocalItems(stack.browser, { webhooks: [] });
  page = await stack.browser.openExtensionPage('options.html');
  await page.setViewportSize({ width: 900, height: 1000 });
  await page.emulateMedia({ colorScheme: 'light' });
});
afterAll(() => stack?.close());

it('saves session metadata, configures a webhook and shows the test event the receiver got', async () => {
  await page.getByLabel('Session name', { exact: true }).fill('sales-desk');
  await page.getByRole('button', { name: 'Add metadata', exact: true }).click();
  await page.getByLabel('Metadata key 1', { exact: true }).fill('user.email');
  await page.getByLabel('Metadata value 1', { exact: true }).fill('operator@example.org');
  await page.getByRole('button', { name: 'Save session', exact: true }).click();
  await expect.poll(() => stored('local', 'sessionSettings')).toEqual({ name: 'sales-desk', metadata: { 'user.email': 'operator@example.org' } });

  // A bad URL is explained next to the field, and nothing is stored.
  await page.getByLabel('Webhook URL', { exact: true }).fill('http://backend.example/webhook');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect.poll(() => page.getByText('Plain http is only allowed to this machine', { exact: false }).isVisible()).toBe(true);
  expect(await stored('local', 'webhooks')).toEqual([]);

  await page.getByLabel('Webhook URL', { exact: true }).fill(stack.receiver.url);
  await page.getByLabel('HMAC secret', { exact: true }).fill(SECRET);
  await page.getByLabel('Format', { exact: true }).selectOption('waha');
  await page.getByLabel('Retry policy', { exact: true }).selectOption('linear');
  await page.getByLabel('Retry delay', { exact: true }).fill('1');
  await page.getByLabel('Retry attempts', { exact: true }).fill('2');
  await page.getByLabel('Custom headers', { exact: true }).fill('X-Team: sales');
  await page.getByLabel('Events', { exact: true }).selectOption(['*']);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByText('Saved.', { exact: true }).waitFor();
  const [webhook] = await stored('local', 'webhooks');
  expect(webhook).toMatchObject({
    url: stack.receiver.url,
    hmacKey: SECRET,
    events: ['*'],
    format: 'waha',
    headers: [{ name: 'X-Team', value: 'sales' }],
    retries: { policy: 'linear', delaySeconds: 1, attempts: 2 },
  });

  stack.receiver.clear();
  await page.getByRole('button', { name: 'Send test event', exact: true }).click();
  const request = await stack.receiver.waitFor((r) => r.body?.metadata?.test === 'true', 5_000);
  expect(request.hmacValid).toBe(true);
  expect(request.headers['x-team']).toBe('sales');
  expect(request.body).toMatchObject({ event: 'presence.update', session: 'sales-desk', metadata: { 'user.email': 'operator@example.org' } });
  await page.getByText(/^Test event delivered: the backend answered 200 in \d+ ms\.$/).waitFor();

  expect((await readmeScreenshot(page, 'options.png')).length).toBeGreaterThan(1000);
  await storeViewportScreenshot(page, 'screenshot-options-1280x800.png');
});

it("shows the backend's refusal of a test event", async () => {
  stack.receiver.setResponder(() => 401);
  try {
    await page.getByRole('button', { name: 'Send test event', exact: true }).click();
    await page.getByText(/^Test event failed: the backend answered 401 after \d+ ms/).waitFor();
  } finally {
    stack.receiver.setResponder(() => 200);
  }
});

it('lists a dead letter with its reason and delivers it again on Retry', async () => {
  const [webhook] = await stored('local', 'webhooks');
  const body = JSON.stringify({ id: 'evt_deadletter0000000000000000', event: 'presence.update', payload: { id: '15551110001@c.us', presences: [] } });
  const letter = {
    seq: '01JZZZZZZZZZZZZZZZZZZZZZZZ', webhookId: webhook.id, lane: '15551110001@c.us', eventId: 'evt_deadletter0000000000000000',
    event: 'presence.update', body, attempts: 3, nextAttemptAt: 0, createdAt: Date.now() - 60_000,
    reason: 'backend answered 400 Bad Request', failedAt: Date.now() - 30_000,
  };
  await setLocalItems(stack.browser, { deadLetters: [letter] });

  // Follows storage live: no reload needed.
  await page.getByText('backend answered 400 Bad Request', { exact: true }).waitFor();
  stack.receiver.clear();
  await page.getByRole('button', { name: 'Retry', exact: true }).click();
  await page.getByText('Put 1 event(s) back in the outbox.', { exact: true }).waitFor();
  const retried = await stack.receiver.waitFor((r) => r.body?.id === letter.eventId, 5_000);
  expect(retried.raw).toBe(body); // the same event, byte for byte (and signed)
  expect(retried.hmacValid).toBe(true);
  await page.getByText('None.', { exact: true }).waitFor();
});

it('removes a webhook', async () => {
  await page.getByRole('button', { name: `Remove ${stack.receiver.url}`, exact: true }).click();
  await expect.poll(() => stored('local', 'webhooks')).toEqual([]);
});
