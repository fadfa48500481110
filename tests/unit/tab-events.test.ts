import { describe, expect, it, vi } from 'vitest';
import { createTabEventsReceiver } from '@/utils/background/tab-events';
import type { TabEventsAck } from '@/utils/protocol/session-port';

const ALICE = '15551110001@c.us';
const signal = (state: string, at: number, chatId = ALICE) => ({ signal: { chatId, participant: chatId, state, lastSeen: null, at, source: 'stanza' } });
const message = (at: number) => ({ message: { chatId: ALICE, participant: ALICE, at } });

function setup() {
  const applied: string[] = [];
  const receiver = createTabEventsReceiver({
    signals: async (signals) => void applied.push(...signals.map((s) => `${s.state}@${s.at}`)),
    message: async (m) => void applied.push(`message@${m.at}`),
  });
  const acks: TabEventsAck[] = [];
  const port = receiver.forPort((ack) => acks.push(ack));
  return { receiver, port, applied, acks };
}
/** Lets the receiver's chain run to its end (it only awaits promises, never timers). */
const drain = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the page’s events in the background', () => {
  it('applies signals and messages in the order they were numbered, and acknowledges the last once nothing more waits', async () => {
    const { port, applied, acks } = setup();
    port.hello('page-one-1234');
    expect(port.events({ type: 'events', seq: 1, events: [signal('typing', 1), message(2), signal('typing', 3)] })).toBe(true);
    expect(port.events({ type: 'events', seq: 4, events: [signal('paused', 4)] })).toBe(true);
    await drain();
    expect(applied).toEqual(['typing@1', 'message@2', 'typing@3', 'paused@4']);
    expect(acks).toEqual([{ type: 'ack', upTo: 4 }]); // two messages that waited together: one acknowledgement
    port.events({ type: 'events', seq: 5, events: [signal('typing', 5)] });
    await drain();
    expect(acks.at(-1)).toEqual({ type: 'ack', upTo: 5 }); // a lone one: at once
  });

  it('applies the messages that came while one was being applied together, in one call', async () => {
    const calls: number[] = [];
    let release: () => void = () => {};
    const receiver = createTabEventsReceiver({
      signals: (signals) => (calls.push(signals.length), calls.length === 1 ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve()),
      message: async () => {},
    });
    const port = receiver.forPort(() => {});
    port.events({ type: 'events', seq: 1, events: [signal('typing', 1)] });
    port.events({ type: 'events', seq: 2, events: [signal('paused', 2)] });
    port.events({ type: 'events', seq: 3, events: [signal('typing', 3), signal('paused', 4)] });
    release(); // the first one's outbox write is done
    await drain();
    expect(calls).toEqual([1, 3]);
  });

  it('skips what a page sends again after its port closed, and applies a new page load from 1', async () => {
    const { receiver, port, applied } = setup();
    port.hello('page-one-1234');
    port.events({ type: 'events', seq: 1, events: [signal('typing', 1), signal('paused', 2)] });
    await drain();
    port.closed();
    const again = receiver.forPort(() => {});
    again.hello('page-one-1234');
    again.events({ type: 'events', seq: 2, events: [signal('paused', 2), signal('typing', 3)] }); // 2 was applied, its ack lost
    await drain();
    expect(applied).toEqual(['typing@1', 'paused@2', 'typing@3']);
    const reloaded = receiver.forPort(() => {});
    reloaded.hello('page-two-5678');
    reloaded.events({ type: 'events', seq: 1, events: [signal('typing', 9)] });
    await drain();
    expect(applied.at(-1)).toBe('typing@9');
  });

  it('drops a malformed event with a log line and applies the others; refuses what is not an events message', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { port, applied, acks } = setup();
    port.events({ type: 'events', seq: 1, events: [signal('typing', 1, '<img src=x>'), signal('typing', 2), { signal: { evil: true } }] });
    await drain();
    expect(applied).toEqual(['typing@2']);
    expect(warn).toHaveBeenCalledWith('[wa-presence]', expect.stringMatching(/^refused 2 event\(s\) from the WhatsApp tab, e\.g\. refused event: /));
    expect(acks).toEqual([{ type: 'ack', upTo: 3 }]); // refused ones are not sent again either
    for (const bad of [{ type: 'events', seq: 0, events: [signal('typing', 1)] }, { type: 'events', seq: 1, events: [] }, { type: 'events', seq: 1, events: 'x' }, { type: 'hello' }, null]) {
      expect(port.events(bad)).toBe(false);
    }
    warn.mockRestore();
  });
});
