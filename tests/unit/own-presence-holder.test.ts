import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createOwnPresenceHolder, RENEW_EVERY_MS } from '@/utils/content/own-presence-holder';
import type { CommandResult, OwnPresence, PageCommand } from '@/utils/protocol/commands';

const ALICE = '15551110001@c.us';
const BOB = '15551110002@c.us';

function setup(answer: (command: PageCommand) => CommandResult<unknown> = () => ({ ok: true, value: {} })) {
  const sent: PageCommand[] = [];
  const reports: OwnPresence[] = [];
  const holder = createOwnPresenceHolder({
    run: async (command) => (sent.push(command), answer(command)),
    report: (state) => reports.push(state),
    now: Date.now,
  });
  return { holder, sent, reports };
}
const states = (sent: PageCommand[]) => sent.map((c) => (c.type === 'chatstate' ? `${c.state} ${c.chatId}` : c.type));

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(1_000_000);
});
afterEach(() => vi.useRealTimers());

describe('chat state holds', () => {
  it('renews typing before WhatsApp drops it, then pauses when the hold ends', async () => {
    const { holder, sent, reports } = setup();
    const result = await holder.chatState(ALICE, 'typing', 50_000);
    expect(result).toEqual({ ok: true, value: { online: null, chatstate: { chatId: ALICE, state: 'typing', until: 1_050_000 } } });
    await vi.advanceTimersByTimeAsync(RENEW_EVERY_MS);
    await vi.advanceTimersByTimeAsync(RENEW_EVERY_MS);
    expect(states(sent)).toEqual([`typing ${ALICE}`, `typing ${ALICE}`, `typing ${ALICE}`]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(states(sent).at(-1)).toBe(`paused ${ALICE}`);
    expect(reports.at(-1)).toEqual({ online: null, chatstate: null });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sent).toHaveLength(4); // nothing after the end
  });

  it('pauses the previous chat when typing moves to another one, and stops renewing on paused', async () => {
    const { holder, sent } = setup();
    await holder.chatState(ALICE, 'typing', 60_000);
    await holder.chatState(BOB, 'recording', 60_000);
    await holder.chatState(BOB, 'paused', 0);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(states(sent)).toEqual([`typing ${ALICE}`, `paused ${ALICE}`, `recording ${BOB}`, `paused ${BOB}`]);
  });

  it('passes a failure on and holds nothing; stops renewing when a renewal fails', async () => {
    let fail = true;
    const { holder, sent, reports } = setup(() => (fail ? { ok: false, error: 'not logged in' } : { ok: true, value: {} }));
    expect(await holder.chatState(ALICE, 'typing', 60_000)).toEqual({ ok: false, error: 'not logged in' });
    expect(holder.snapshot().chatstate).toBeNull();
    fail = false;
    await holder.chatState(ALICE, 'typing', 60_000);
    fail = true;
    await vi.advanceTimersByTimeAsync(RENEW_EVERY_MS);
    expect(holder.snapshot().chatstate).toBeNull();
    expect(reports.at(-1)?.chatstate).toBeNull();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(sent).toHaveLength(3);
  });
});

describe('held online', () => {
  it('holds online until it expires, then sends offline', async () => {
    const { holder, sent, reports } = setup();
    expect(await holder.online(true, 600_000)).toMatchObject({ ok: true, value: { online: { since: 1_000_000, until: 1_600_000 } } });
    await vi.advanceTimersByTimeAsync(599_000);
    expect(states(sent)).toEqual(['online']);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(states(sent)).toEqual(['online', 'offline']);
    expect(reports.at(-1)?.online).toBeNull();
  });

  it('ends the hold when the operator turns it off', async () => {
    const { holder, sent } = setup();
    await holder.online(true, 600_000);
    expect(await holder.online(false, 600_000)).toEqual({ ok: true, value: { online: null, chatstate: null } });
    await vi.advanceTimersByTimeAsync(700_000);
    expect(states(sent)).toEqual(['online', 'offline']);
  });
});
