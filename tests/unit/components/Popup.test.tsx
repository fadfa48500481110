// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { Popup, READY_MARK } from '@/components/Popup';
import type { PresenceTable } from '@/utils/presence/reducer';
import { PRESENCE_KEY_PREFIX, presenceKey } from '@/utils/presence/presence-keys';
import type { ChatList } from '@/utils/protocol/commands';
import { DEFAULT_BEHAVIOUR } from '@/utils/behaviour';
import {
  behaviourStorage, followsStorage, hookStatusStorage, meStorage, ownPresenceStorage,
  webhooksStorage, whatsappSessionStorage, type Follow,
} from '@/utils/storage';
import { answerMessages, type Answers } from './messages';

vi.mock('@/utils/messaging', () => ({ sendMessage: vi.fn() }));

const ALICE = '15551110001@c.us';
const BOB = '15551110002@c.us';
const GROUP = '120363000000000001@g.us';
const chatList: ChatList = {
  chats: [
    { id: ALICE, name: 'Alice', isGroup: false },
    { id: GROUP, name: 'Sales team', isGroup: true },
  ],
  contacts: [{ id: BOB, name: 'Bob', isGroup: false }],
};
const follow = (id: string, name: string, isGroup = false): Follow => ({ id, name, isGroup, addedAt: 1 });
const presenceOf = (chatId: string, participant: string, state: string, lastSeen: number | null = null): PresenceTable => ({
  [chatId]: { id: chatId, presences: { [participant]: { participant, lastKnownPresence: state as never, lastSeen, at: 1, confirmedAt: 1 } } },
});

/** Stores the table as the presence service does: one session key per chat, chats not in it removed. */
async function storePresence(table: PresenceTable) {
  const stored = Object.keys(await fakeBrowser.storage.session.get(null)).filter((key) => key.startsWith(PRESENCE_KEY_PREFIX));
  await fakeBrowser.storage.session.remove(stored.filter((key) => !(key.slice(PRESENCE_KEY_PREFIX.length) in table)));
  await fakeBrowser.storage.session.set(Object.fromEntries(Object.entries(table).map(([chatId, chat]) => [presenceKey(chatId), chat])));
}

let sent: ReturnType<typeof answerMessages>;
function answer(extra: Answers = {}) {
  sent = answerMessages({
    listChats: () => ({ ok: true, value: chatList }),
    getDeliveryHealth: () => ({ queued: 0, dropped: 0, last: null }),
    ...extra,
  });
}

beforeEach(async () => {
  fakeBrowser.reset();
  performance.clearMarks();
  answer();
  await whatsappSessionStorage.setValue({ tabId: 7, status: 'WORKING' });
  await meStorage.setValue({ id: '15550000001@c.us', pushName: 'Operator' });
});
afterEach(cleanup);

const ready = () => waitFor(() => expect(document.querySelector('main[data-ready]')).toBeTruthy());
const button = (name: string) => screen.getByRole('button', { name });

