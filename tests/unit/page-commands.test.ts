import { describe, expect, it, vi } from 'vitest';
import { PIN_GRACE_MS } from '@/utils/page/commands/own-presence';
import { createCommandHandler } from '@/utils/page/commands';
import { eventful, fakeWhatsApp, wid } from './support/fake-whatsapp';

const ALICE = '15551110001@c.us';
const ALICE_LID = '81110001@lid';
const CAROL = '15551110003@c.us';
const GROUP = '120363000000000001@g.us';

/**
 * A logged-in, LID-migrated WhatsApp with the modules the commands use, shaped
 * as WhatsApp's own (WAWebPresenceChatAction.getChatIdentifier returns a 1:1
 * chat's accountLid; Stream's change:available listener sends the stanza only
 * while uiActive). `omit` leaves modules out.
 */
function whatsapp(options: { omit?: string[]; loggedIn?: boolean; uiActive?: boolean } = {}) {
  const { win, probes } = fakeWhatsApp('2.3000.7');
  const define = (name: string, exports: unknown) => !options.omit?.includes(name) && win.__d(name, [], exports);
  const collection = (models: any[]) => ({
    get: (id: any) => models.find((m) => m.id._serialized === String(id)),
    getModelsArray: () => models,
    gadd: vi.fn((id: any) => models.find((m) => m.id._serialized === String(id)) ?? (models.push({ id: wid(String(id)) }), models.at(-1))),
  });
  const chats = [
    { id: wid(ALICE), accountLid: wid(ALICE_LID), formattedTitle: 'Alice', t: 100, getTcToken: () => 'tc-alice' },
    { id: wid(GROUP), formattedTitle: 'Sales team', t: 200 },
    { id: wid('120363999@newsletter'), formattedTitle: 'A channel', t: 300 },
  ];
  define('WAWebWidFactory', { createWid: wid });
  define('WAWebSocketModel', { Socket: { state: options.loggedIn === false ? 'UNPAIRED' : 'CONNECTED', hasSynced: options.loggedIn !== false } });
  define('WAWebCollections', {
    Chat: collection(chats),
    Contact: collection([
      { id: wid(ALICE), name: 'Alice', isMyContact: true },
      { id: wid(CAROL), name: 'Carol', isMyContact: true },
      { id: wid('15559999999@c.us'), pushname: 'Stranger', isMyContact: false },
    ]),
  });
  const sent: string[] = [];
  const stream = eventful({ available: false, uiActive: options.uiActive ?? true }) as any;
  stream.markAvailable = vi.fn(() => {
    if (stream.available !== true) {
      stream.available = true;
      if (stream.available === true && stream.uiActive) sent.push('available'); // the listener
    }
  });
  stream.markUnavailable = vi.fn(() => {
    if (stream.available !== false) {
      stream.available = false;
      sent.push('unavailable');
    }
  });
  define('WAWebStreamModel', { Stream: stream });
  const action = {
    getChatIdentifier: (chat: any) => chat.accountLid ?? chat.id,
    sendPresenceAvailable: vi.fn(() => sent.push('available')),
    sendPresenceUnavailable: vi.fn(() => sent.push('unavailable')),
  };
  define('WAWebPresenceChatAction', action);
  define('WAWebLid1X1MigrationGating', { Lid1X1MigrationUtils: { isLidMigrated: () => true } });
  const chatState = { sendChatStateComposing: vi.fn(), sendChatStateRecording: vi.fn(), sendChatStatePaused: vi.fn() };
  define('WAWebChatStateBridge', chatState);
  const bridge = { subscribeUserPresence: vi.fn(), subscribeGroupPresence: vi.fn(), subscribePresence: vi.fn() };
  define('WAWebContactPresenceBridge', bridge);
  define('WAWebApiContact', { getCurrentLid: (w: any) => (String(w) === ALICE ? wid(ALICE_LID) : undefined), getPhoneNumber: () => undefined });
  const presenceOfLid = { id: wid(ALICE_LID), hasData: true, isOnline: false, chatstate: { type: 'unavailable', t: 1_700_000_000 } };
  const presences = collection([presenceOfLid, { id: wid(ALICE), hasData: false }]);
  define('WAWebPresenceCollection', { PresenceCollection: presences });
  return { win, stream, bridge, chatState, action, presences, sent, probes };
}

const handler = (wa: ReturnType<typeof whatsapp>, dropped = () => {}) => createCommandHandler(wa.win, (id) => id, dropped);

