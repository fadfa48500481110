import { describe, expect, it } from 'vitest';
import {
  activeOf, applyMessage, applySignal, evictStale, expireActive, nextExpiry, toWahaChat, trackActive, type ActiveSet, type PresenceTable,
} from '@/utils/presence/reducer';
import type { PresenceSignal } from '@/utils/presence/types';

const ALICE = '15551110001@c.us';
const BOB = '15551110002@c.us';
const GROUP = '120363000000000001@g.us';
const signal = (state: PresenceSignal['state'], at: number, extra: Partial<PresenceSignal> = {}): PresenceSignal => ({
  chatId: ALICE,
  participant: ALICE,
  state,
  lastSeen: null,
  at,
  source: 'stanza',
  ...extra,
});

describe('applySignal', () => {
  it('forwards real changes only: a repeated typing is not a new event', () => {
    const table: PresenceTable = {};
    expect(applySignal(table, signal('typing', 1000))).toEqual({ chatId: ALICE, participant: ALICE, state: 'typing', lastSeen: null, at: 1000, activeSince: 1000 });
    expect(applySignal(table, signal('typing', 2000))).toBeNull();
    expect(applySignal(table, signal('paused', 3000))?.state).toBe('paused');
    expect(toWahaChat(table[ALICE]!)).toEqual({
      id: ALICE,
      presences: [{ participant: ALICE, lastKnownPresence: 'paused', lastSeen: null }],
    });
  });

  it('says when a run of typing/recording began on each of its changes, and how long it lasted on the one that ends it', () => {
    const table: PresenceTable = {};
    expect(applySignal(table, signal('typing', 1000))).toMatchObject({ activeSince: 1000 });
    expect(applySignal(table, signal('recording', 4000))).toMatchObject({ state: 'recording', activeSince: 1000 }); // one run
    expect(applySignal(table, signal('paused', 9000))).toMatchObject({ state: 'paused', activeSince: 1000, activeMs: 8000 });
    const online = applySignal(table, signal('online', 10_000))!;
    expect(online.activeSince).toBeUndefined(); // no run ended here
    expect(online.activeMs).toBeUndefined();
    expect(applySignal(table, signal('typing', 12_000))).toMatchObject({ activeSince: 12_000 }); // a new run
    expect(applyMessage(table, ALICE, ALICE, 15_000)).toMatchObject({ state: 'paused', activeSince: 12_000, activeMs: 3000 }); // ended by the message
  });

  it('keeps a LID once learnt, on later changes and in the snapshot', () => {
    const table: PresenceTable = {};
    expect(applySignal(table, signal('typing', 1000, { lid: '81110001@lid' }))?.lid).toBe('81110001@lid');
    expect(applySignal(table, signal('paused', 2000))?.lid).toBe('81110001@lid'); // a model signal may not carry it
    expect(applyMessage(table, ALICE, ALICE, 3000)).toBeNull(); // not typing any more
    expect(toWahaChat(table[ALICE]!).presences[0]).toMatchObject({ lid: '81110001@lid' });
  });

  it('drops a signal older than the one applied for that participant', () => {
    const table: PresenceTable = {};
    applySignal(table, signal('paused', 5000));
    expect(applySignal(table, signal('typing', 4000))).toBeNull();
    expect(table[ALICE]!.presences[ALICE]!.lastKnownPresence).toBe('paused');
  });

  it('treats a new last seen as a change, the same one as a repeat', () => {
    const table: PresenceTable = {};
    applySignal(table, signal('offline', 1000, { lastSeen: 900 }));
    expect(applySignal(table, signal('offline', 2000, { lastSeen: 900 }))).toBeNull();
    expect(applySignal(table, signal('offline', 3000, { lastSeen: 2 }))?.lastSeen).toBe(2);
  });

  it('keeps group participants apart, under the group id', () => {
    const table: PresenceTable = {};
    applySignal(table, signal('typing', 1000, { chatId: GROUP, participant: ALICE }));
    applySignal(table, signal('recording', 1000, { chatId: GROUP, participant: BOB }));
    expect(toWahaChat(table[GROUP]!).presences.map((p) => [p.participant, p.lastKnownPresence])).toEqual([
      [ALICE, 'typing'],
      [BOB, 'recording'],
    ]);
    expect(table[ALICE]).toBeUndefined();
  });
});