describe('status line', () => {
  it('offers to open WhatsApp Web when no tab is there', async () => {
    await whatsappSessionStorage.setValue({ tabId: null, status: null });
    const query = vi.spyOn(fakeBrowser.tabs, 'query').mockResolvedValue([]);
    const create = vi.spyOn(fakeBrowser.tabs, 'create').mockResolvedValue({} as never);
    render(<Popup />);
    expect(await screen.findByText('No WhatsApp Web tab is open.')).toBeTruthy();
    fireEvent.click(button('Open WhatsApp Web'));
    await waitFor(() => expect(create).toHaveBeenCalledWith({ url: 'https://web.whatsapp.com/' }));
    expect(query).toHaveBeenCalledWith({ url: 'https://web.whatsapp.com/*' });
  });

  it('focuses the WhatsApp Web tab that is already open', async () => {
    await whatsappSessionStorage.setValue({ tabId: 3, status: 'STOPPED' });
    vi.spyOn(fakeBrowser.tabs, 'query').mockResolvedValue([{ id: 3, windowId: 9 } as never]);
    const update = vi.spyOn(fakeBrowser.tabs, 'update').mockResolvedValue({} as never);
    const focus = vi.spyOn(fakeBrowser.windows, 'update').mockResolvedValue({} as never);
    const create = vi.spyOn(fakeBrowser.tabs, 'create');
    render(<Popup />);
    fireEvent.click(await screen.findByRole('button', { name: 'Open WhatsApp Web' }));
    await waitFor(() => expect(focus).toHaveBeenCalledWith(9, { focused: true }));
    expect(update).toHaveBeenCalledWith(3, { active: true });
    expect(create).not.toHaveBeenCalled();
  });

  it('says who is logged in, what the hook cannot do and how deliveries go', async () => {
    await hookStatusStorage.setValue({
      stanzaTap: { status: 'live', version: '2.3000.1' },
      session: { status: 'unavailable', detail: 'WAWebSocketModel missing on WhatsApp Web 2.3000.1', version: '2.3000.1' },
    });
    await webhooksStorage.setValue([{ id: 'w', url: 'https://x.example/h', events: ['*'], format: 'waha', headers: [], retries: { policy: 'constant', delaySeconds: 1, attempts: 1 } }]);
    answer({ getDeliveryHealth: () => ({ queued: 4, dropped: 1, last: { at: Date.now(), ok: false, status: 500, error: 'backend answered 500', webhookId: 'w' } }) });
    render(<Popup />);
    expect(await screen.findByText('Logged in as Operator (+15550000001).', { exact: false })).toBeTruthy();
    expect(await screen.findByText('session watch: WAWebSocketModel missing on WhatsApp Web 2.3000.1')).toBeTruthy();
    expect(await screen.findByText('Webhooks failing: backend answered 500, just now (4 queued, 1 dropped).')).toBeTruthy();
  });
});

