import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { connectFakeExtension } from '../relay/fake-extension.mjs';
import { startRelay } from '../relay/relay.mjs';

// The relay's HTTP side: WAHA's REST presence endpoints, each forwarded as one
// control request to the extension of its session, its answer turned into
// WAHA's status and body; and the webhooks it receives.

type Request = { id: string; op: string; params: Record<string, unknown> };
type Answer = { ok: true; result: unknown } | { ok: false; error: { kind: string; message: string } };

const KEY = 'the-control-key';
const ALICE = '11111111111@c.us';
const ALICE_PRESENCE = { id: ALICE, presences: [{ participant: ALICE, lastKnownPresence: 'online', lastSeen: null }] };

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function relayForTest(options: { requestTimeoutMs?: number; apiKey?: string; webhookKey?: string } = {}) {
  const relay = await startRelay({ port: 0, controlKey: KEY, ...options });
  cleanups.push(() => relay.close());
  return relay;
}

async function extension(url: string, handler: (request: Request) => Answer | Promise<Answer>, session = 'default') {
  const fake = await connectFakeExtension({ url, key: KEY, session, handler });
  cleanups.push(() => fake.terminate());
  return fake;
}

/** What WhatsApp would answer, as the extension does: a list, one chat, or null. */
const answerLikeWaha = (request: Request): Answer => ({
  ok: true,
  result: request.op === 'presence.list' ? [ALICE_PRESENCE] : request.op === 'presence.get' ? ALICE_PRESENCE : null,
});

const call = async (url: string, method: string, body?: string, headers: Record<string, string> = {}) => {
  const response = await fetch(url, { method, body, headers: { 'Content-Type': 'application/json', ...headers } });
  return { status: response.status, text: await response.text() };
};

