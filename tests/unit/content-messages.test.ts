import { describe, expect, it } from 'vitest';
import { checkContentMessage } from '@/utils/protocol/content-messages';

const signal = { chatId: '15551110001@c.us', participant: '15551110001@c.us', state: 'typing', lastSeen: null, lid: '81110001@lid', at: 1_760_000_000_000, source: 'stanza' };

describe('content-script payloads, checked again in the background', () => {
  it('passes what the page protocol allows', () => {
    expect(checkContentMessage('presenceSignals', [signal])).toEqual([signal]);
    expect(checkContentMessage('hookReport', { kind: 'hook', capability: 'stanzaTap', status: 'quiet', version: '2.3000.1' })).toMatchObject({ status: 'quiet' });
    expect(checkContentMessage('ownPresence', { online: null, chatstate: { chatId: '15551110001@c.us', state: 'typing', until: 5 } })).toBeTruthy();
  });

  it('refuses what does not fit, saying what', () => {
    expect(() => checkContentMessage('presenceSignals', [{ ...signal, chatId: '<img src=x>' }])).toThrow('refused presenceSignals: 0.chatId: not a WhatsApp id');
    expect(() => checkContentMessage('presenceSignals', [{ ...signal, lid: '15551110001@c.us' }])).toThrow('0.lid: not a LID');
    expect(() => checkContentMessage('presenceSignals', Array.from({ length: 5001 }, () => signal))).toThrow('refused presenceSignals');
    expect(() => checkContentMessage('sessionReport', { kind: 'session', state: 'hacked', version: '1' })).toThrow('refused sessionReport: state');
    expect(() => checkContentMessage('ownPresence', { online: null, chatstate: { chatId: 'x', state: 'paused', until: 1 } })).toThrow('refused ownPresence');
  });
});
