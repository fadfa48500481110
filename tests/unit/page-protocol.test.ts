import { describe, expect, it } from 'vitest';
import { parsePageMessage } from '@/utils/protocol/page-messages';

const signal = {
  chatId: '15551110001@c.us',
  participant: '15551110001@c.us',
  state: 'typing',
  lastSeen: null,
  at: 1_760_000_000_000,
  source: 'stanza',
};

describe('parsePageMessage (the page world is untrusted)', () => {
  it('accepts messages that fit the protocol', () => {
    expect(parsePageMessage({ kind: 'presence', signal })).toEqual({ ok: true, message: { kind: 'presence', signal } });
    expect(
      parsePageMessage({ kind: 'session', state: 'connected', me: { id: '15550000001@c.us', pushName: 'Op' }, version: '2.3000.1' }).ok,
    ).toBe(true);
  });

  it('drops what does not fit, with a reason naming the field', () => {
    const cases: Array<[unknown, string]> = [
      [{ kind: 'presence', signal: { ...signal, state: 'dancing' } }, 'signal.state'],
      [{ kind: 'presence', signal: { ...signal, chatId: 'javascript:alert(1)' } }, 'signal.chatId'],
      [{ kind: 'presence', signal: { ...signal, chatId: `${'1'.repeat(200)}@c.us` } }, 'signal.chatId'],
      [{ kind: 'presence', signal: { ...signal, at: 'now' } }, 'signal.at'],
      [{ kind: 'presence', signal: { ...signal, lastSeen: -5 } }, 'signal.lastSeen'],
      [{ kind: 'settings', webhook: 'https://evil.example' }, 'kind'],
      [{ kind: 'hook', capability: 'stanzaTap', status: 'live', version: 'x'.repeat(100) }, 'version'],
      ['presence', 'message'],
      [null, 'message'],
    ];
    for (const [data, where] of cases) {
      const parsed = parsePageMessage(data);
      expect(parsed.ok, JSON.stringify(data)).toBe(false);
      if (!parsed.ok) expect(parsed.reason.startsWith(where), parsed.reason).toBe(true);
    }
  });
});
