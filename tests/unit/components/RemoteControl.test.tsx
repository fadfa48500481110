// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { OptionsPage } from '@/components/OptionsPage';
import { Popup } from '@/components/Popup';
import type { ControlHistoryEntry } from '@/utils/control/types';
import {
  controlHistoryStorage, controlSettingsStorage, controlStatusStorage, meStorage, webhooksStorage, whatsappSessionStorage,
  type ControlSettings,
} from '@/utils/storage';
import type { WebhookConfig } from '@/utils/webhook/config';
import { answerMessages } from './messages';

vi.mock('@/utils/messaging', () => ({ sendMessage: vi.fn() }));

const URL_ = 'wss://relay.example/control';
const KEY = 'a-control-key-of-32-characters!!';
const GRANT = 'https://relay.example/*';
const ALICE = '15551110001@c.us';
const BOB = '15551110002@c.us';
const FALLBACK: ControlSettings = { url: '', key: '', enabled: false };
const webhookOn = (url: string): WebhookConfig => ({ id: url, url, events: ['*'], format: 'waha', headers: [], retries: { policy: 'constant', delaySeconds: 1, attempts: 1 } });

let request: ReturnType<typeof vi.fn>;
let remove: ReturnType<typeof vi.fn>;

beforeEach(() => {
  fakeBrowser.reset();
  answerMessages({
    getDeadLetters: () => [],
    listChats: () => ({ ok: true, value: { chats: [], contacts: [] } }),
    getDeliveryHealth: () => ({ queued: 0, dropped: 0, last: null }),
  });
  request = vi.fn(async () => true);
  remove = vi.fn(async () => true);
  // The fake browser has no permissions API.
  Object.assign(fakeBrowser.permissions, { request, remove });
});
afterEach(cleanup);

const field = (name: string) => screen.getByLabelText(name) as HTMLInputElement;
const type = (name: string, value: string) => fireEvent.input(field(name), { target: { value } });
const save = () => fireEvent.click(screen.getByRole('button', { name: 'Save remote control' }));
/** Lets a save that went on after its message (it should not) reach storage before the test reads it. */
const drained = () => new Promise((resolve) => setTimeout(resolve, 50));
const toggle = (name: string) => screen.getByRole('switch', { name }) as HTMLInputElement;

