import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clientProof, sameProof, serverProof } from '../../utils/control/auth';
import { HANDSHAKE_LIMIT_MS, PING_EVERY_MS, SILENCE_LIMIT_MS, openControlClient } from '../../utils/control/client';
import { parseServerFrame } from '../../utils/control/frames';
import { CONTROL_PROTOCOL, type ControlAnswer } from '../../utils/control/types';
import { FakeSocket, KEY, NONCE, hmac } from './support/fake-control-socket';


function start(onRequest: (op: string, params: unknown) => Promise<ControlAnswer> = async () => ({ ok: true, result: null })) {
  const socket = new FakeSocket();
  const events = { connected: 0, closed: [] as any[], ticks: 0 };
  const client = openControlClient({
    url: 'ws://127.0.0.1:1/control',
    key: KEY,
    session: 'default',
    version: '9.9.9',
    openSocket: () => socket,
    onRequest,
    onConnected: () => events.connected++,
    onClosed: (closed) => events.closed.push(closed),
    onTick: () => events.ticks++,
  });
  return { socket, events, client };
}

describe('control channel proofs', () => {
  it('sign the texts the protocol names, so an independent server agrees', async () => {
    expect(await clientProof(KEY, NONCE, 'sales')).toBe(hmac(`${CONTROL_PROTOCOL}\nclient\n${NONCE}\nsales`));
    expect(await serverProof(KEY, NONCE, 'c'.repeat(43), 'sales')).toBe(hmac(`${CONTROL_PROTOCOL}\nserver\n${NONCE}\n${'c'.repeat(43)}\nsales`));
  });
  it("one side's proof is not the other's", async () => {
    expect(await clientProof(KEY, NONCE, 's')).not.toBe(await serverProof(KEY, NONCE, '', 's'));
  });
  it('compares proofs exactly', () => {
    expect(sameProof('abcd', 'abcd')).toBe(true);
    expect(sameProof('abcd', 'abce')).toBe(false);
    expect(sameProof('abcd', 'abc')).toBe(false);
  });
});

describe('server frames', () => {
  it('accepts the four frames and refuses the rest with a reason', () => {
    expect(parseServerFrame(JSON.stringify({ type: 'pong' }))).toEqual({ ok: true, frame: { type: 'pong' } });
    expect(parseServerFrame(JSON.stringify({ type: 'request', id: 'r1', op: 'presence.list' })).ok).toBe(true);
    expect(parseServerFrame('{nope')).toEqual({ ok: false, reason: 'a frame that is not JSON' });
    expect(parseServerFrame(JSON.stringify({ type: 'request', id: '', op: 'x' })).ok).toBe(false);
    expect(parseServerFrame(JSON.stringify({ type: 'challenge', protocol: 'other.v9', nonce: NONCE })).ok).toBe(false);
    expect(parseServerFrame(JSON.stringify({ type: 'welcome', signature: 'short' })).ok).toBe(false);
    expect(parseServerFrame(new ArrayBuffer(2))).toEqual({ ok: false, reason: 'a binary frame (the protocol is JSON text)' });
    expect(parseServerFrame('"' + 'x'.repeat(300_000) + '"').ok).toBe(false);
  });
});

