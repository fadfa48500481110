import { describe, expect, it } from 'vitest';
import { stanzaToMessage, stanzaToSignal } from '@/utils/page/stanza-to-signal';

const AT = 1_760_000_000_000;
// Shapes as WhatsApp's decoder produces them: a device-less LID is a JID pair,
// a LID from a device an ad-JID with domainType 1.
const lid = (user: string) => ({ $1: { user, server: 'lid' } });
const lidDevice = (user: string, device = 0) => ({ $1: { user, device, domainType: 1 } });
const group = { $1: { user: '120363000000000001', server: 'g.us' } };
// Alice's LID maps to her phone id; Carol's LID has no known phone.
const resolve = (jid: string) => (jid === '81110001@lid' ? '15551110001@c.us' : jid);
const map = (node: unknown) => stanzaToSignal(node, resolve, AT);

describe('stanzaToSignal: presence', () => {
  it('maps an available presence to online, reported under the phone id with the LID beside it', () => {
    expect(map({ tag: 'presence', attrs: { from: lid('81110001') } })).toEqual({
      chatId: '15551110001@c.us',
      participant: '15551110001@c.us',
      state: 'online',
      lastSeen: null,
      lid: '81110001@lid',
      at: AT,
      source: 'stanza',
    });
  });

  it('maps unavailable to offline with last seen in seconds, exactly as sent', () => {
    const signal = map({ tag: 'presence', attrs: { from: lid('81110001'), type: 'unavailable', last: '1759999000' } });
    expect(signal).toMatchObject({ state: 'offline', lastSeen: 1_759_999_000 });
  });

  it('reads last as WhatsApp does: deny / none / error give no time, a missing one means just now', () => {
    for (const last of ['deny', 'none', 'error']) {
      expect(map({ tag: 'presence', attrs: { from: lid('81110001'), type: 'unavailable', last } })?.lastSeen).toBeNull();
    }
    expect(map({ tag: 'presence', attrs: { from: lid('81110001'), type: 'unavailable' } })?.lastSeen).toBe(Math.floor(AT / 1000));
  });

  it('reads a LID from a device the same as a device-less one', () => {
    expect(map({ tag: 'presence', attrs: { from: lidDevice('81110001', 3) } })?.chatId).toBe('15551110001@c.us');
  });

  it("ignores a group's presence: it carries a count of members online, not a contact", () => {
    expect(map({ tag: 'presence', attrs: { from: group, count: '3' } })).toBeNull();
    expect(map({ tag: 'presence', attrs: { from: group, type: 'unavailable', count: '0' } })).toBeNull();
  });

  it('keeps the LID when no phone is known (and adds no second id)', () => {
    const signal = map({ tag: 'presence', attrs: { from: lid('81110003') } });
    expect(signal?.chatId).toBe('81110003@lid');
    expect(signal).not.toHaveProperty('lid');
  });
});

describe('stanzaToSignal: chatstate', () => {
  const chatstate = (child: object, attrs: object = { from: lid('81110001') }) => ({
    tag: 'chatstate',
    attrs,
    content: [child],
  });

  it('maps composing to typing, composing+audio to recording, paused to paused', () => {
    expect(map(chatstate({ tag: 'composing', attrs: {} }))?.state).toBe('typing');
    expect(map(chatstate({ tag: 'composing', attrs: { media: 'audio' } }))?.state).toBe('recording');
    expect(map(chatstate({ tag: 'paused', attrs: {} }))?.state).toBe('paused');
  });

  it('reports a group member under the group id with the member as participant', () => {
    const signal = map(chatstate({ tag: 'composing', attrs: {} }, { from: group, participant: lidDevice('81110001') }));
    expect(signal).toMatchObject({
      chatId: '120363000000000001@g.us',
      participant: '15551110001@c.us',
      lid: '81110001@lid',
      state: 'typing',
      lastSeen: null,
    });
  });

  it('ignores chatstates it cannot read rather than guessing a state', () => {
    expect(map({ tag: 'chatstate', attrs: { from: lid('81110001') }, content: [] })).toBeNull();
    expect(map({ tag: 'chatstate', attrs: { from: lid('81110001') }, content: new Uint8Array(2) })).toBeNull();
    expect(map(chatstate({ tag: 'unknown', attrs: {} }))).toBeNull();
    expect(map(chatstate({ tag: 'composing' }, { from: 'garbage' }))).toBeNull();
  });
});

describe('stanzaToSignal: other nodes', () => {
  it('returns null for messages, receipts and junk', () => {
    for (const node of [{ tag: 'message', attrs: {} }, { tag: 'receipt', attrs: {} }, { tag: 'presence' }, null, 'x']) {
      expect(map(node)).toBeNull();
    }
  });
});

describe('stanzaToMessage (ends a typing state)', () => {
  const message = (attrs: object) => ({ tag: 'message', attrs: { id: '3EB0', type: 'text', ...attrs }, content: [] });

  it('names the sender of a 1:1 message by phone id', () => {
    expect(stanzaToMessage(message({ from: lid('81110001') }), resolve, AT)).toEqual({
      chatId: '15551110001@c.us',
      participant: '15551110001@c.us',
      at: AT,
    });
  });

  it('uses sender_pn / participant_pn when the LID has no known phone', () => {
    expect(stanzaToMessage(message({ from: lid('81110003'), sender_pn: '15551110003@s.whatsapp.net' }), resolve, AT)?.participant).toBe(
      '15551110003@c.us',
    );
    expect(
      stanzaToMessage(message({ from: group, participant: lid('81110003'), participant_pn: '15551110003@s.whatsapp.net' }), resolve, AT),
    ).toEqual({ chatId: '120363000000000001@g.us', participant: '15551110003@c.us', at: AT });
  });

  it('ignores other nodes and unreadable senders', () => {
    expect(stanzaToMessage({ tag: 'presence', attrs: { from: lid('1') } }, resolve, AT)).toBeNull();
    expect(stanzaToMessage(message({ from: group, participant: 'junk' }), resolve, AT)).toBeNull();
  });
});
