import { describe, expect, it } from 'vitest';
import type { ControlHistoryEntry, ControlStatus } from '@/utils/control/types';
import type { ControlSettings } from '@/utils/storage';
import { controlHistoryLines, controlOpText, controlStatusWording, lastPresenceChange, remoteLastWording } from '@/utils/ui/control-wording';
import { inText, secondsAgoText } from '@/utils/ui/time-wording';

const NOW = new Date(2026, 5, 1, 14, 0, 0).getTime();
const MIN = 60_000;
const ALICE = '15551110001@c.us';
const BOB = '15551110002@c.us';
const GROUP = '120363000000000001@g.us';
const on: ControlSettings = { url: 'wss://relay.example:8443/control', key: 'k'.repeat(16), enabled: true };
const connected: ControlStatus = { state: 'connected', since: NOW - 5 * MIN };
const entry = (op: string, extra: Partial<ControlHistoryEntry> = {}): ControlHistoryEntry => ({ at: NOW - 12_000, op, ok: true, ...extra });

describe('time wording for the channel', () => {
  it('counts seconds in the first minute, then as agoText', () => {
    expect(secondsAgoText(NOW - 400, NOW)).toBe('just now');
    expect(secondsAgoText(NOW - 12_300, NOW)).toBe('12 s ago');
    expect(secondsAgoText(NOW - 3 * MIN, NOW)).toBe('3 min ago');
    expect(secondsAgoText(NOW + 5_000, NOW)).toBe('just now');
  });

  it('says how soon', () => {
    expect(inText(NOW + 39_200, NOW)).toBe('in 40 s');
    expect(inText(NOW + 2.5 * MIN, NOW)).toBe('in 3 min');
    expect(inText(NOW + 125 * MIN, NOW)).toBe('in 2 h');
    expect(inText(NOW - 1, NOW)).toBe('now');
  });
});

describe('channel status', () => {
  it('words every state, with the reason when not connected', () => {
    const words = (status: ControlStatus, settings = on) => controlStatusWording(status, settings, NOW);
    expect(words({ state: 'off', since: 0 }, { url: '', key: '', enabled: false })).toEqual({
      text: 'Off: no control URL is saved, so no channel is opened.',
      tone: 'idle',
    });
    expect(words({ state: 'off', since: 0 })).toEqual({ text: 'Not connected yet.', tone: 'idle' });
    expect(words({ state: 'off', since: 0, detail: 'no permission to reach relay.example.' })).toEqual({
      text: 'Not connected: no permission to reach relay.example.',
      tone: 'failing',
    });
    expect(words({ state: 'waiting', since: NOW, detail: 'waiting for a WhatsApp Web tab' }).text).toBe(
      'Waiting for WhatsApp Web: the channel to relay.example:8443 opens while a WhatsApp Web session is live.',
    );
    expect(words({ state: 'connecting', since: NOW, detail: 'relay.example:8443' }).text).toBe('Connecting to relay.example:8443…');
    expect(words({ ...connected, detail: 'relay.example:8443' })).toEqual({ text: 'Connected to relay.example:8443 since 13:55 (5 min ago).', tone: 'ok' });
    expect(words({ state: 'retrying', since: NOW - MIN, detail: 'bad signature', retryAt: NOW + 40_000 })).toEqual({
      text: 'Not connected: bad signature. Retrying at 14:00 (in 40 s).',
      tone: 'failing',
    });
    expect(words({ state: 'retrying', since: NOW }).text).toBe('Not connected. Retrying soon.');
  });

  it('says that a connected channel refuses everything while remote control is off', () => {
    expect(controlStatusWording(connected, { ...on, enabled: false }, NOW)).toEqual({
      text: 'Connected to relay.example:8443 since 13:55 (5 min ago). Remote control is off: its requests are refused.',
      tone: 'idle',
    });
  });
});

