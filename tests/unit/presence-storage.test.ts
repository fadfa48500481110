import { beforeEach, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { DeliveryService } from '@/utils/background/delivery-service';
import { PRESENCE_KEY_PREFIX, presenceKey, withStoredChats } from '@/utils/presence/presence-keys';
import type { ChatPresence, PresenceTable } from '@/utils/presence/reducer';
import type { PresenceSignal } from '@/utils/presence/types';

const ALICE = '15551110001@c.us';
const BOB = '15551110002@c.us';
const signal = (chatId: string, state: PresenceSignal['state'], at = Date.now()): PresenceSignal => ({ chatId, participant: chatId, state, lastSeen: null, at, source: 'stanza' });
const storedChats = async () => {
  const items = await fakeBrowser.storage.session.get(null);
  return Object.fromEntries(Object.entries(items).filter(([key]) => key.startsWith(PRESENCE_KEY_PREFIX))) as Record<string, ChatPresence>;
};

beforeEach(() => {
  fakeBrowser.reset();
  vi.resetModules();
});

async function service() {
  const { createSettingsCache } = await import('@/utils/background/settings-cache');
  const { createPresenceService } = await import('@/utils/background/presence-service');
  const delivery = { send: vi.fn(async () => {}) } as unknown as DeliveryService;
  const presence = createPresenceService(createSettingsCache(), delivery);
  await presence.ready;
  return presence;
}

it('writes only the chats that changed, each under its own key', async () => {
  const presence = await service();
  await presence.onSignals([signal(ALICE, 'online'), signal(BOB, 'online')]);
  await vi.waitFor(async () => expect(Object.keys(await storedChats()).sort()).toEqual([presenceKey(ALICE), presenceKey(BOB)]), { timeout: 5000 });

  const set = vi.spyOn(fakeBrowser.storage.session, 'set');
  const now = Date.now();
  await presence.onSignals([signal(ALICE, 'typing', now), signal(ALICE, 'paused', now + 1), signal(ALICE, 'typing', now + 2)]);
  await vi.waitFor(async () => expect((await storedChats())[presenceKey(ALICE)]?.presences[ALICE]?.lastKnownPresence).toBe('typing'), { timeout: 5000 });
  // One write for the three changes, and Bob's unchanged chat is not in it.
  expect(set.mock.calls.map(([items]) => Object.keys(items))).toEqual([[presenceKey(ALICE)]]);
});

it('resumes from the per-chat keys after a worker stop, and drops the single-key table of version 1', async () => {
  const chat: ChatPresence = { id: ALICE, presences: { [ALICE]: { participant: ALICE, lastKnownPresence: 'online', lastSeen: null, at: Date.now(), confirmedAt: Date.now() } } };
  await fakeBrowser.storage.session.set({ [presenceKey(ALICE)]: chat, presenceState: { [BOB]: { id: BOB, presences: {} } } });
  const presence = await service();
  expect(await presence.snapshot()).toEqual([{ id: ALICE, presences: [{ participant: ALICE, lastKnownPresence: 'online', lastSeen: null }] }]);
  await vi.waitFor(async () => expect(await fakeBrowser.storage.session.get('presenceState')).toEqual({}));
});

it('clears every chat key, the saved ones not yet loaded into the table too', async () => {
  const presence = await service();
  await presence.onSignals([signal(ALICE, 'online')]);
  await fakeBrowser.storage.session.set({ [presenceKey(BOB)]: { id: BOB, presences: {} } });
  await presence.clear();
  expect(await storedChats()).toEqual({});
  expect(await presence.snapshot()).toEqual([]);
});

it('says why the table cannot be saved, and writes it once storage works again', async () => {
  vi.spyOn(console, 'error').mockImplementation(() => {});
  const realSet = fakeBrowser.storage.session.set.bind(fakeBrowser.storage.session);
  let failures = 1;
  vi.spyOn(fakeBrowser.storage.session, 'set').mockImplementation(async (items) => {
    if (failures-- > 0) throw new Error('QUOTA_BYTES quota exceeded');
    return realSet(items);
  });
  const presence = await service();
  await presence.onSignals([signal(ALICE, 'online')]);
  await vi.waitFor(() => expect(presence.storageError).toContain('quota exceeded'), { timeout: 5000 });
  await vi.waitFor(async () => expect(Object.keys(await storedChats())).toEqual([presenceKey(ALICE)]), { timeout: 8000 });
  expect(presence.storageError).toBeNull();
});

it('applies stored changes to a table: a value is the chat now, none means forgotten, other keys are ignored', () => {
  const alice: ChatPresence = { id: ALICE, presences: {} };
  const table: PresenceTable = { [BOB]: { id: BOB, presences: {} } };
  const next = withStoredChats(table, { [presenceKey(ALICE)]: { newValue: alice }, [presenceKey(BOB)]: {}, me: { newValue: 1 } });
  expect(next).toEqual({ [ALICE]: alice });
  expect(table).toEqual({ [BOB]: { id: BOB, presences: {} } }); // not changed in place: Preact sees a new value
  expect(withStoredChats(table, { me: { newValue: 1 } })).toBe(table);
});
