// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ITEM_SLOTS } from '@/utils/protocol/page-channel';
import type { PageMessage } from '@/utils/protocol/page-messages';

// Both ends of the private channel together: the page world's sender batches
// what the hook says (utils/page/batch-sender.ts), the content script's bridge
// validates each item of a batch on its own (utils/content/page-bridge.ts).
// happy-dom's window.postMessage carries neither the source nor the port of a
// hello, so the hello is dispatched as the browser would, and its MessagePort
// global is not the class of MessageChannel's ports (Node's): both are set
// right before the channel module copies them at load.

const at = 1_760_000_000_000;
const presence = (chat: string, state: 'typing' | 'paused', n: number): PageMessage => ({
  kind: 'presence',
  signal: { chatId: chat, participant: chat, state, lastSeen: null, at: at + n, source: 'stanza' },
});
const until = async (done: () => boolean) => {
  for (let i = 0; i < 100 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
};

let portPosts: unknown[];
let open: (typeof import('@/utils/page/channel'))['connectToContent'];
let listen: (typeof import('@/utils/content/page-bridge'))['listenForPageWorld'];
const Port = Object.getPrototypeOf(new MessageChannel().port1).constructor as typeof MessagePort;
const realPost = Port.prototype.postMessage;

beforeEach(async () => {
  vi.resetModules();
  portPosts = [];
  vi.stubGlobal('MessagePort', Port);
  window.postMessage = ((data: unknown, _origin: string, transfer: MessagePort[] = []) => {
    window.dispatchEvent(new MessageEvent('message', { data, source: window as never, ports: transfer }));
  }) as typeof window.postMessage;
  Port.prototype.postMessage = function (this: MessagePort, data: unknown, ...rest: never[]) {
    if (data !== null) portPosts.push(data); // the ticks carry null
    return realPost.call(this, data, ...rest);
  } as typeof realPost;
  ({ connectToContent: open } = await import('@/utils/page/channel'));
  ({ listenForPageWorld: listen } = await import('@/utils/content/page-bridge'));
});
afterEach(() => {
  Port.prototype.postMessage = realPost;
  vi.unstubAllGlobals();
});

describe('page world → content script, in batches', () => {
  it('carries a burst as one port message, every item in order, and drops only the bad one (said once)', async () => {
    const received: PageMessage[] = [];
    const drops: string[] = [];
    const bridge = listen(window, { onMessage: (message) => received.push(message), onDrop: (reason) => drops.push(reason) });
    let send: ((message: PageMessage) => void) | undefined;
    open(window, (channel) => (send = channel.send));
    expect(send).toBeDefined();

    const sent: PageMessage[] = [
      presence('15551110001@c.us', 'typing', 1),
      presence('15551110002@c.us', 'typing', 2),
      { kind: 'message', message: { chatId: '15551110001@c.us', participant: '15551110001@c.us', at: at + 3 } },
      presence('evil"<b>@c.us', 'typing', 4), // mapped by the hook from a forged stanza: the content script stops it
      presence('15551110001@c.us', 'paused', 5),
      presence('15551110002@c.us', 'paused', 6),
    ];
    sent.forEach((message) => send!(message));
    await until(() => received.length >= 5);

    expect(received).toEqual(sent.filter((_, i) => i !== 3));
    // The first went at once (the page was idle), the five after it in one port message.
    expect(portPosts.map((data) => (data as unknown[]).length / ITEM_SLOTS)).toEqual([1, 5]);
    expect(drops).toEqual(['2: signal.chatId: not a WhatsApp id']); // the third item of the second batch

    // A report goes at once, behind what waited.
    send!(presence('15551110003@c.us', 'typing', 7));
    send!({ kind: 'subscriptionsDropped', at: at + 8 });
    await until(() => received.length >= 7);
    expect(received.slice(5).map((message) => message.kind)).toEqual(['presence', 'subscriptionsDropped']);
    expect(portPosts).toHaveLength(4);
    bridge.close();
  });

  it('drops a bad single message, and reads no more than the limit of a batch, saying how many it left', async () => {
    const { MAX_BATCH } = await import('@/utils/protocol/page-channel');
    const received: PageMessage[] = [];
    const drops: string[] = [];
    const bridge = listen(window, { onMessage: (message) => received.push(message), onDrop: (reason) => drops.push(reason) });
    // What a page that broke the hook could post on the real port.
    const token = await new Promise<string>((resolve) => {
      document.addEventListener('wa-presence-companion/token', (event) => resolve((event as CustomEvent).detail), { once: true });
      document.dispatchEvent(new CustomEvent('wa-presence-companion/ready'));
    });
    const { port1, port2 } = new MessageChannel();
    window.dispatchEvent(new MessageEvent('message', { data: { 'wa-presence-companion/hello': token }, source: window as never, ports: [port2] }));
    port1.postMessage({ kind: 'presence', signal: { ...(presence('15551110001@c.us', 'typing', 0) as { signal: object }).signal, state: 'dancing' } });
    const item = (n: number) => [0, '15551110001@c.us', null, n % 2 ? 2 : 4, null, at + n, 0, null]; // typing · paused, from a stanza
    port1.postMessage(Array.from({ length: MAX_BATCH + 2 }, (_, n) => item(n + 1)).flat());
    await until(() => drops.length >= 2);
    expect(drops).toEqual([expect.stringMatching(/^signal\.state: /), `${MAX_BATCH}–${MAX_BATCH + 1}: 2 items not read (past the batch limit of ${MAX_BATCH})`]);
    expect(received.map((message) => message.kind === 'presence' && message.signal.at)).toEqual(Array.from({ length: MAX_BATCH }, (_, n) => at + n + 1));
    bridge.close();
  });
});