describe('my presence', () => {
  it('sends Online and Offline, and shows what is held until when', async () => {
    render(<Popup />);
    await ready();
    expect(button('Online').getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(button('Online'));
    fireEvent.click(button('Offline'));
    await waitFor(() => expect(sent('setOnline')).toEqual([true, false]));

    const until = Date.now() + 9.5 * 60_000;
    await ownPresenceStorage.setValue({ online: { since: Date.now(), until }, chatstate: null });
    await waitFor(() => expect(button('Online').getAttribute('aria-pressed')).toBe('true'));
    expect(button('Offline').getAttribute('aria-pressed')).toBe('false');
    expect(screen.getByText(/^Online, held until \d\d:\d\d \(9 min left\)\.$/)).toBeTruthy();
  });

  it('sends typing to the chosen chat and shows the chat state being sent', async () => {
    render(<Popup />);
    await ready();
    fireEvent.click(button('Typing'));
    expect(await screen.findByText('Choose a chat first.')).toBeTruthy();
    expect(sent('setChatState')).toEqual([]);

    const chat = screen.getByRole('combobox', { name: 'Chat' });
    fireEvent.input(chat, { target: { value: 'ali' } });
    fireEvent.keyDown(chat, { key: 'Enter' });
    fireEvent.click(button('Typing'));
    await waitFor(() => expect(sent('setChatState')).toEqual([{ chatId: ALICE, state: 'typing' }]));

    await ownPresenceStorage.setValue({ online: null, chatstate: { chatId: ALICE, state: 'typing', until: Date.now() + 60_000 } });
    expect(await screen.findByText(/^Typing in Alice, until/)).toBeTruthy();
    expect(button('Typing').getAttribute('aria-pressed')).toBe('true');
    expect(button('Recording').getAttribute('aria-pressed')).toBe('false');
  });

  it("shows the background's refusal", async () => {
    answer({ setOnline: () => ({ ok: false, error: 'WhatsApp Web is not open.' }) });
    render(<Popup />);
    fireEvent.click(button('Online'));
    expect((await screen.findByRole('alert')).textContent).toBe('WhatsApp Web is not open.');
  });
});

describe('subscribed contacts', () => {
  it('shows each followed contact live as the presence table changes', async () => {
    await followsStorage.setValue([follow(ALICE, 'Alice'), follow(BOB, 'Bob'), follow(GROUP, 'Sales team', true)]);
    render(<Popup />);
    await ready();
    const rows = () => screen.getAllByRole('listitem').map((row) => row.textContent);
    expect(rows()).toEqual(['Aliceno presence yet+15551110001×', 'Bobno presence yet+15551110002×', 'Sales teamno presence yetgroup×']);

    await storePresence({
      ...presenceOf(ALICE, ALICE, 'online'),
      ...presenceOf(BOB, BOB, 'offline', Math.floor(Date.now() / 1000) - 5 * 60),
      ...presenceOf(GROUP, BOB, 'recording'),
    });
    await waitFor(() => expect(rows()).toEqual(['Aliceonline+15551110001×', 'Boblast seen 5 min ago+15551110002×', 'Sales teamBob recording…group×']));

    await storePresence({ ...presenceOf(ALICE, ALICE, 'typing'), ...presenceOf(BOB, BOB, 'offline', null) });
    await waitFor(() => expect(rows()).toEqual(['Alicetyping…+15551110001×', 'Boblast seen hidden+15551110002×', 'Sales teamno presence yetgroup×']));
  });

  it('subscribes by name or number, and explains bad input without asking the background', async () => {
    answer({ follow: () => ({ ok: true, value: [] }) });
    render(<Popup />);
    await ready();
    const field = screen.getByRole('textbox', { name: 'Contact' });
    fireEvent.input(field, { target: { value: '12 34' } });
    fireEvent.click(button('Subscribe'));
    expect((await screen.findByRole('alert')).textContent).toMatch(/7 to 15 digits/);
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(sent('follow')).toEqual([]);

    fireEvent.input(field, { target: { value: 'bob' } });
    fireEvent.click(button('Subscribe'));
    await waitFor(() => expect(sent('follow')).toEqual([{ id: BOB, name: 'Bob' }]));
    await waitFor(() => expect((field as HTMLInputElement).value).toBe(''));

    fireEvent.input(field, { target: { value: '+44 20 7946 0958' } });
    fireEvent.submit(field.closest('form')!);
    await waitFor(() => expect(sent('follow')[1]).toEqual({ id: '442079460958@c.us', name: '+442079460958' }));
  });

  it('shows the follow cap, its reason, and the refusal past it', async () => {
    await behaviourStorage.setValue({ ...DEFAULT_BEHAVIOUR, followCap: 1 });
    await followsStorage.setValue([follow(ALICE, 'Alice')]);
    const refusal = 'You already follow 1 contacts (the cap): following many looks like automation to WhatsApp.';
    answer({ follow: () => ({ ok: false, error: refusal }) });
    render(<Popup />);
    expect(await screen.findByText(/^1 of 1 followed\. .*looks like automation to WhatsApp\.$/)).toBeTruthy();
    fireEvent.input(screen.getByRole('textbox', { name: 'Contact' }), { target: { value: 'Bob' } });
    fireEvent.click(button('Subscribe'));
    expect((await screen.findByRole('alert')).textContent).toBe(refusal);
  });

  it('unsubscribes from a row by its accessible name', async () => {
    answer({ unfollow: () => ({ ok: true, value: [] }) });
    await followsStorage.setValue([follow(ALICE, 'Alice'), follow(BOB, 'Bob')]);
    render(<Popup />);
    fireEvent.click(await screen.findByRole('button', { name: 'Unsubscribe Bob' }));
    await waitFor(() => expect(sent('unfollow')).toEqual([BOB]));
  });
});

it('marks itself ready once the followed list and the chat list are there, even without a WhatsApp tab', async () => {
  answer({ listChats: () => ({ ok: false, error: 'No WhatsApp Web tab is open.' }) });
  render(<Popup />);
  await ready();
  await waitFor(() => expect(performance.getEntriesByName(READY_MARK)).toHaveLength(1));
  expect(screen.getByText('Chat list unavailable: No WhatsApp Web tab is open.')).toBeTruthy();
});
