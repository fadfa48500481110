import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createSessionPort } from '@/utils/content/session-port';
import type { TabEvent } from '@/utils/protocol/session-port';

const signal = (at: number): TabEvent => ({ signal: { chatId: '15551110001@c.us', participant: '15551110001@c.us', state: 'typing', lastSeen: null, at, source: 'stanza' } });

/** A port whose messages we read and whose other end we play. */
function fakePort() {
  const posted: any[] = [];
  const onMessage: ((message: unknown) => void)[] = [];
  const onDisconnect: (() => void)[] = [];
  return {
    posted,
    answer: (message: unknown) => onMessage.forEach((listener) => listener(message)),
    close: () => onDisconnect.forEach((listener) => listener()),
    port: {
      postMessage: (message: unknown) => void posted.push(message),
      onMessage: { addListener: (listener: (message: unknown) => void) => void onMessage.push(listener) },
      onDisconnect: { addListener: (listener: () => void) => void onDisconnect.push(listener) },
    },
  };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('the content script’s session port', () => {
  it('posts an unanswered events message again after a while, and the next one once answered', async () => {
    const first = fakePort();
    vi.spyOn(fakeBrowser.runtime, 'connect').mockImplementation(() => first.port as never);
    const session = createSessionPort('page-one-1234');
    expect(first.posted).toEqual([{ type: 'hello', pageId: 'page-one-1234' }]);
    session.send(signal(1));
    await Promise.resolve();
    session.send(signal(2)); // waits for the first one's answer
    await Promise.resolve();
    expect(first.posted.slice(1)).toEqual([{ type: 'events', seq: 1, events: [signal(1)] }]);
    await vi.advanceTimersByTimeAsync(3000); // no answer: lost as the port died, or a slow background
    expect(first.posted.slice(2)).toEqual([{ type: 'events', seq: 1, events: [signal(1), signal(2)] }]);
    first.answer({ type: 'ack', upTo: 2 });
    session.send(signal(3));
    await Promise.resolve();
    expect(first.posted.at(-1)).toEqual({ type: 'events', seq: 3, events: [signal(3)] });
  });

  it('opens a new port at once when one closes with events unanswered, and sends them there after its hello', async () => {
    const first = fakePort();
    const second = fakePort();
    vi.spyOn(fakeBrowser.runtime, 'connect').mockImplementationOnce(() => first.port as never).mockImplementationOnce(() => second.port as never);
    const session = createSessionPort('page-one-1234');
    session.send(signal(1));
    await Promise.resolve();
    first.close(); // the background stopped
    await vi.advanceTimersByTimeAsync(0);
    expect(second.posted).toEqual([{ type: 'hello', pageId: 'page-one-1234' }, { type: 'events', seq: 1, events: [signal(1)] }]);
  });
});