/** A promise and its resolver, for an answer the test releases itself. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('relay routes: WAHA endpoint → control op', () => {
  const json = JSON.stringify;
  it.each([
    ['POST', '/api/default/presence', json({ chatId: ALICE, presence: 'typing' }), 'default', 'presence.set', { presence: 'typing', chatId: ALICE }, 201, ''],
    ['POST', '/api/sales/presence', json({ presence: 'online', ignored: true }), 'sales', 'presence.set', { presence: 'online' }, 201, ''],
    // Forwarded as received: the extension is the one that refuses a bad value.
    ['POST', '/api/default/presence', json({ presence: 42, chatId: null }), 'default', 'presence.set', { presence: 42, chatId: null }, 201, ''],
    ['GET', '/api/default/presence', undefined, 'default', 'presence.list', {}, 200, json([ALICE_PRESENCE])],
    ['GET', '/api/sales/presence/11111111111%40c.us', undefined, 'sales', 'presence.get', { chatId: ALICE }, 200, json(ALICE_PRESENCE)],
    ['GET', `/api/default/presence/${ALICE}?extra=1`, undefined, 'default', 'presence.get', { chatId: ALICE }, 200, json(ALICE_PRESENCE)],
    ['POST', `/api/sales/presence/${ALICE}/subscribe`, undefined, 'sales', 'presence.subscribe', { chatId: ALICE }, 201, ''],
    ['POST', '/api/startTyping', json({ session: 'sales', chatId: ALICE }), 'sales', 'typing.start', { chatId: ALICE }, 201, ''],
    ['POST', '/api/startTyping', json({ chatId: ALICE }), 'default', 'typing.start', { chatId: ALICE }, 201, ''],
    ['POST', '/api/stopTyping', json({ session: 'default', chatId: ALICE }), 'default', 'typing.stop', { chatId: ALICE }, 201, ''],
  ])('%s %s %s → %s %s', async (method, path, body, session, op, params, status, answered) => {
    const relay = await relayForTest();
    const fakes = {
      default: await extension(relay.wsUrl, answerLikeWaha, 'default'),
      sales: await extension(relay.wsUrl, answerLikeWaha, 'sales'),
    };
    const response = await call(relay.url + path, method, body);
    expect(response).toEqual({ status, text: answered });

    const other = session === 'default' ? 'sales' : 'default';
    expect(fakes[session as 'default'].requests).toEqual([{ id: expect.any(String), op, params }]);
    expect(fakes[other].requests).toEqual([]);
    expect(relay.exchanges).toEqual([
      expect.objectContaining({ method, status, forwarded: { id: fakes[session as 'default'].requests[0]!.id, session, op, params } }),
    ]);
  });

  it('answers a POST whose result is not null with 201 and the result as JSON', async () => {
    const relay = await relayForTest();
    await extension(relay.wsUrl, () => ({ ok: true, result: { held: true } }));
    expect(await call(`${relay.url}/api/default/presence`, 'POST', '{"presence":"online"}')).toEqual({ status: 201, text: '{"held":true}' });
  });

  it('gives every request its own id and matches answers that come out of order', async () => {
    const relay = await relayForTest();
    const releases = new Map<string, (answer: Answer) => void>();
    const bothArrived = deferred<void>();
    const fake = await extension(relay.wsUrl, (request) => {
      const answer = deferred<Answer>();
      releases.set(String(request.params.chatId), answer.resolve);
      if (releases.size === 2) bothArrived.resolve();
      return answer.promise;
    });
    const first = call(`${relay.url}/api/default/presence/first@c.us`, 'GET');
    const second = call(`${relay.url}/api/default/presence/second@c.us`, 'GET');
    await bothArrived.promise;
    releases.get('second@c.us')!({ ok: true, result: { id: 'second@c.us', presences: [] } });
    expect(await second).toEqual({ status: 200, text: '{"id":"second@c.us","presences":[]}' });
    releases.get('first@c.us')!({ ok: true, result: { id: 'first@c.us', presences: [] } });
    expect(await first).toEqual({ status: 200, text: '{"id":"first@c.us","presences":[]}' });
    const [a, b] = fake.requests;
    expect(a!.id).not.toBe(b!.id);
  });

  it.each([
    ['POST', '/api/default/presence/x@c.us'],
    ['GET', `/api/default/presence/${ALICE}/subscribe`],
    ['DELETE', '/api/default/presence'],
    ['GET', '/api/startTyping'],
    ['POST', '/api/default/status'],
    ['GET', '/api'],
  ])('answers %s %s with 404, forwarding nothing', async (method, path) => {
    const relay = await relayForTest();
    const fake = await extension(relay.wsUrl, answerLikeWaha);
    const response = await call(relay.url + path, method);
    expect(response.status).toBe(404);
    expect(JSON.parse(response.text)).toEqual({ statusCode: 404, error: 'Not Found', message: `Cannot ${method} ${path}` });
    expect(fake.requests).toEqual([]);
  });
});

describe('relay routes: refusals and failures', () => {
  it.each([
    ['bad_request', 400, 'Bad Request'],
    ['unknown_op', 400, 'Bad Request'],
    ['bad_id', 400, 'Bad Request'],
    ['remote_off', 403, 'Forbidden'],
    ['unknown_chat', 404, 'Not Found'],
    ['not_on_whatsapp', 404, 'Not Found'],
    ['no_lid', 404, 'Not Found'],
    ['refused_by_cap', 429, 'Too Many Requests'],
    ['no_tab', 503, 'Service Unavailable'],
    ['not_logged_in', 503, 'Service Unavailable'],
    ['capability_missing', 502, 'Bad Gateway'],
    ['whatsapp_failed', 502, 'Bad Gateway'],
    ['internal', 500, 'Internal Server Error'],
    ['a_kind_from_a_newer_extension', 500, 'Internal Server Error'],
  ])('answers the error kind %s with %i', async (kind, status, error) => {
    const relay = await relayForTest();
    const message = `The extension says no (${kind}).`;
    await extension(relay.wsUrl, () => ({ ok: false, error: { kind, message } }));
    const response = await call(`${relay.url}/api/default/presence/${ALICE}/subscribe`, 'POST');
    expect(response.status).toBe(status);
    expect(JSON.parse(response.text)).toEqual({ statusCode: status, error, message, kind });
  });

  it('answers 503 not_connected, naming the session, when no extension is connected for it', async () => {
    const relay = await relayForTest();
    await extension(relay.wsUrl, answerLikeWaha, 'default');
    const response = await call(`${relay.url}/api/sales/presence`, 'GET');
    expect(response.status).toBe(503);
    expect(JSON.parse(response.text)).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: "No extension is connected for session 'sales': open WhatsApp Web in the operator's browser with remote control set up",
      kind: 'not_connected',
    });
    expect(relay.exchanges[0]).toMatchObject({ forwarded: null, answer: { ok: false, error: { kind: 'not_connected' } } });
  });

  it('answers 504 timeout when the extension does not answer in time, and ignores its late answer', async () => {
    const relay = await relayForTest({ requestTimeoutMs: 100 });
    const fake = await extension(relay.wsUrl, () => new Promise<Answer>(() => {}));
    const response = await call(`${relay.url}/api/default/presence`, 'GET');
    expect(response.status).toBe(504);
    expect(JSON.parse(response.text)).toEqual({
      statusCode: 504,
      error: 'Gateway Timeout',
      message: "The extension for session 'default' did not answer within 0.1 s",
      kind: 'timeout',
    });
    fake.send(JSON.stringify({ type: 'response', id: fake.requests[0]!.id, ok: true, result: [] }));
    await fake.ping(); // answered after the late response: the channel is still open
    expect(relay.sessions()).toHaveLength(1);
  });

  it('answers pending requests 503 not_connected as soon as the extension disconnects', async () => {
    // The default 15 s timeout: only the disconnect can answer within the test's time.
    const relay = await relayForTest();
    const bothArrived = deferred<void>();
    const fake = await extension(relay.wsUrl, () => {
      if (fake?.requests.length === 2) bothArrived.resolve();
      return new Promise<Answer>(() => {});
    });
    const pending = [call(`${relay.url}/api/default/presence`, 'GET'), call(`${relay.url}/api/startTyping`, 'POST', `{"chatId":"${ALICE}"}`)];
    await bothArrived.promise;
    await fake.terminate();
    for (const response of await Promise.all(pending)) {
      expect(response.status).toBe(503);
      expect(JSON.parse(response.text)).toMatchObject({ kind: 'not_connected', message: expect.stringContaining("session 'default' disconnected before answering") });
    }
    expect(relay.sessions()).toEqual([]);
  });

  it('closes 4400 on a response without ok or a proper error, and answers its request 503', async () => {
    const relay = await relayForTest();
    const fake = await extension(relay.wsUrl, () => ({ ok: false }) as unknown as Answer);
    const response = await call(`${relay.url}/api/default/presence`, 'GET');
    expect(response.status).toBe(503);
    expect((await fake.closed).code).toBe(4400);
  });

  it.each([
    ['not JSON', '/api/default/presence', '{"presence": typing}'],
    ['not an object', '/api/default/presence', '["typing"]'],
    ['missing', '/api/startTyping', undefined],
    ['a session that is not a string', '/api/stopTyping', '{"session": 7, "chatId": "1@c.us"}'],
  ])('answers 400 bad_request without forwarding when the body is %s', async (_what, path, body) => {
    const relay = await relayForTest();
    const fake = await extension(relay.wsUrl, answerLikeWaha);
    const response = await call(relay.url + path, 'POST', body);
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text)).toMatchObject({ statusCode: 400, error: 'Bad Request', kind: 'bad_request', message: expect.any(String) });
    expect(fake.requests).toEqual([]);
    expect(relay.exchanges).toEqual([expect.objectContaining({ forwarded: null, answer: null, status: 400 })]);
  });

  it('with an API key, refuses /api requests without the right X-Api-Key (401) and forwards those with it', async () => {
    const relay = await relayForTest({ apiKey: 'api-secret' });
    const fake = await extension(relay.wsUrl, answerLikeWaha);
    const url = `${relay.url}/api/default/presence`;
    const wrongHeaders: Record<string, string>[] = [{}, { 'X-Api-Key': 'api-secre' }, { 'X-Api-Key': 'api-secret-and-more' }];
    for (const headers of wrongHeaders) {
      const response = await call(url, 'GET', undefined, headers);
      expect(response.status).toBe(401);
      expect(JSON.parse(response.text)).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    }
    expect(fake.requests).toEqual([]);
    expect((await call(url, 'GET', undefined, { 'X-Api-Key': 'api-secret' })).status).toBe(200);
    expect(fake.requests).toHaveLength(1);
    // Webhooks are signed with their own key; the API key is for the API.
    expect((await call(`${relay.url}/webhook`, 'POST', '{"event":"presence.update"}')).status).toBe(200);
  });
});

describe('relay webhooks', () => {
  const signed = (key: string, body: string) => ({ 'X-Webhook-Hmac': createHmac('sha512', key).update(body).digest('hex') });

  it('records webhooks to any path outside /api, checking the signature: 200 when right, 401 when wrong', async () => {
    const relay = await relayForTest({ webhookKey: 'hmac' });
    const body = JSON.stringify({ event: 'presence.update', id: 'evt_1', payload: ALICE_PRESENCE });
    expect((await call(`${relay.url}/webhook`, 'POST', body, signed('hmac', body))).status).toBe(200);
    expect((await call(`${relay.url}/hooks/presence`, 'POST', body, signed('not-hmac', body))).status).toBe(401);
    expect((await call(`${relay.url}/webhook`, 'POST', 'not json')).status).toBe(400);
    expect(relay.received.map(({ path, hmacValid, status }) => ({ path, hmacValid, status }))).toEqual([
      { path: '/webhook', hmacValid: true, status: 200 },
      { path: '/hooks/presence', hmacValid: false, status: 401 },
      { path: '/webhook', hmacValid: false, status: 400 },
    ]);
    expect(relay.received[0]!.body).toEqual(JSON.parse(body));
  });

  it('waitFor resolves with a webhook that comes later, and rejects saying so when none matches in time', async () => {
    const relay = await relayForTest();
    const waiting = relay.waitFor((webhook) => webhook.body?.id === 'evt_2');
    await call(`${relay.url}/webhook`, 'POST', '{"id":"evt_1"}');
    await call(`${relay.url}/webhook`, 'POST', '{"id":"evt_2"}');
    expect((await waiting).body).toEqual({ id: 'evt_2' });
    await expect(relay.waitFor((webhook) => webhook.body?.id === 'evt_3', 50)).rejects.toThrow('relay: no matching webhook within 50 ms (got 2)');
  });

  it('answers other methods outside /api with 404', async () => {
    const relay = await relayForTest();
    const response = await call(`${relay.url}/webhook`, 'GET');
    expect(response.status).toBe(404);
    expect(relay.received).toEqual([]);
  });
});
