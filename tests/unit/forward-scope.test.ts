import { beforeEach, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { DeliveryService } from '@/utils/background/delivery-service';
import { DEFAULT_BEHAVIOUR } from '@/utils/behaviour';
import type { PresenceSignal } from '@/utils/presence/types';

const ALICE = '15551110001@c.us';
const BOB = '15551110002@c.us';
// Fresh signals: typing older than the timeout would be expired to paused on the spot.
const typing = (chatId: string): PresenceSignal => ({ chatId, participant: chatId, state: 'typing', lastSeen: null, at: Date.now(), source: 'stanza' });

beforeEach(() => {
  fakeBrowser.reset();
  vi.resetModules(); // storage items keep state per module instance: each test gets its own
});

/** A presence service on fresh modules, with the settings stored first, and a delivery that records lanes. */
async function service(setup: (storage: typeof import('@/utils/storage')) => Promise<unknown> = async () => {}) {
  const storage = await import('@/utils/storage');
  await setup(storage);
  const { createSettingsCache } = await import('@/utils/background/settings-cache');
  const { createPresenceService } = await import('@/utils/background/presence-service');
  const sent: string[] = [];
  const delivery = { send: vi.fn(async (item: { lane: string }) => void sent.push(item.lane)) } as unknown as DeliveryService;
  const presence = createPresenceService(createSettingsCache(), delivery);
  await presence.ready;
  return { presence, sent };
}

it('forwards every chat by default, as WAHA does', async () => {
  const { presence, sent } = await service();
  await presence.onSignals([typing(ALICE), typing(BOB)]);
  expect(sent).toEqual([ALICE, BOB]);
});

it('with the "followed" scope, neither keeps nor forwards presence of chats not followed', async () => {
  const { presence, sent } = await service(({ behaviourStorage, followsStorage }) =>
    Promise.all([
      behaviourStorage.setValue({ ...DEFAULT_BEHAVIOUR, forwardScope: 'followed' }),
      followsStorage.setValue([{ id: ALICE, name: 'Alice', isGroup: false, addedAt: 1 }]),
    ]),
  );
  await presence.onSignals([typing(ALICE), typing(BOB)]);
  await presence.onMessage(BOB, BOB, Date.now());
  expect(sent).toEqual([ALICE]);
  expect((await presence.snapshot()).map((chat) => chat.id)).toEqual([ALICE]);
});

it('with the "followed" scope, keeps a contact followed by its LID whose presence comes under the phone id', async () => {
  const { presence, sent } = await service(({ behaviourStorage, followsStorage }) =>
    Promise.all([
      behaviourStorage.setValue({ ...DEFAULT_BEHAVIOUR, forwardScope: 'followed' }),
      followsStorage.setValue([{ id: '81110001@lid', name: 'Alice', isGroup: false, addedAt: 1 }]),
    ]),
  );
  await presence.onSignals([{ ...typing(ALICE), lid: '81110001@lid' }, { ...typing(BOB), lid: '81110002@lid' }]);
  expect(sent).toEqual([ALICE]);
});

it('forgets a chat not seen within the retention when it saves, and keeps a followed one', async () => {
  const { presence } = await service(({ behaviourStorage, followsStorage }) =>
    Promise.all([
      behaviourStorage.setValue({ ...DEFAULT_BEHAVIOUR, presenceRetentionHours: 1 }),
      followsStorage.setValue([{ id: BOB, name: 'Bob', isGroup: false, addedAt: 1 }]),
    ]),
  );
  const twoHoursAgo = Date.now() - 2 * 3600_000;
  await presence.onSignals([
    { ...typing(ALICE), state: 'online', at: twoHoursAgo },
    { ...typing(BOB), state: 'online', at: twoHoursAgo },
    { ...typing('15551110009@c.us'), state: 'online' },
  ]);
  // One session key per chat: the forgotten chat's key is gone, the others are written.
  const storedChats = async () => Object.keys(await fakeBrowser.storage.session.get(null)).filter((key) => key.startsWith('presence:')).sort();
  await vi.waitFor(async () => expect(await storedChats()).toEqual([`presence:${BOB}`, 'presence:15551110009@c.us'].sort()));
});