describe('typing ends by itself', () => {
  it('becomes paused when no fresh signal came within the timeout, dated when it lapsed', () => {
    const table: PresenceTable = {};
    applySignal(table, signal('typing', 1000));
    applySignal(table, signal('typing', 6000)); // a fresh signal keeps it alive
    expect(nextExpiry(table, 15_000)).toBe(21_000);
    expect(expireActive(table, 20_999, 15_000)).toEqual([]);
    expect(expireActive(table, 25_000, 15_000)).toEqual([{ chatId: ALICE, participant: ALICE, state: 'paused', lastSeen: null, at: 21_000, activeSince: 1000, activeMs: 20_000 }]);
    expect(expireActive(table, 60_000, 15_000)).toEqual([]);
    expect(nextExpiry(table, 15_000)).toBeNull();
  });

  it('looks only at the active set its owner keeps, which follows every change', () => {
    const table: PresenceTable = {};
    const active: ActiveSet = new Set();
    const apply = (s: PresenceSignal) => {
      const change = applySignal(table, s);
      if (change) trackActive(active, change);
    };
    apply(signal('typing', 1000));
    apply(signal('recording', 2000, { chatId: GROUP, participant: BOB }));
    apply(signal('online', 3000, { chatId: BOB, participant: BOB }));
    expect(active).toEqual(activeOf(table));
    expect(active.size).toBe(2);
    apply(signal('paused', 4000)); // Alice stopped: no longer looked at
    expect(active).toEqual(new Set([`${GROUP}\n${BOB}`]));
    expect(nextExpiry(table, 15_000, active)).toBe(17_000);
    expect(expireActive(table, 20_000, 15_000, active)).toEqual([{ chatId: GROUP, participant: BOB, state: 'paused', lastSeen: null, at: 17_000, activeSince: 2000, activeMs: 15_000 }]);
    expect(active.size).toBe(0);
    delete table[GROUP];
    active.add(`${GROUP}\n${BOB}`); // a chat forgotten meanwhile: dropped from the set, not an error
    expect(nextExpiry(table, 15_000, active)).toBeNull();
    expect(active.size).toBe(0);
  });

  it('leaves online and offline alone', () => {
    const table: PresenceTable = {};
    applySignal(table, signal('online', 1000));
    expect(expireActive(table, 1_000_000, 15_000)).toEqual([]);
  });

  it("ends when the participant's message arrives", () => {
    const table: PresenceTable = {};
    applySignal(table, signal('recording', 1000, { chatId: GROUP, participant: BOB }));
    expect(applyMessage(table, GROUP, ALICE, 1500)).toBeNull(); // Alice was not typing
    expect(applyMessage(table, GROUP, BOB, 2000)).toMatchObject({ participant: BOB, state: 'paused', at: 2000 });
    expect(applyMessage(table, GROUP, BOB, 2500)).toBeNull(); // already paused
  });
});

describe('evictStale', () => {
  it('forgets chats not seen since the cut, keeping the followed ones', () => {
    const table: PresenceTable = {};
    applySignal(table, signal('online', 1000));
    applySignal(table, signal('online', 1000, { chatId: BOB, participant: BOB }));
    applySignal(table, signal('typing', 9000, { chatId: GROUP, participant: BOB }));
    expect(evictStale(table, 5000, (chatId) => chatId === BOB)).toEqual([ALICE]);
    expect(Object.keys(table).sort()).toEqual([BOB, GROUP].sort());
  });
});
