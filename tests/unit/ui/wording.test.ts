import { describe, expect, it } from 'vitest';
import type { ChatPresence, ParticipantPresence } from '@/utils/presence/reducer';
import { displayNumber } from '@/utils/ids/chat-id';
import { mergeChatList, nameLookup } from '@/utils/ui/chat-ids';
import { contactStatus, groupStatus, presenceText } from '@/utils/ui/presence-wording';
import { deliveryWording, hookWording, sessionWording } from '@/utils/ui/status-wording';
import { chatOfFollow } from '@/utils/ui/presence-wording';
import { agoText, clockTime, untilText } from '@/utils/ui/time-wording';

const NOW = new Date(2026, 5, 1, 14, 0, 0).getTime();
const MIN = 60_000;

function presence(participant: string, state: ParticipantPresence['lastKnownPresence'], extra: Partial<ParticipantPresence> = {}): ParticipantPresence {
  return { participant, lastKnownPresence: state, lastSeen: null, at: NOW, confirmedAt: NOW, ...extra };
}
function chat(id: string, ...presences: ParticipantPresence[]): ChatPresence {
  return { id, presences: Object.fromEntries(presences.map((p) => [p.participant, p])) };
}

describe('time wording', () => {
  it('says how long ago in the largest sensible unit', () => {
    expect(agoText(NOW - 30_000, NOW)).toBe('just now');
    expect(agoText(NOW - 5 * MIN - 10_000, NOW)).toBe('5 min ago');
    expect(agoText(NOW - 3 * 60 * MIN, NOW)).toBe('3 h ago');
    expect(agoText(NOW - 25 * 60 * MIN, NOW)).toBe('yesterday');
    expect(agoText(NOW - 4 * 24 * 60 * MIN, NOW)).toBe('4 days ago');
    // A clock slightly behind the page's never reads "in the future".
    expect(agoText(NOW + 5_000, NOW)).toBe('just now');
  });

  it('says until when, and how long is left', () => {
    expect(clockTime(new Date(2026, 0, 1, 9, 5).getTime())).toBe('09:05');
    expect(untilText(NOW + 9 * MIN + 30_000, NOW)).toBe('until 14:09 (9 min left)');
    expect(untilText(NOW + 2 * 60 * MIN, NOW)).toBe('until 16:00 (2 h left)');
    expect(untilText(NOW + 19_500, NOW)).toBe('until 14:00 (20 s left)');
    expect(untilText(NOW, NOW)).toBe('until 14:00 (ending)');
  });
});

describe('presence wording', () => {
  it('words every state as the popup shows it', () => {
    expect(presenceText(presence('a', 'typing'), NOW)).toEqual({ text: 'typing…', tone: 'active' });
    expect(presenceText(presence('a', 'recording'), NOW)).toEqual({ text: 'recording…', tone: 'active' });
    expect(presenceText(presence('a', 'online'), NOW)).toEqual({ text: 'online', tone: 'online' });
    expect(presenceText(presence('a', 'paused'), NOW).text).toBe('stopped typing');
    expect(presenceText(presence('a', 'offline', { lastSeen: Math.floor((NOW - 5 * MIN) / 1000) }), NOW).text).toBe('last seen 5 min ago');
    expect(presenceText(presence('a', 'offline', { lastSeen: null }), NOW).text).toBe('last seen hidden');
  });

  it("reads a contact's own entry, else the freshest one (presence keyed by @lid)", () => {
    const alice = '15551110001@c.us';
    expect(contactStatus(alice, undefined, NOW).text).toBe('no presence yet');
    expect(contactStatus(alice, chat(alice, presence(alice, 'online'), presence('81@lid', 'typing', { at: NOW + 1 })), NOW).text).toBe('online');
    expect(contactStatus(alice, chat(alice, presence('81@lid', 'offline', { at: NOW - 1 }), presence('82@lid', 'recording')), NOW).text).toBe('recording…');
  });

  it('says who is typing or recording in a group, by name or number', () => {
    const names = nameLookup([{ id: '15551110001@c.us', name: 'Alice', isGroup: false }]);
    const group = chat(
      'g@g.us',
      presence('15551110002@c.us', 'recording', { at: NOW + 1 }),
      presence('15551110001@c.us', 'typing'),
      presence('15551110003@c.us', 'paused'),
    );
    expect(groupStatus(group, names)).toEqual({ text: 'Alice typing…, +15551110002 recording…', tone: 'active' });
    expect(groupStatus(chat('g@g.us', presence('15551110003@c.us', 'paused')), names).text).toBe('nobody typing');
    expect(groupStatus(undefined, names).text).toBe('no presence yet');
  });
});

describe('names and numbers', () => {
  it('shows phone ids as numbers and keeps other ids', () => {
    expect(displayNumber('15551110001@c.us')).toBe('+15551110001');
    expect(displayNumber('81110003@lid')).toBe('81110003@lid');
  });

  it('merges chats and contacts without repeating an id, chats first', () => {
    const merged = mergeChatList({
      chats: [{ id: 'b@c.us', name: 'Bob', isGroup: false }, { id: 'g@g.us', name: 'Team', isGroup: true }],
      contacts: [{ id: 'a@c.us', name: 'Alice', isGroup: false }, { id: 'b@c.us', name: 'Bob (contact)', isGroup: false }],
    });
    expect(merged.map((e) => e.name)).toEqual(['Bob', 'Team', 'Alice']);
  });

  it("prefers WhatsApp's names over the ones given when following", () => {
    const nameOf = nameLookup([{ id: '1@c.us', name: 'Alice', isGroup: false }], [{ id: '1@c.us', name: '+1' }, { id: '2@c.us', name: 'Bob' }]);
    expect([nameOf('1@c.us'), nameOf('2@c.us'), nameOf('3555000111@c.us')]).toEqual(['Alice', 'Bob', '+3555000111']);
  });
});

