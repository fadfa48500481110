import { createHmac, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { openControlClient, type SocketLike } from '@/utils/control/client';
import { checkRequest } from '@/utils/control/requests';
import type { ControlAnswer } from '@/utils/control/types';
import { connectFakeExtension, HandshakeError } from '../relay/fake-extension.mjs';
import { startRelay } from '../relay/relay.mjs';

// The relay's side of the control channel (docs/control-channel.md): the
// handshake, its close codes, framing and keep-alive. Routes are in
// relay-routes.test.ts.

const KEY = 'the-control-key';
const PROTOCOL = 'presence-companion-control.v1';
const hmac = (key: string, text: string) => createHmac('sha512', key).update(text, 'utf8').digest('hex');

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function relayForTest(options: { handshakeTimeoutMs?: number } = {}) {
  const relay = await startRelay({ port: 0, controlKey: KEY, ...options });
  cleanups.push(() => relay.close());
  return relay;
}

async function extension(url: string, options: { session?: string; key?: string } = {}) {
  const fake = await connectFakeExtension({ url, key: KEY, ...options });
  cleanups.push(() => fake.terminate());
  return fake;
}

/** A bare socket, for frames the fake extension would never send. */
function rawSocket(url: string) {
  const socket = new WebSocket(url);
  cleanups.push(() => socket.terminate());
  const frames: Record<string, any>[] = [];
  const wakers = new Set<() => void>();
  socket.on('message', (data) => {
    frames.push(JSON.parse(String(data)));
    wakers.forEach((wake) => wake());
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  socket.on('error', () => {});
  /** The n-th frame received (0 = the challenge), already here or still to come. */
  const frame = (n: number) =>
    new Promise<Record<string, any>>((resolve) => {
      const check = () => frames[n] && (wakers.delete(check), resolve(frames[n]));
      wakers.add(check);
      check();
    });
  return { socket, frame, closed, send: (value: unknown) => socket.send(typeof value === 'string' ? value : JSON.stringify(value)) };
}

describe('relay handshake', () => {
  it('challenges each connection with its own nonce (base64url, at least 16 bytes)', async () => {
    const relay = await relayForTest();
    const [first, second] = await Promise.all([rawSocket(relay.wsUrl).frame(0), rawSocket(relay.wsUrl).frame(0)]);
    for (const challenge of [first!, second!]) {
      expect(challenge).toEqual({ type: 'challenge', protocol: PROTOCOL, nonce: expect.stringMatching(/^[A-Za-z0-9_-]+$/) });
      expect(Buffer.from(challenge.nonce, 'base64url').length).toBeGreaterThanOrEqual(16);
    }
    expect(first!.nonce).not.toBe(second!.nonce);
  });

  it('welcomes a hello signed as the doc says, with its own signature over both nonces, and lists the session', async () => {
    const relay = await relayForTest();
    const client = rawSocket(relay.wsUrl);
    const { nonce } = await client.frame(0);
    const clientNonce = randomBytes(32).toString('base64url');
    const signature = hmac(KEY, `${PROTOCOL}\nclient\n${nonce}\ndesk-1`);
    client.send({ type: 'hello', session: 'desk-1', clientNonce, signature, version: '1.2.3' });

    expect(await client.frame(1)).toEqual({ type: 'welcome', signature: hmac(KEY, `${PROTOCOL}\nserver\n${nonce}\n${clientNonce}\ndesk-1`) });
    expect(relay.sessions()).toEqual([{ session: 'desk-1', version: '1.2.3', since: expect.any(Number) }]);
  });

  it('closes 4401 "bad signature" for a wrong key, and lists no session', async () => {
    const relay = await relayForTest();
    const refused = await connectFakeExtension({ url: relay.wsUrl, key: 'not-the-key' }).catch((error) => error);
    expect(refused).toBeInstanceOf(HandshakeError);
    expect(refused).toMatchObject({ code: 4401, reason: 'bad signature', by: 'server' });
    expect(relay.sessions()).toEqual([]);
  });

  it('closes 4400 for a hello that is not well formed (no session, short client nonce)', async () => {
    const relay = await relayForTest();
    for (const hello of [
      { type: 'hello', clientNonce: randomBytes(32).toString('base64url'), signature: '00', version: '1' },
      { type: 'hello', session: 'default', clientNonce: randomBytes(8).toString('base64url'), signature: '00', version: '1' },
    ]) {
      const client = rawSocket(relay.wsUrl);
      await client.frame(0);
      client.send(hello);
      expect((await client.closed).code).toBe(4400);
    }
  });

  it('the fake extension refuses a server that does not hold the key: it closes 4401', async () => {
    // A server that signs its welcome with another key.
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const serverSaw = new Promise<number>((resolve) =>
      server.on('connection', (socket) => {
        const nonce = randomBytes(32).toString('base64url');
        socket.send(JSON.stringify({ type: 'challenge', protocol: PROTOCOL, nonce }));
        socket.on('message', (data) => {
          const hello = JSON.parse(String(data));
          socket.send(JSON.stringify({ type: 'welcome', signature: hmac('other-key', `${PROTOCOL}\nserver\n${nonce}\n${hello.clientNonce}\n${hello.session}`) }));
        });
        socket.on('close', (code) => resolve(code));
      }),
    );
    const { port } = server.address() as { port: number };
    const refused = await connectFakeExtension({ url: `ws://127.0.0.1:${port}/control`, key: KEY }).catch((error) => error);
    expect(refused).toMatchObject({ code: 4401, reason: 'bad server signature', by: 'client' });
    expect(await serverSaw).toBe(4401);
  });

  it('closes 4408 when no hello comes in time, and leaves a connection that said hello alone', async () => {
    const relay = await relayForTest({ handshakeTimeoutMs: 100 });
    const silent = rawSocket(relay.wsUrl);
    const fake = await extension(relay.wsUrl);
    expect(await silent.closed).toEqual({ code: 4408, reason: 'handshake timeout' });
    await fake.ping();
    expect(relay.sessions().map((s) => s.session)).toEqual(['default']);
  });

  it('replaces the connection of a session by a newer one, closing the older with 4409', async () => {
    const relay = await relayForTest();
    const older = await extension(relay.wsUrl);
    const other = await extension(relay.wsUrl, { session: 'sales' });
    const newer = await extension(relay.wsUrl);
    expect(await older.closed).toEqual({ code: 4409, reason: 'replaced by a newer connection' });
    expect(relay.sessions().map((s) => s.session).sort()).toEqual(['default', 'sales']);

    const response = await fetch(`${relay.url}/api/default/presence`);
    expect(response.status).toBe(200);
    expect(newer.requests.map((r) => r.op)).toEqual(['presence.list']);
    expect(older.requests).toEqual([]);
    expect(other.requests).toEqual([]);
  });

  it('a connection with a wrong key replaces nothing', async () => {
    const relay = await relayForTest();
    const connected = await extension(relay.wsUrl);
    await expect(connectFakeExtension({ url: relay.wsUrl, key: 'guess' })).rejects.toMatchObject({ code: 4401 });
    await connected.ping();
    expect(relay.sessions()).toHaveLength(1);
  });
});

describe('relay framing and keep-alive', () => {
  it('answers ping with pong, before and after the welcome', async () => {
    const relay = await relayForTest();
    const client = rawSocket(relay.wsUrl);
    await client.frame(0);
    client.send({ type: 'ping' });
    expect(await client.frame(1)).toEqual({ type: 'pong' });

    const fake = await extension(relay.wsUrl);
    await fake.ping();
    await fake.ping();
  });

  it.each([
    ['not JSON', 'hello?'],
    ['JSON but not an object', '[1,2]'],
    ['an object without a type', '{"id":"1"}'],
    ['an unknown type', '{"type":"subscribe"}'],
    ['a second hello', '{"type":"hello"}'],
    ['a binary frame', Buffer.from('{"type":"ping"}')],
  ])('closes 4400 on a frame that is %s', async (_what, frame) => {
    const relay = await relayForTest();
    const fake = await extension(relay.wsUrl);
    fake.send(frame);
    expect((await fake.closed).code).toBe(4400);
    expect(relay.sessions()).toEqual([]);
  });

  it('closes 4400 on a response before the welcome (no request was sent)', async () => {
    const relay = await relayForTest();
    const client = rawSocket(relay.wsUrl);
    await client.frame(0);
    client.send({ type: 'response', id: 'x', ok: true, result: null });
    expect(await client.closed).toEqual({ code: 4400, reason: 'response before welcome' });
  });

  it('takes a frame of exactly 256 KiB and closes (1009) on a larger one', async () => {
    const relay = await relayForTest();
    const fake = await extension(relay.wsUrl);
    const frameOf = (bytes: number) => {
      const head = '{"type":"ping","pad":"';
      return `${head}${'x'.repeat(bytes - head.length - 2)}"}`;
    };
    fake.send(frameOf(256 * 1024));
    await fake.ping(); // the padded ping was answered too, in order
    fake.send(frameOf(256 * 1024 + 1));
    expect((await fake.closed).code).toBe(1009);
  });
});

describe('relay life cycle', () => {
  it('waitForSession resolves when the extension connects, and says what it waited for when none does', async () => {
    const relay = await relayForTest();
    const waiting = relay.waitForSession('default');
    await extension(relay.wsUrl);
    await expect(waiting).resolves.toEqual({ session: 'default' });
    await expect(relay.waitForSession('sales', 50)).rejects.toThrow(
      "relay: no extension connected for session 'sales' within 50 ms (connected: default)",
    );
  });

  it('close() drops the control channels and frees the port', async () => {
    const relay = await startRelay({ port: 0, controlKey: KEY });
    const fake = await connectFakeExtension({ url: relay.wsUrl, key: KEY });
    await relay.close();
    expect((await fake.closed).code).toBe(1006);
    await expect(fetch(`${relay.url}/api/default/presence`)).rejects.toThrow();
  });
});

describe('relay with the extension\'s own client (utils/control)', () => {
  /** The extension's client over `ws`, answering as the background would after its checks (WhatsApp left out). */
  function extensionClient(url: string, options: { key?: string; session?: string } = {}) {
    const seen: { op: string; params: unknown }[] = [];
    let connected!: () => void;
    const connectedOnce = new Promise<void>((resolve) => (connected = resolve));
    let closedWith!: (closed: { code: number; refusedKey: boolean }) => void;
    const closed = new Promise<{ code: number; refusedKey: boolean }>((resolve) => (closedWith = resolve));
    const client = openControlClient({
      url,
      key: options.key ?? KEY,
      session: options.session ?? 'default',
      version: '9.9.9',
      openSocket: (socketUrl) => new WebSocket(socketUrl) as unknown as SocketLike,
      async onRequest(op, params): Promise<ControlAnswer> {
        seen.push({ op, params });
        const check = checkRequest(op, params);
        return check.ok ? { ok: true, result: null } : { ok: false, error: { kind: check.kind, message: check.message } };
      },
      onConnected: () => connected(),
      onClosed: (how) => closedWith(how),
    });
    cleanups.push(() => (client.close('test over'), closed));
    return { seen, connected: connectedOnce, closed };
  }

  it('completes the handshake both ways, and what the routes forward passes the extension\'s checks', async () => {
    const relay = await relayForTest();
    const client = extensionClient(relay.wsUrl);
    await client.connected;
    expect(relay.sessions()).toEqual([{ session: 'default', version: '9.9.9', since: expect.any(Number) }]);

    const post = (path: string, body: unknown) =>
      fetch(relay.url + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post('/api/default/presence', { presence: 'online' })).status).toBe(201);
    expect((await post('/api/default/presence', { chatId: '11111111111@c.us', presence: 'typing' })).status).toBe(201);
    expect((await post('/api/startTyping', { session: 'default', chatId: '11111111111@c.us' })).status).toBe(201);
    expect((await post('/api/default/presence/11111111111@c.us/subscribe', undefined)).status).toBe(201);
    const refused = await post('/api/default/presence', { presence: 'online', chatId: '11111111111@c.us' });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ kind: 'bad_request', message: expect.stringContaining("doesn't require 'chatId'") });
    expect(client.seen.map((request) => request.op)).toEqual(['presence.set', 'presence.set', 'typing.start', 'presence.subscribe', 'presence.set']);
  });

  it('a wrong key is refused (4401) and the client reports the key as refused', async () => {
    const relay = await relayForTest();
    expect(await extensionClient(relay.wsUrl, { key: 'wrong' }).closed).toMatchObject({ code: 4401, refusedKey: true });
  });

  it('a newer client for the session replaces the older one with 4409', async () => {
    const relay = await relayForTest();
    const older = extensionClient(relay.wsUrl);
    await older.connected;
    await extensionClient(relay.wsUrl).connected;
    expect(await older.closed).toMatchObject({ code: 4409, refusedKey: false });
    expect(relay.sessions()).toHaveLength(1);
  });
});
