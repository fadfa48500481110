import { describe, expect, it, vi } from 'vitest';
import { MAX_UNACKED, createEventSender } from '@/utils/content/event-sender';
import type { TabEvent, TabEvents } from '@/utils/protocol/session-port';
import type { PresenceSignal } from '@/utils/presence/types';

const signal = (n: number): TabEvent => ({
  signal: { chatId: `1555111000${n}@c.us`, participant: `1555111000${n}@c.us`, state: 'typing', lastSeen: null, at: n, source: 'stanza' } as PresenceSignal,
});
const message = (n: number): TabEvent => ({ message: { chatId: `1555111000${n}@c.us`, participant: `1555111000${n}@c.us`, at: n } });
const microtask = () => Promise.resolve();

function setup() {
  const posted: TabEvents[] = [];
  let open = true;
  const onDropped = vi.fn();
  const sender = createEventSender({ post: (m) => (open ? (posted.push(m), true) : false), onDropped });
  return { sender, posted, onDropped, setOpen: (value: boolean) => (open = value) };
}

describe('the content script’s event sender', () => {
  it('sends what came in one task as one message at its end, numbered, signals and messages in one order', async () => {
    const { sender, posted } = setup();
    sender.push(signal(1));
    sender.push(message(2));
    sender.push(signal(3));
    expect(posted).toEqual([]);
    await microtask();
    expect(posted).toEqual([{ type: 'events', seq: 1, events: [signal(1), message(2), signal(3)] }]);
    sender.onAck(3);
    sender.push(signal(4)); // a lone change: goes at the end of its own task
    await microtask();
    expect(posted.at(-1)).toEqual({ type: 'events', seq: 4, events: [signal(4)] });
  });

  it('sends one message at a time: what comes before the acknowledgement goes with it, together', async () => {
    const { sender, posted } = setup();
    sender.push(signal(1));
    await microtask();
    sender.push(signal(2));
    await microtask();
    sender.push(message(3));
    await microtask();
    expect(posted).toEqual([{ type: 'events', seq: 1, events: [signal(1)] }]);
    sender.onAck(1);
    expect(posted.at(-1)).toEqual({ type: 'events', seq: 2, events: [signal(2), message(3)] });
    sender.onAck(1); // the background could not apply 2 and 3: they stay, and go on the next port
    expect(posted).toHaveLength(2);
    expect(sender.unacked).toBe(2);
  });

  it('keeps what is not acknowledged and sends it again, in order and with its numbers, once the port closed', async () => {
    const { sender, posted } = setup();
    [1, 2, 3].forEach((n) => sender.push(signal(n)));
    await microtask();
    sender.onAck(2);
    expect(sender.unacked).toBe(1);
    sender.onPortClosed();
    sender.push(signal(4));
    await microtask(); // the new port gets 3 again, then 4
    expect(posted.at(-1)).toEqual({ type: 'events', seq: 3, events: [signal(3), signal(4)] });
    sender.onAck(4);
    expect(sender.unacked).toBe(0);
    sender.resend();
    expect(posted).toHaveLength(2); // nothing left to send
  });

  it('keeps events while no port can be opened, and sends them when one is', async () => {
    const { sender, posted, setOpen } = setup();
    setOpen(false);
    sender.push(signal(1));
    await microtask();
    expect(posted).toEqual([]);
    setOpen(true);
    sender.resend();
    expect(posted).toEqual([{ type: 'events', seq: 1, events: [signal(1)] }]);
  });

  it('drops the oldest beyond its bound, and says how many', async () => {
    const { sender, onDropped, setOpen } = setup();
    setOpen(false);
    for (let n = 0; n < MAX_UNACKED + 3; n++) sender.push(signal(n % 10));
    expect(sender.unacked).toBe(MAX_UNACKED);
    expect(onDropped.mock.calls.reduce((sum, [count]) => sum + count, 0)).toBe(3);
  });
});