describe('options: remote control', () => {
  const optionsReady = () => screen.findByLabelText('Control URL');

  it('explains a bad URL and a short key beside the fields, asks for nothing and saves nothing', async () => {
    render(<OptionsPage />);
    await optionsReady();
    type('Control URL', 'ws://relay.example/control');
    type('Control key', 'short');
    save();
    const error = await screen.findByText('Plain ws:// is only allowed to this machine (127.0.0.1 or localhost); use wss:// for relay.example.');
    expect(field('Control URL').getAttribute('aria-describedby')).toContain(error.id);
    expect(field('Control URL').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('The control key has 5 characters: it needs at least 16.')).toBeTruthy();
    expect(screen.getByText('Nothing was saved: see the fields marked.')).toBeTruthy();
    expect(request).not.toHaveBeenCalled();
    await drained();
    expect(await controlSettingsStorage.getValue()).toEqual(FALLBACK);
  });

  it('saves nothing when the host permission is refused, and says why next to the URL', async () => {
    const before: ControlSettings = { url: 'wss://old.example/c', key: KEY, enabled: true };
    await controlSettingsStorage.setValue(before);
    request.mockResolvedValue(false);
    render(<OptionsPage />);
    await waitFor(() => expect(field('Control URL').value).toBe(before.url));
    type('Control URL', URL_);
    save();
    expect(await screen.findByText(/^Permission to reach wss:\/\/relay\.example was refused, so nothing was saved/)).toBeTruthy();
    expect(request).toHaveBeenCalledWith({ origins: [GRANT] });
    await drained();
    expect(await controlSettingsStorage.getValue()).toEqual(before);
    expect(screen.queryByText(/^Saved/)).toBeNull();
    expect(remove).not.toHaveBeenCalled();
  });

  it('says so when the permission prompt itself fails', async () => {
    request.mockRejectedValue(new Error('permissions.request may only be called from a user input handler'));
    render(<OptionsPage />);
    await optionsReady();
    type('Control URL', URL_);
    type('Control key', KEY);
    save();
    expect(await screen.findByText('Could not ask for permission to reach wss://relay.example: permissions.request may only be called from a user input handler')).toBeTruthy();
    await drained();
    expect(await controlSettingsStorage.getValue()).toEqual(FALLBACK);
  });

  it('saves URL and key after the grant, remote control still off', async () => {
    render(<OptionsPage />);
    await optionsReady();
    expect(toggle('Let the backend control my presence').disabled).toBe(true);
    type('Control URL', ` ${URL_} `);
    type('Control key', `${KEY}\n`);
    save();
    expect(await screen.findByText('Saved: the extension connects while WhatsApp Web is open.')).toBeTruthy();
    expect(request).toHaveBeenCalledWith({ origins: [GRANT] });
    expect(await controlSettingsStorage.getValue()).toEqual({ url: URL_, key: KEY, enabled: false });
    // The switch follows the saved URL at once.
    await waitFor(() => expect(toggle('Let the backend control my presence').disabled).toBe(false));
  });

  it('hides the key unless asked to show it', async () => {
    render(<OptionsPage />);
    await optionsReady();
    expect(field('Control key').type).toBe('password');
    fireEvent.click(screen.getByRole('button', { name: 'Show key' }));
    expect(field('Control key').type).toBe('text');
    fireEvent.click(screen.getByRole('button', { name: 'Hide key' }));
    expect(field('Control key').type).toBe('password');
  });

  it('removes the channel on an empty URL, giving back the grant unless a webhook needs it', async () => {
    await controlSettingsStorage.setValue({ url: URL_, key: KEY, enabled: true });
    render(<OptionsPage />);
    await waitFor(() => expect(field('Control URL').value).toBe(URL_));
    type('Control URL', '');
    save();
    expect(await screen.findByText('Removed: no control channel is opened.')).toBeTruthy();
    expect(await controlSettingsStorage.getValue()).toEqual(FALLBACK);
    expect(request).not.toHaveBeenCalled();
    expect(remove).toHaveBeenCalledWith({ origins: [GRANT] });
    expect(field('Control key').value).toBe('');
    cleanup();

    remove.mockClear();
    await controlSettingsStorage.setValue({ url: URL_, key: KEY, enabled: false });
    await webhooksStorage.setValue([webhookOn('https://relay.example/webhook')]);
    render(<OptionsPage />);
    await waitFor(() => expect(field('Control URL').value).toBe(URL_));
    type('Control URL', '');
    save();
    expect(await screen.findByText('Removed: no control channel is opened.')).toBeTruthy();
    await drained();
    expect(remove).not.toHaveBeenCalled();
  });

  it('keeps the grant when a webhook on the same host is removed', async () => {
    await controlSettingsStorage.setValue({ url: URL_, key: KEY, enabled: true });
    const hook = webhookOn('https://relay.example/webhook');
    await webhooksStorage.setValue([hook]);
    render(<OptionsPage />);
    fireEvent.click(await screen.findByRole('button', { name: `Remove ${hook.url}` }));
    await waitFor(async () => expect(await webhooksStorage.getValue()).toEqual([]));
    await drained();
    expect(remove).not.toHaveBeenCalled();
  });

  it('keeps the grant when a webhook on the same host moves to another host', async () => {
    await controlSettingsStorage.setValue({ url: URL_, key: KEY, enabled: true });
    const hook = webhookOn('https://relay.example/webhook');
    await webhooksStorage.setValue([hook]);
    render(<OptionsPage />);
    fireEvent.click(await screen.findByRole('button', { name: `Edit ${hook.url}` }));
    await waitFor(() => expect(field('Webhook URL').value).toBe(hook.url));
    type('Webhook URL', 'https://other.example/webhook');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Saved.')).toBeTruthy();
    await drained();
    expect(remove).not.toHaveBeenCalled();
  });

  it('writes the switch at once, and keeps what else is stored', async () => {
    await controlSettingsStorage.setValue({ url: URL_, key: KEY, enabled: false });
    render(<OptionsPage />);
    await waitFor(() => expect(toggle('Let the backend control my presence').disabled).toBe(false));
    fireEvent.click(toggle('Let the backend control my presence'));
    await waitFor(async () => expect(await controlSettingsStorage.getValue()).toEqual({ url: URL_, key: KEY, enabled: true }));
    await waitFor(() => expect(toggle('Let the backend control my presence').checked).toBe(true));
    fireEvent.click(toggle('Let the backend control my presence'));
    await waitFor(async () => expect((await controlSettingsStorage.getValue()).enabled).toBe(false));
  });

  it("shows the channel's status as the background writes it", async () => {
    await controlSettingsStorage.setValue({ url: URL_, key: KEY, enabled: true });
    await controlStatusStorage.setValue({ state: 'retrying', since: Date.now(), detail: 'bad signature', retryAt: Date.now() + 60_000 });
    render(<OptionsPage />);
    const status = await screen.findByTestId('control-status');
    await waitFor(() => expect(status.textContent).toMatch(/^Not connected: bad signature\. Retrying at \d\d:\d\d \(in 60 s\)\.$/));
    await controlStatusStorage.setValue({ state: 'connected', since: Date.now() });
    await waitFor(() => expect(status.textContent).toMatch(/^Connected to relay\.example since \d\d:\d\d \(just now\)\.$/));
  });

  it('lists the requests with chat names, newest first, and clears them', async () => {
    const now = Date.now();
    const history: ControlHistoryEntry[] = [
      { at: now - 1_000, op: 'presence.set', presence: 'typing', chatId: ALICE, chatName: 'Alice', ok: true },
      { at: now - 5 * 60_000, op: 'presence.subscribe', chatId: BOB, ok: false, error: 'Remote control is off.' },
      { at: now - 2 * 60_000, op: 'presence.list', ok: true },
    ];
    await controlHistoryStorage.setValue(history);
    render(<OptionsPage />);
    const list = await screen.findByTestId('control-history');
    await waitFor(() => expect(within(list).queryAllByRole('listitem')).toHaveLength(3));
    const rows = within(list).getAllByRole('listitem').map((row) => Array.from(row.children, (cell) => cell.textContent));
    expect(rows).toEqual([
      ['just now', "set typing in Alice's chat", 'ok'],
      ['2 min ago', 'read presence of all chats', 'ok'],
      ['5 min ago', 'follow +15551110002', 'Remote control is off'],
    ]);

    fireEvent.click(screen.getByRole('button', { name: 'Clear history' }));
    await waitFor(async () => expect(await fakeBrowser.storage.session.get('controlHistory')).toEqual({}));
    expect(await screen.findByText('No request yet.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Clear history' }) as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('popup: the team backend line', () => {
  const T = new Date(2026, 5, 1, 14, 0, 0).getTime();
  const typingAlice: ControlHistoryEntry = { at: T - 12_000, op: 'presence.set', presence: 'typing', chatId: ALICE, chatName: 'Alice', ok: true };

  beforeEach(async () => {
    await whatsappSessionStorage.setValue({ tabId: 7, status: 'WORKING' });
    await meStorage.setValue({ id: '15550000001@c.us', pushName: 'Operator' });
    await controlStatusStorage.setValue({ state: 'connected', since: T - 60_000 });
  });

  it('is not there without a control URL', async () => {
    await controlHistoryStorage.setValue([typingAlice]);
    render(<Popup />);
    await screen.findByText('Logged in as Operator (+15550000001).');
    expect(screen.queryByTestId('remote-last')).toBeNull();
    expect(screen.queryByRole('switch', { name: 'Remote control' })).toBeNull();
  });

  it('words the last typing set by the backend with the chat name, and counts the time live', async () => {
    const clock = vi.spyOn(Date, 'now').mockReturnValue(T);
    await controlSettingsStorage.setValue({ url: URL_, key: KEY, enabled: true });
    await controlHistoryStorage.setValue([{ at: T - 2_000, op: 'presence.list', ok: true }, typingAlice]);
    render(<Popup />);
    const line = await screen.findByTestId('remote-last');
    await waitFor(() => expect(line.textContent).toBe("Your team's backend: typing in Alice's chat, 12 s ago"));
    clock.mockReturnValue(T + 5_000);
    // Re-worded by the one-second tick, with no storage change.
    await waitFor(() => expect(line.textContent).toBe("Your team's backend: typing in Alice's chat, 17 s ago"), { timeout: 2_500 });
    expect(toggle('Remote control').checked).toBe(true);
  });

  it('says when the backend has set nothing yet, and that the channel is down', async () => {
    await controlSettingsStorage.setValue({ url: URL_, key: KEY, enabled: true });
    await controlStatusStorage.setValue({ state: 'retrying', since: Date.now(), detail: 'relay closed the connection' });
    render(<Popup />);
    const line = await screen.findByTestId('remote-last');
    await waitFor(() => expect(line.textContent).toBe("Your team's backend has not set your presence (not connected: relay closed the connection)"));
  });

  it('turns remote control off from the switch, and then says so', async () => {
    await controlSettingsStorage.setValue({ url: URL_, key: KEY, enabled: true });
    await controlHistoryStorage.setValue([{ ...typingAlice, at: Date.now() - 12_000 }]);
    render(<Popup />);
    const line = await screen.findByTestId('remote-last');
    await waitFor(() => expect(toggle('Remote control').checked).toBe(true));
    fireEvent.click(toggle('Remote control'));
    await waitFor(async () => expect(await controlSettingsStorage.getValue()).toEqual({ url: URL_, key: KEY, enabled: false }));
    await waitFor(() => expect(line.textContent).toBe("Remote control is off: your team's backend cannot set your presence"));
    expect(toggle('Remote control').checked).toBe(false);
  });
});