describe('status line wording', () => {
  const me = { id: '15550000001@c.us', pushName: 'Operator' };

  it('says when no WhatsApp Web tab is there (so the popup offers to open one)', () => {
    expect(sessionWording({ tabId: null, status: null }, null)).toEqual({ tabOpen: false, text: 'No WhatsApp Web tab is open.' });
    expect(sessionWording({ tabId: 4, status: 'STOPPED' }, me).tabOpen).toBe(false);
  });

  it('says who is logged in, or what WhatsApp Web is waiting for', () => {
    expect(sessionWording({ tabId: 4, status: 'WORKING' }, me).text).toBe('Logged in as Operator (+15550000001).');
    expect(sessionWording({ tabId: 4, status: 'WORKING' }, { id: '15550000001@c.us' }).text).toBe('Logged in as +15550000001.');
    expect(sessionWording({ tabId: 4, status: 'SCAN_QR_CODE' }, null).text).toMatch(/QR code/);
    expect(sessionWording({ tabId: 4, status: 'STARTING' }, null)).toEqual({ tabOpen: true, text: 'WhatsApp Web is loading…' });
    expect(sessionWording({ tabId: 4, status: 'STARTING', state: 'resuming' }, me).text).toBe('WhatsApp Web is reconnecting…');
  });

  it('says why the session stopped, as WhatsApp says it', () => {
    expect(sessionWording({ tabId: 4, status: 'FAILED', state: 'conflict' }, me).text).toMatch(/open in another window: choose "Use here"/);
    expect(sessionWording({ tabId: 4, status: 'FAILED', state: 'phone_unreachable' }, me).text).toMatch(/cannot reach your phone/);
    expect(sessionWording({ tabId: 4, status: 'FAILED', state: 'blocked' }, me).text).toMatch(/blocked/);
    expect(sessionWording({ tabId: 4, status: 'FAILED', state: 'unsupported' }, me).text).toMatch(/no longer supported/);
    expect(sessionWording({ tabId: 4, status: 'FAILED' }, me).text).toBe('WhatsApp Web could not connect.');
  });

  it('says when another WhatsApp Web tab is open', () => {
    expect(sessionWording({ tabId: 4, status: 'WORKING', otherTabs: 1 }, me).text).toBe(
      'Logged in as Operator (+15550000001). Another WhatsApp Web tab is open: this one is used (the one WhatsApp keeps active).',
    );
  });

  it('lists what the hook cannot do on this WhatsApp build', () => {
    expect(hookWording({}).text).toBe('Hook: not reported yet.');
    expect(hookWording({ stanzaTap: { status: 'live', version: '2.3000.1' } })).toEqual({ text: 'Hook live on WhatsApp Web 2.3000.1.', unavailable: [] });
    const partial = hookWording({
      stanzaTap: { status: 'unavailable', detail: 'WAWap missing on WhatsApp Web 2.3000.1', version: '2.3000.1' },
      session: { status: 'live', version: '2.3000.1' },
    });
    expect(partial.text).toBe('Hook: 1 of 2 parts live on WhatsApp Web 2.3000.1.');
    expect(partial.unavailable).toEqual(['presence tap: WAWap missing on WhatsApp Web 2.3000.1']);
    const quiet = hookWording({ stanzaTap: { status: 'quiet', version: '2.3000.1' }, presenceModels: { status: 'live', version: '2.3000.1' } });
    expect(quiet).toEqual({ text: 'Hook: 1 of 2 parts live on WhatsApp Web 2.3000.1.', unavailable: ['presence tap: receives nothing'] });
  });

  it('says whether webhooks get through, with the reason when not', () => {
    expect(deliveryWording(null, 0, NOW).text).toMatch(/No webhook configured/);
    expect(deliveryWording({ queued: 0, dropped: 0, last: null }, 1, NOW).text).toBe('Webhooks: nothing delivered yet (0 queued, 0 dropped).');
    const ok = deliveryWording({ queued: 2, dropped: 0, last: { at: NOW - 2 * MIN, ok: true, status: 200, webhookId: 'w' } }, 1, NOW);
    expect(ok).toEqual({ text: 'Webhooks: last delivery ok 2 min ago (2 queued, 0 dropped).', tone: 'ok' });
    const failing = deliveryWording(
      { queued: 7, dropped: 3, last: { at: NOW, ok: false, status: 500, error: 'backend answered 500 Internal Server Error', webhookId: 'w' } },
      1,
      NOW,
    );
    expect(failing).toEqual({ text: 'Webhooks failing: backend answered 500 Internal Server Error, just now (7 queued, 3 dropped).', tone: 'failing' });
  });
});

describe('a follow by LID', () => {
  it('finds the presence kept under the phone id that carries that LID', () => {
    const alice = chat('15551110001@c.us', presence('15551110001@c.us', 'typing', { lid: '81110001@lid' }));
    const table = { [alice.id]: alice };
    expect(chatOfFollow(table, '81110001@lid')).toBe(alice);
    expect(chatOfFollow(table, '15551110001@c.us')).toBe(alice);
    expect(chatOfFollow(table, '81119999@lid')).toBeUndefined();
  });
});
