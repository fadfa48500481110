import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { DEFAULT_BEHAVIOUR } from '../../utils/behaviour';
import { startRelay } from '../relay/relay.mjs';
import { fixtures } from '../sim/server.mjs';
import { setLocalItems } from '../support/driver.mjs';
import { testWebhook } from '../support/extension-browser.mjs';
import { startStack } from '../support/stack.mjs';

// The team backend drives presence through the relay (tests/relay): a
// curl-style request to WAHA's REST endpoints goes over the control channel
// to the extension in the operator's browser, which acts in WhatsApp Web and
// answers; the relay also receives the webhooks.

const { alice, bob } = fixtures.contacts;
const CONTROL_KEY = 'remote-control-key-0123456789';
const HMAC_KEY = 'relay-webhook-key';
const UNKNOWN = '19999999999@c.us';
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let stack: Awaited<ReturnType<typeof startStack>>;
let relay: Awaited<ReturnType<typeof startRelay>>;

/** What `curl -X METHOD relay/path -d body` answers. */
async function curl(method: string, path: string, body?: unknown) {
  const response = await fetch(`${relay.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const controlSettings = (overrides: Record<string, unknown> = {}) => ({ url: relay.wsUrl, key: CONTROL_KEY, enabled: true, ...overrides });
const status = () => stack.browser.readStorage('session', 'controlStatus');

/** Polls the background's channel status until `check` holds; fails with the last status seen. */
async function statusBecomes(check: (s: any) => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  let last: any;
  while (Date.now() < deadline) {
    last = await status();
    if (last && check(last)) return last;
    await wait(100);
  }
  throw new Error(`the control status did not become as expected in ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
}

/** The remote-request history once `check` holds (the background writes it just after answering); fails with the last one seen. */
async function historyBecomes(check: (history: any[]) => boolean, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  let last: any[] = [];
  while (Date.now() < deadline) {
    last = (await stack.browser.readStorage('session', 'controlHistory')) ?? [];
    if (check(last)) return last;
    await wait(50);
  }
  throw new Error(`the remote-request history did not become as expected in ${timeoutMs} ms; last: ${JSON.stringify(last.slice(0, 3))}`);
}

/** Until the relay has seen the extension's channel close (a stopped background closes it). */
async function sessionGone(timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (relay.sessions().length && Date.now() < deadline) await wait(50);
  if (relay.sessions().length) throw new Error(`the relay still has ${JSON.stringify(relay.sessions())} after ${timeoutMs} ms`);
}

beforeAll(async () => {
  relay = await startRelay({ controlKey: CONTROL_KEY, webhookKey: HMAC_KEY, port: 0 });
  stack = await startStack({ noWebhook: true });
  await setLocalItems(stack.browser, {
    webhooks: [testWebhook(relay.webhookUrl, { hmacKey: HMAC_KEY })],
    // Only followed chats are forwarded: a subscribe through the relay is what makes a contact's presence flow.
    behaviour: { ...DEFAULT_BEHAVIOUR, forwardScope: 'followed' },
  });
  await stack.openWhatsApp();
});
beforeEach(() => stack.sim.clearCalls());
afterAll(async () => {
  await stack?.close();
  await relay?.close();
});

it('opens no channel and keeps nothing alive while no control URL is configured', async () => {
  await stack.sim.typing('bob'); // the background is up and hearing the page
  await wait(500);
  expect(relay.sessions()).toEqual([]);
  expect(await status()).toMatchObject({ state: 'off' });
  const alarms = await stack.browser.inBackground((global: any) => global.browser.alarms.getAll().then((all: any[]) => all.map((a) => a.name)));
  expect(alarms).not.toContain('control-reconnect');
  const answer = await curl('POST', '/api/default/presence', { presence: 'online' });
  expect(answer.status).toBe(503);
  expect(answer.body).toMatchObject({ kind: 'not_connected', message: expect.stringContaining("session 'default'") });
});

it("connects once the operator saves the control URL and key in the options page, and says so there", async () => {
  const options = await stack.browser.openExtensionPage('options.html');
  await options.getByLabel('Control URL', { exact: true }).fill(relay.wsUrl);
  await options.getByLabel('Control key', { exact: true }).fill(CONTROL_KEY);
  await options.getByRole('button', { name: 'Save remote control', exact: true }).click();
  await relay.waitForSession('default', 10_000);
  expect(relay.sessions()[0]).toMatchObject({ session: 'default', version: expect.any(String) });
  await statusBecomes((s) => s.state === 'connected');
  await options.locator('[data-testid=control-status]').getByText(/connected/i).waitFor();
  // Connected, but off until the operator turns it on.
  expect(await curl('POST', '/api/default/presence', { presence: 'online' })).toMatchObject({ status: 403, body: { kind: 'remote_off' } });
  await options.getByRole('switch', { name: 'Let the backend control my presence' }).click();
  await expect.poll(() => stack.browser.readStorage('local', 'controlSettings'), { timeout: 5_000 }).toEqual(controlSettings());
  await options.close();
});

it('sets typing in a chat from a curl-style request, and WhatsApp sends the chat state on the wire', async () => {
  const answer = await curl('POST', '/api/default/presence', { chatId: alice.phone, presence: 'typing' });
  expect(answer).toEqual({ status: 201, body: undefined });
  await stack.sim.waitForSent((s: any) => s.node.tag === 'chatstate' && s.node.attrs.to === alice.lid && s.node.content?.[0]?.tag === 'composing');
  expect((await stack.browser.readStorage('session', 'ownPresence')).chatstate).toMatchObject({ chatId: alice.phone, state: 'typing' });

  expect((await curl('POST', '/api/stopTyping', { session: 'default', chatId: alice.phone })).status).toBe(201);
  await stack.sim.waitForSent((s: any) => s.node.tag === 'chatstate' && s.node.attrs.to === alice.lid && s.node.content?.[0]?.tag === 'paused');
  const history = await historyBecomes((entries) => entries[0]?.op === 'typing.stop');
  expect(history.slice(0, 2)).toEqual([
    expect.objectContaining({ op: 'typing.stop', chatId: alice.phone, ok: true }),
    expect.objectContaining({ op: 'presence.set', chatId: alice.phone, presence: 'typing', ok: true }),
  ]);
});

it("subscribes through the relay: the contact is followed and its presence flows as webhooks to the team's backend", async () => {
  await stack.sim.online('alice');
  await wait(700);
  expect(relay.received.filter((w: any) => w.body?.event === 'presence.update' && w.body.payload.id === alice.phone)).toEqual([]);

  expect(await curl('POST', `/api/default/presence/${encodeURIComponent(alice.phone)}/subscribe`)).toEqual({ status: 201, body: undefined });
  await stack.sim.waitForCall({ module: 'WAWebContactPresenceBridge', fn: 'subscribeUserPresence' });
  expect((await stack.browser.readStorage('local', 'follows')).map((f: any) => f.id)).toContain(alice.phone);

  await stack.sim.typing('alice');
  const webhook = await relay.waitFor((w: any) => w.body?.event === 'presence.update' && w.body.payload.id === alice.phone);
  expect(webhook.hmacValid).toBe(true);
  expect(webhook.body.payload.presences[0]).toMatchObject({ participant: alice.phone, lastKnownPresence: 'typing' });
});

it("reads presence in WAHA's shapes: one chat live from WhatsApp Web, all chats from the extension's table", async () => {
  const one = await curl('GET', `/api/default/presence/${encodeURIComponent(alice.phone)}`);
  expect(one.status).toBe(200);
  expect(one.body).toMatchObject({ id: alice.phone, presences: [expect.objectContaining({ participant: alice.phone, lastKnownPresence: expect.any(String), lastSeen: null })] });

  const all = await curl('GET', '/api/default/presence');
  expect(all.status).toBe(200);
  expect(all.body).toEqual(expect.arrayContaining([expect.objectContaining({ id: alice.phone, presences: [expect.objectContaining({ participant: alice.phone, lastKnownPresence: 'typing' })] })]));
});

it('answers a bad request and an unknown chat with clear errors, and does nothing', async () => {
  const globalWithChat = await curl('POST', '/api/default/presence', { chatId: alice.phone, presence: 'online' });
  expect(globalWithChat.status).toBe(400);
  expect(globalWithChat.body).toMatchObject({ kind: 'bad_request', message: "'online' presence works on the global scope and doesn't require 'chatId' field." });

  const badId = await curl('POST', '/api/startTyping', { session: 'default', chatId: 'alice' });
  expect(badId).toMatchObject({ status: 400, body: { kind: 'bad_id', message: expect.stringContaining('is not a WhatsApp chat id') } });

  const unknown = await curl('POST', '/api/startTyping', { session: 'default', chatId: UNKNOWN });
  expect(unknown.status).toBe(404);
  expect(unknown.body).toMatchObject({ kind: 'unknown_chat', message: expect.stringContaining(UNKNOWN) });
  await wait(300);
  expect(stack.sim.calls.filter((c: any) => String(c.fn).startsWith('sendChatState'))).toEqual([]);
});

it("shows the backend's last change in the popup, whose switch stops remote control: every command is then refused with the reason", async () => {
  expect((await curl('POST', '/api/default/presence', { chatId: bob.phone, presence: 'typing' })).status).toBe(201);
  const popup = await stack.browser.openExtensionPage('popup.html');
  await popup.locator('[data-testid=remote-last]').getByText(/Your team's backend: typing in .*ago/).waitFor();
  expect((await curl('POST', '/api/default/presence', { chatId: bob.phone, presence: 'paused' })).status).toBe(201);
  await popup.locator('[data-testid=remote-last]').getByText(/stopped typing in/).waitFor();
  await popup.getByRole('switch', { name: 'Remote control' }).click();
  await popup.locator('[data-testid=remote-last]').getByText(/off/i).waitFor();
  await popup.close();
  expect((await stack.browser.readStorage('local', 'controlSettings')).enabled).toBe(false);
  stack.sim.clearCalls();

  const refused = await curl('POST', '/api/default/presence', { chatId: bob.phone, presence: 'recording' });
  expect(refused.status).toBe(403);
  expect(refused.body).toMatchObject({ kind: 'remote_off', message: expect.stringContaining('switched off') });
  expect((await curl('GET', '/api/default/presence')).status).toBe(403);
  await wait(300);
  expect(stack.sim.calls.filter((c: any) => String(c.fn).startsWith('sendChatState'))).toEqual([]);
  const [latest] = await historyBecomes((entries) => entries[0]?.op === 'presence.list');
  expect(latest).toMatchObject({ op: 'presence.list', ok: false, error: expect.stringContaining('switched off') });

  // The switch is read at each request: on again, the next one acts.
  await setLocalItems(stack.browser, { controlSettings: controlSettings() });
  expect((await curl('POST', '/api/default/presence', { chatId: bob.phone, presence: 'paused' })).status).toBe(201);
});

it('reconnects by itself when the relay restarts, and commands work again', async () => {
  const port = relay.port;
  await relay.close();
  await statusBecomes((s) => s.state === 'retrying');
  relay = await startRelay({ controlKey: CONTROL_KEY, webhookKey: HMAC_KEY, port });
  await relay.waitForSession('default', 15_000);
  expect((await curl('POST', '/api/startTyping', { session: 'default', chatId: bob.phone })).status).toBe(201);
  await stack.sim.waitForSent((s: any) => s.node.tag === 'chatstate' && s.node.content?.[0]?.tag === 'composing');
  expect((await curl('POST', '/api/stopTyping', { session: 'default', chatId: bob.phone })).status).toBe(201);
});

it('comes back after the background was stopped, when the WhatsApp tab wakes it', async () => {
  await stack.browser.suspendBackground();
  await sessionGone();
  await stack.sim.typing('bob'); // the page speaks: the background starts again and reconnects
  await relay.waitForSession('default', 15_000);
  await statusBecomes((s) => s.state === 'connected');
  expect((await curl('GET', `/api/default/presence/${encodeURIComponent(bob.phone)}`)).status).toBe(200);
});

it('says the key was refused when the backend holds another, and connects nothing', async () => {
  await setLocalItems(stack.browser, { controlSettings: controlSettings({ key: 'another-key-of-enough-length' }) });
  const refused = await statusBecomes((s) => s.state === 'retrying' && /refused the control key/.test(s.detail ?? ''));
  expect(refused.retryAt - Date.now()).toBeGreaterThan(30_000);
  expect(relay.sessions()).toEqual([]);
});
