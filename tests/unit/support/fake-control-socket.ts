import { createHmac } from 'node:crypto';
import { expect, vi } from 'vitest';
import type { SocketLike } from '../../../utils/control/client';
import { CONTROL_PROTOCOL } from '../../../utils/control/types';

export const KEY = 'a-control-key-of-some-length';
export const NONCE = 'n'.repeat(43);
/** The proofs computed the way docs/control-channel.md writes them, with Node's crypto, not ours. */
export const hmac = (text: string, key = KEY) => createHmac('sha512', key).update(text, 'utf8').digest('hex');

/** A WebSocket whose server side the test plays: frames in with `deliver`, frames out in `sent`. */
export class FakeSocket implements SocketLike {
  readyState = 1;
  sent: any[] = [];
  closed: { code?: number; reason?: string } | null = null;
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close(code?: number, reason?: string) {
    this.closed = { code, reason };
    this.readyState = 3;
    queueMicrotask(() => this.onclose?.({ code: code ?? 1005, reason: reason ?? '' }));
  }
  deliver(frame: unknown) {
    this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
  }
  /** The server's side of a good handshake; returns the hello it got. */
  async handshake(session = 'default', key = KEY) {
    this.deliver({ type: 'challenge', protocol: CONTROL_PROTOCOL, nonce: NONCE });
    await vi.waitFor(() => expect(this.sent.find((frame) => frame.type === 'hello')).toBeDefined());
    const hello = this.sent.find((frame) => frame.type === 'hello');
    this.deliver({ type: 'welcome', signature: hmac(`${CONTROL_PROTOCOL}\nserver\n${NONCE}\n${hello.clientNonce}\n${session}`, key) });
    return hello;
  }
}