describe('page commands', () => {
  it('goes online through Stream, on the wire even with the tab in the background, and pinned against the idle flip', async () => {
    const foreground = whatsapp();
    expect(await handler(foreground)({ type: 'online' })).toEqual({ pinned: true });
    expect(foreground.sent).toEqual(['available']); // WhatsApp's own listener sent it, once
    foreground.stream.available = false; // WhatsApp's idle check
    expect(foreground.stream.available).toBe(true);

    const background = whatsapp({ uiActive: false });
    expect(await handler(background)({ type: 'online' })).toEqual({ pinned: true });
    expect(background.stream.markAvailable).toHaveBeenCalledOnce();
    expect(background.sent).toEqual(['available']); // the listener sent nothing: we did
    expect(background.action.sendPresenceAvailable).toHaveBeenCalledOnce();
  });

  it('goes offline with WhatsApp its property back, and says the subscriptions were dropped', async () => {
    const wa = whatsapp();
    const own = Object.getOwnPropertyDescriptor(wa.stream, 'available');
    const dropped = vi.fn();
    const run = handler(wa, dropped);
    await run({ type: 'online' });
    expect(await run({ type: 'offline' })).toEqual({ pinned: false });
    expect(wa.stream.markUnavailable).toHaveBeenCalledOnce();
    expect(wa.sent).toEqual(['available', 'unavailable']);
    expect(Object.getOwnPropertyDescriptor(wa.stream, 'available')).toEqual(own);
    expect(dropped).toHaveBeenCalledOnce();
    // Already unavailable: no change event, so the stanza is sent directly.
    await run({ type: 'offline' });
    expect(wa.sent).toEqual(['available', 'unavailable', 'unavailable']);
  });

  it('lets go of the pin by itself a little after the hold, in case the content script is gone', async () => {
    vi.useFakeTimers();
    try {
      const wa = whatsapp();
      await handler(wa)({ type: 'online', holdMs: 60_000 });
      vi.advanceTimersByTime(60_000 + PIN_GRACE_MS - 1);
      wa.stream.available = false;
      expect(wa.stream.available).toBe(true); // still held
      vi.advanceTimersByTime(1);
      expect(Object.getOwnPropertyDescriptor(wa.stream, 'available')).toMatchObject({ value: true, writable: true }); // WhatsApp's own property back
      wa.stream.available = false; // and WhatsApp's idle check works again
      expect(wa.stream.available).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('sends chat states to the id WhatsApp addresses the chat by (the accountLid)', async () => {
    const wa = whatsapp();
    expect(await handler(wa)({ type: 'chatstate', chatId: ALICE, state: 'typing' })).toEqual({ chatId: ALICE, state: 'typing' });
    expect(String(wa.chatState.sendChatStateComposing.mock.calls[0]![0])).toBe(ALICE_LID);
    await handler(wa)({ type: 'chatstate', chatId: GROUP, state: 'paused' });
    expect(String(wa.chatState.sendChatStatePaused.mock.calls[0]![0])).toBe(GROUP);
  });

  it('subscribes a contact by LID (with a model for WhatsApp to update), a group by its id, and the legacy way where only that exists', async () => {
    const current = whatsapp();
    const run = handler(current);
    expect(await run({ type: 'subscribe', chatId: ALICE })).toEqual({ chatId: ALICE, api: 'subscribeUserPresence', address: ALICE_LID });
    expect(String(current.bridge.subscribeUserPresence.mock.calls[0]![0])).toBe(ALICE_LID);
    expect(current.presences.gadd).toHaveBeenCalledWith(expect.objectContaining({ _serialized: ALICE_LID }));
    expect(await run({ type: 'subscribe', chatId: GROUP })).toEqual({ chatId: GROUP, api: 'subscribeGroupPresence', address: GROUP });
    expect(current.bridge.subscribePresence).not.toHaveBeenCalled();
    // Carol is a contact, but WhatsApp knows no LID for her: a phone id would be refused by WhatsApp's subscription job.
    await expect(run({ type: 'subscribe', chatId: CAROL })).rejects.toThrow(`WhatsApp Web knows no LID for ${CAROL} yet`);

    const legacy = whatsapp();
    delete (legacy.bridge as any).subscribeUserPresence;
    expect(await handler(legacy)({ type: 'subscribe', chatId: ALICE })).toEqual({ chatId: ALICE, api: 'subscribePresence', address: ALICE_LID });
    expect(legacy.bridge.subscribePresence).toHaveBeenCalledWith(expect.objectContaining({ _serialized: ALICE_LID }), 'tc-alice');
  });

  it('lists chats (newest first, no channels) and saved contacts only', async () => {
    expect(await handler(whatsapp())({ type: 'listChats' })).toEqual({
      chats: [
        { id: GROUP, name: 'Sales team', isGroup: true },
        { id: ALICE, name: 'Alice', isGroup: false },
      ],
      contacts: [
        { id: ALICE, name: 'Alice', isGroup: false },
        { id: CAROL, name: 'Carol', isGroup: false },
      ],
    });
  });

  it("reads a contact's presence where WhatsApp keeps it, under its LID", async () => {
    expect(await handler(whatsapp())({ type: 'readPresence', chatId: ALICE })).toEqual({
      id: ALICE,
      presences: [{ participant: ALICE, lastKnownPresence: 'offline', lastSeen: 1_700_000_000 }],
    });
  });

  it('fails with a sentence naming what is missing or wrong, without probing for missing modules', async () => {
    const noStream = whatsapp({ omit: ['WAWebStreamModel'] });
    await expect(handler(noStream)({ type: 'online' })).rejects.toThrow('WAWebStreamModel.Stream missing on WhatsApp Web 2.3000.7');
    await expect(handler(whatsapp({ loggedIn: false }))({ type: 'listChats' })).rejects.toThrow('not logged in');
    const noBridge = whatsapp({ omit: ['WAWebChatStateBridge'] });
    await expect(handler(noBridge)({ type: 'chatstate', chatId: ALICE, state: 'typing' })).rejects.toThrow(
      'WAWebChatStateBridge.sendChatStateComposing missing on WhatsApp Web 2.3000.7',
    );
    await expect(handler(whatsapp())({ type: 'subscribe', chatId: '120363111@g.us' })).rejects.toThrow('unknown group');
    // Meta's require logs an error for every unknown name: none was asked for.
    expect([...noStream.probes, ...noBridge.probes]).toEqual([]);
  });
});