describe('history', () => {
  it('words each operation with the chat name, else the number', () => {
    expect(controlOpText(entry('presence.set', { presence: 'typing', chatId: ALICE, chatName: 'Alice' }))).toBe("set typing in Alice's chat");
    expect(controlOpText(entry('presence.set', { presence: 'recording', chatId: BOB }))).toBe('set recording in the chat with +15551110002');
    expect(controlOpText(entry('presence.set', { presence: 'paused', chatId: GROUP, chatName: 'Sales team' }))).toBe('set paused in Sales team');
    expect(controlOpText(entry('presence.set', { presence: 'online' }))).toBe('set you online');
    expect(controlOpText(entry('presence.set', { presence: 'offline' }))).toBe('set you offline');
    expect(controlOpText(entry('presence.set', { ok: false }))).toBe('set your presence');
    expect(controlOpText(entry('presence.list'))).toBe('read presence of all chats');
    expect(controlOpText(entry('presence.get', { chatId: BOB }))).toBe('read presence of +15551110002');
    expect(controlOpText(entry('presence.subscribe', { chatId: BOB, chatName: 'Bob' }))).toBe('followed Bob');
    expect(controlOpText(entry('typing.start', { chatId: ALICE, chatName: 'Alice' }))).toBe("started typing in Alice's chat");
    expect(controlOpText(entry('typing.stop', { chatId: ALICE, chatName: 'Alice' }))).toBe("stopped typing in Alice's chat");
    expect(controlOpText(entry('chats.delete'))).toBe('unknown operation "chats.delete"');
    // A contact followed by number is stored with the number as its name: not a name to put an "'s" on.
    expect(controlOpText(entry('typing.start', { chatId: BOB, chatName: '+15551110002' }))).toBe('started typing in the chat with +15551110002');
    expect(controlOpText(entry('presence.subscribe', { chatId: BOB, chatName: '+15551110002' }))).toBe('followed +15551110002');
  });

  it('words a refused request as what was asked, beside the reason', () => {
    const refused = entry('presence.subscribe', { chatId: BOB, chatName: 'Bob', ok: false, error: 'You already follow 50 contacts (the cap).' });
    expect(controlHistoryLines([refused], NOW)).toEqual([
      { key: expect.any(String), when: 'just now', what: 'follow Bob', ok: false, outcome: 'You already follow 50 contacts (the cap)' },
    ]);
    expect(controlOpText({ ...refused, op: 'typing.start' })).toBe('start typing in Bob\'s chat');
    expect(controlHistoryLines([{ ...refused, error: undefined }], NOW)[0]!.outcome).toBe('failed');
  });

  it('lists newest first, at most 50', () => {
    const many = Array.from({ length: 60 }, (_, i) => entry('presence.list', { at: NOW - (60 - i) * MIN }));
    const lines = controlHistoryLines(many, NOW);
    expect(lines).toHaveLength(50);
    expect(lines[0]).toMatchObject({ when: '1 min ago', what: 'read presence of all chats', ok: true, outcome: 'ok' });
    expect(lines.at(-1)!.when).toBe('50 min ago');
  });
});

describe("the popup's line", () => {
  const typing = entry('presence.set', { presence: 'typing', chatId: ALICE, chatName: 'Alice' });
  const line = (history: ControlHistoryEntry[], settings = on, status: ControlStatus = connected) => remoteLastWording(history, settings, status, NOW);

  it('says nothing without a control URL', () => {
    expect(line([typing], { url: '', key: '', enabled: false })).toBeNull();
  });

  it('words the newest presence change that was carried out', () => {
    expect(line([typing])).toBe("Your team's backend: typing in Alice's chat, 12 s ago");
    const older = { ...typing, at: NOW - 3 * MIN, presence: 'online' as const };
    const later = [
      entry('presence.list', { at: NOW - 1_000 }),
      entry('typing.start', { at: NOW - 2_000, chatId: BOB, chatName: 'Bob', ok: false, error: 'no tab' }),
      older,
    ];
    expect(line(later)).toBe("Your team's backend: online, 3 min ago");
    expect(lastPresenceChange([older, typing])).toBe(typing);
    expect(line([{ ...typing, presence: 'offline' }])).toBe("Your team's backend: offline, 12 s ago");
    expect(line([{ ...typing, presence: 'recording' }])).toBe("Your team's backend: recording in Alice's chat, 12 s ago");
    expect(line([{ ...typing, presence: 'paused' }])).toBe("Your team's backend: stopped typing in Alice's chat, 12 s ago");
    expect(line([entry('typing.start', { chatId: BOB })])).toBe("Your team's backend: typing in the chat with +15551110002, 12 s ago");
    expect(line([entry('typing.stop', { chatId: GROUP, chatName: 'Sales team' })])).toBe("Your team's backend: stopped typing in Sales team, 12 s ago");
  });

  it('says when there is none yet, and when the channel is down', () => {
    expect(line([entry('presence.subscribe', { chatId: BOB })])).toBe("Your team's backend has not set your presence");
    expect(line([typing], on, { state: 'retrying', since: NOW, detail: 'relay closed the connection.' })).toBe(
      "Your team's backend: typing in Alice's chat, 12 s ago (not connected: relay closed the connection)",
    );
    expect(line([], on, { state: 'waiting', since: NOW })).toBe("Your team's backend has not set your presence (not connected: waiting for WhatsApp Web)");
    expect(line([], on, { state: 'off', since: 0 })).toBe("Your team's backend has not set your presence (not connected)");
    // The background puts the host it is reaching in `detail` while connecting (and once connected).
    expect(line([typing], on, { state: 'connecting', since: NOW, detail: 'relay.example' })).toBe("Your team's backend: typing in Alice's chat, 12 s ago (connecting…)");
    expect(line([typing], on, { ...connected, detail: 'relay.example' })).toBe("Your team's backend: typing in Alice's chat, 12 s ago");
  });

  it('says first that remote control is off', () => {
    expect(line([typing], { ...on, enabled: false })).toBe("Remote control is off: your team's backend cannot set your presence");
  });
});
