import { describe, expect, it } from 'vitest';
import { normalizeJid, wireJidToString } from '@/utils/page/wire-jid';

const wire = (data: object, text: string) => ({ $1: data, toString: () => text });

describe('wireJidToString', () => {
  it('reads server-addressed wire JIDs and maps s.whatsapp.net to c.us', () => {
    expect(wireJidToString(wire({ user: '15551110001', server: 's.whatsapp.net' }, 'x'))).toBe('15551110001@c.us');
    expect(wireJidToString(wire({ user: '120363000000000001', server: 'g.us' }, 'x'))).toBe('120363000000000001@g.us');
  });

  it('reads a device-less LID as a pair with server lid', () => {
    expect(wireJidToString(wire({ user: '81110001', server: 'lid' }, 'x'))).toBe('81110001@lid');
  });

  it("reads device (ad) JIDs by WhatsApp's domain types, dropping the device: 0 phone, 1 LID, 128 hosted, 129 hosted LID", () => {
    expect(wireJidToString(wire({ user: '15551110001', device: 3, domainType: 0 }, 'x'))).toBe('15551110001@c.us');
    expect(wireJidToString(wire({ user: '81110001', device: 0, domainType: 1 }, 'x'))).toBe('81110001@lid');
    expect(wireJidToString(wire({ user: '81110001', device: 7, domainType: 1 }, 'x'))).toBe('81110001@lid');
    expect(wireJidToString(wire({ user: '15551119999', device: 2, domainType: 128 }, 'x'))).toBe('15551119999@c.us');
    expect(wireJidToString(wire({ user: '81119999', device: 2, domainType: 129 }, 'x'))).toBe('81119999@lid');
  });

  it('rejects a $1 with an unknown domainType instead of guessing', () => {
    expect(wireJidToString(wire({ user: '1', domainType: 7 }, 'x'))).toBeNull();
    for (const domainType of ['constructor', 'toString', '__proto__']) expect(wireJidToString(wire({ user: '1', domainType }, 'x'))).toBeNull();
  });

  it('reads a $1 exactly as its `user@server` string would read', () => {
    const cases: Array<[string, string]> = [
      ['15551110001:3', 's.whatsapp.net'],
      [':3', 'lid'],
      ['', 'c.us'],
      ['a@b', 'c.us'],
      ['1', 'x@lid'],
      ['1', 'hosted.lid'],
      ['1', 'constructor'],
    ];
    for (const [user, server] of cases) expect(wireJidToString(wire({ user, server }, 'x')), `${user} ${server}`).toBe(normalizeJid(`${user}@${server}`));
  });

  it('falls back to String(jid), as WhatsApp uses it, when the private field is renamed', () => {
    expect(wireJidToString({ $2: { user: '81110001', device: 0, domainType: 1 }, toString: () => '81110001:0@lid' })).toBe('81110001@lid');
  });

  it('accepts plain strings and stringifiable ids from older builds', () => {
    expect(wireJidToString('15551110001@s.whatsapp.net')).toBe('15551110001@c.us');
    expect(wireJidToString('81110001:2@lid')).toBe('81110001@lid');
    expect(wireJidToString({ toString: () => '15551110002@c.us' })).toBe('15551110002@c.us');
  });

  it('returns null for what is not a JID', () => {
    for (const value of [undefined, null, 42, '', 'nobody', '@c.us', 'x@', {}]) {
      expect(wireJidToString(value)).toBeNull();
    }
  });

  it('normalizeJid keeps the user part and strips devices', () => {
    expect(normalizeJid('123:45@s.whatsapp.net')).toBe('123@c.us');
  });
});
