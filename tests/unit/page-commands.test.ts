import { describe, expect, it, vi } from 'vitest';
import { createCommandHandler } from '@/utils/page/commands';
import { eventful, fakeWhatsApp, wid } from './support/fake-whatsapp';

const ALICE = '15551110001@c.us';
const ALICE_LID = '81110001@lid';
const GROUP = '120363000000000001@g.us';

/** A logged-in WhatsApp with the modules the commands use; `omit` leaves some out. */
function whatsapp(options: { omit?: string[]; loggedIn?: boolean } = {}) {
  const { win } = fakeWhatsApp('2.3000.7');
  const define = (name: string, exports: unknown) => !options.omit?.includes(name) && win.__d(name, [], exports);
  const collection = (models: any[]) => ({ get: (id: any) => models.find((m) => m.id._serialized === String(id)), getModelsArray: () => models });
  const chats = [
    { id: wid(ALICE), formattedTitle: 'Alice', t: 100, getTcToken: () => 'tc-alice' },
    { id: wid(GROUP), formattedTitle: 'Sales team', t: 200 },
    { id: wid('120363999@newsletter'), formattedTitle: 'A channel', t: 300 },
  ];
  define('WAWebWidFactory', { createWid: wid });
  define('WAWebSocketModel', { Socket: { state: options.loggedIn === false ? 'UNPAIRED' : 'CONNECTED', hasSynced: options.loggedIn !== false } });
  define('WAWebCollections', {
    Chat: collection(chats),
    Contact: collection([{ id: wid(ALICE), name: 'Alice', isMyContact: true }, { id: wid('15559999999@c.us'), pushname: 'Stranger', isMyContact: false }]),
  });
  const stream = eventful({ available: false, markAvailable: vi.fn(), markUnavailable: vi.fn() });
  define('WAWebStreamModel', { Stream: stream });
  const bridge = { subscribeUserPresence: vi.fn(), subscribeGroupPresence: vi.fn(), subscribePresence: vi.fn() };
  define('WAWebContactPresenceBridge', bridge);
  define('WAWebApiContact', { getCurrentLid: (w: any) => (String(w) === ALICE ? wid(ALICE_LID) : undefined), getPhoneNumber: () => undefined });
  const presenceOfLid = { id: wid(ALICE_LID), hasData: true, isOnline: false, chatstate: { type: 'unavailable', t: 1_700_000_000 } };
  define('WAWebPresenceCollection', { PresenceCollection: collection([presenceOfLid, { id: wid(ALICE), hasData: false }]) });
  return { win, stream, bridge };
}

describe('page commands', () => {
  it('pins Stream.available while online is held and gives WhatsApp its property back after', async () => {
    const { win, stream } = whatsapp();
    const own = Object.getOwnPropertyDescriptor(stream, 'available');
    const run = createCommandHandler(win, (id) => id);
    expect(await run({ type: 'online' })).toEqual({ pinned: true });
    expect(stream.markAvailable).toHaveBeenCalledOnce();
    stream.available = false; // WhatsApp's idle check
    expect(stream.available).toBe(true);
    expect(await run({ type: 'offline' })).toEqual({ pinned: false });
    expect(stream.markUnavailable).toHaveBeenCalledOnce();
    expect(Object.getOwnPropertyDescriptor(stream, 'available')).toEqual(own);
  });

  it('subscribes with the current API, and with subscribePresence(wid, tcToken) where only that exists', async () => {
    const current = whatsapp();
    const run = createCommandHandler(current.win, (id) => id);
    expect(await run({ type: 'subscribe', chatId: ALICE })).toEqual({ chatId: ALICE, api: 'subscribeUserPresence' });
    expect(await run({ type: 'subscribe', chatId: GROUP })).toEqual({ chatId: GROUP, api: 'subscribeGroupPresence' });
    expect(current.bridge.subscribePresence).not.toHaveBeenCalled();

    const legacy = whatsapp();
    delete (legacy.bridge as any).subscribeUserPresence;
    const runLegacy = createCommandHandler(legacy.win, (id) => id);
    expect(await runLegacy({ type: 'subscribe', chatId: ALICE })).toEqual({ chatId: ALICE, api: 'subscribePresence' });
    expect(legacy.bridge.subscribePresence).toHaveBeenCalledWith(expect.objectContaining({ _serialized: ALICE }), 'tc-alice');
  });

  it('lists chats (newest first, no channels) and saved contacts only', async () => {
    const run = createCommandHandler(whatsapp().win, (id) => id);
    expect(await run({ type: 'listChats' })).toEqual({
      chats: [
        { id: GROUP, name: 'Sales team', isGroup: true },
        { id: ALICE, name: 'Alice', isGroup: false },
      ],
      contacts: [{ id: ALICE, name: 'Alice', isGroup: false }],
    });
  });

  it("reads a contact's presence where WhatsApp keeps it, under its LID", async () => {
    const run = createCommandHandler(whatsapp().win, (id) => id);
    expect(await run({ type: 'readPresence', chatId: ALICE })).toEqual({
      id: ALICE,
      presences: [{ participant: ALICE, lastKnownPresence: 'offline', lastSeen: 1_700_000_000 }],
    });
  });

  it('fails with a sentence naming what is missing or wrong', async () => {
    await expect(createCommandHandler(whatsapp({ omit: ['WAWebStreamModel'] }).win, (id) => id)({ type: 'online' })).rejects.toThrow(
      'WAWebStreamModel.Stream.markAvailable missing on WhatsApp Web 2.3000.7',
    );
    await expect(createCommandHandler(whatsapp({ loggedIn: false }).win, (id) => id)({ type: 'listChats' })).rejects.toThrow('not logged in');
    await expect(createCommandHandler(whatsapp().win, (id) => id)({ type: 'chatstate', chatId: ALICE, state: 'typing' })).rejects.toThrow(
      'WAWebChatStateBridge.sendChatStateComposing missing on WhatsApp Web 2.3000.7',
    );
    await expect(createCommandHandler(whatsapp().win, (id) => id)({ type: 'subscribe', chatId: '120363111@g.us' })).rejects.toThrow('unknown group');
  });
});