describe('control client', () => {
  it('answers the challenge with a hello whose proof the server can check, and never sends the key', async () => {
    const { socket, events } = start();
    const hello = await socket.handshake();
    expect(hello).toMatchObject({ type: 'hello', session: 'default', version: '9.9.9' });
    expect(hello.signature).toBe(hmac(`${CONTROL_PROTOCOL}\nclient\n${NONCE}\ndefault`));
    expect(hello.clientNonce).toMatch(/^[\w-]{43}$/);
    await vi.waitFor(() => expect(events.connected).toBe(1));
    expect(JSON.stringify(socket.sent)).not.toContain(KEY);
  });

  it('closes with 4401 when the server cannot prove the key, and takes no request', async () => {
    const onRequest = vi.fn(async () => ({ ok: true as const, result: null }));
    const { socket, events } = start(onRequest);
    socket.deliver({ type: 'challenge', protocol: CONTROL_PROTOCOL, nonce: NONCE });
    await vi.waitFor(() => expect(socket.sent).toHaveLength(1));
    socket.deliver({ type: 'welcome', signature: hmac('something else') });
    socket.deliver({ type: 'request', id: 'r1', op: 'presence.list' });
    await vi.waitFor(() => expect(events.closed).toHaveLength(1));
    expect(socket.closed?.code).toBe(4401);
    expect(events.closed[0]).toMatchObject({ code: 4401, refusedKey: true, wasConnected: false });
    expect(events.connected).toBe(0);
    expect(onRequest).not.toHaveBeenCalled();
  });

  it('reads a 4401 from the server as a refused key', async () => {
    const { socket, events } = start();
    socket.deliver({ type: 'challenge', protocol: CONTROL_PROTOCOL, nonce: NONCE });
    await vi.waitFor(() => expect(socket.sent).toHaveLength(1));
    socket.onclose?.({ code: 4401, reason: 'bad signature' });
    expect(events.closed).toEqual([{ code: 4401, reason: 'bad signature', refusedKey: true, wasConnected: false }]);
  });

  it('answers each request once under its own id, in the order the answers are ready', async () => {
    let releaseSlow: () => void = () => {};
    const slow = new Promise<void>((resolve) => (releaseSlow = resolve));
    const { socket } = start(async (op, params) => {
      if (op === 'presence.get') await slow;
      return { ok: true, result: { op, params } };
    });
    await socket.handshake();
    socket.deliver({ type: 'request', id: 'slow', op: 'presence.get', params: { chatId: '1@c.us' } });
    socket.deliver({ type: 'request', id: 'fast', op: 'presence.list' });
    await vi.waitFor(() => expect(socket.sent.filter((frame) => frame.type === 'response')).toHaveLength(1));
    releaseSlow();
    await vi.waitFor(() => expect(socket.sent.filter((frame) => frame.type === 'response')).toHaveLength(2));
    const responses = socket.sent.filter((frame) => frame.type === 'response');
    expect(responses.map((frame) => frame.id)).toEqual(['fast', 'slow']);
    expect(responses[1]).toEqual({ type: 'response', id: 'slow', ok: true, result: { op: 'presence.get', params: { chatId: '1@c.us' } } });
  });

  it('turns a handler that throws into an internal error answer', async () => {
    const { socket } = start(async () => {
      throw new Error('boom');
    });
    await socket.handshake();
    socket.deliver({ type: 'request', id: 'r1', op: 'presence.list' });
    await vi.waitFor(() => expect(socket.sent.some((frame) => frame.type === 'response')).toBe(true));
    expect(socket.sent.find((frame) => frame.type === 'response')).toMatchObject({ id: 'r1', ok: false, error: { kind: 'internal' } });
  });

  it('closes with 4400 on a frame that is not the protocol, or out of turn', async () => {
    const first = start();
    first.socket.deliver('not json');
    await vi.waitFor(() => expect(first.events.closed).toHaveLength(1));
    expect(first.events.closed[0]).toMatchObject({ code: 4400, reason: 'refused a frame that is not JSON' });

    const second = start();
    second.socket.deliver({ type: 'request', id: 'r1', op: 'presence.list' });
    await vi.waitFor(() => expect(second.events.closed).toHaveLength(1));
    expect(second.events.closed[0]).toMatchObject({ code: 4400, reason: 'unexpected request frame' });
  });

  it('reports its end once, and a close on purpose is not a refused key', async () => {
    const { socket, events, client } = start();
    await socket.handshake();
    await vi.waitFor(() => expect(client.connected).toBe(true));
    client.close('settings changed');
    await vi.waitFor(() => expect(events.closed).toHaveLength(1));
    socket.onclose?.({ code: 1006, reason: '' });
    expect(events.closed).toEqual([{ code: 1000, reason: 'settings changed', refusedKey: false, wasConnected: true }]);
  });

  describe('timers', () => {
    beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] }));
    afterEach(() => vi.useRealTimers());

    it('gives up a handshake not done in time with 4408', async () => {
      const { socket, events } = start();
      vi.advanceTimersByTime(HANDSHAKE_LIMIT_MS + 1);
      await Promise.resolve();
      await Promise.resolve();
      expect(socket.closed?.code).toBe(4408);
      expect(events.closed[0]).toMatchObject({ code: 4408, wasConnected: false });
    });

    it('pings every 20 s once connected, ticks the keep-alive, and closes after a minute of silence', async () => {
      const { socket, events } = start();
      await socket.handshake();
      await vi.waitFor(() => expect(events.connected).toBe(1));
      vi.advanceTimersByTime(PING_EVERY_MS);
      expect(socket.sent.filter((frame) => frame.type === 'ping')).toHaveLength(1);
      expect(events.ticks).toBe(1);
      socket.deliver({ type: 'pong' });
      await Promise.resolve();
      vi.advanceTimersByTime(SILENCE_LIMIT_MS - 1000);
      expect(socket.closed).toBeNull();
      vi.advanceTimersByTime(2000);
      expect(socket.closed).toMatchObject({ code: 1000 });
    });
  });
});
