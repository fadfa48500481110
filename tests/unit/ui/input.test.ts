import { describe, expect, it } from 'vitest';
import type { ChatEntry } from '@/utils/protocol/commands';
import { DEFAULT_BEHAVIOUR } from '@/utils/behaviour';
import { filterChats } from '@/utils/ui/chat-filter';
import { resolveContact } from '@/utils/ui/contact-input';
import { behaviourForm, behaviourFromForm, sessionFromForm } from '@/utils/ui/settings-form';

const entries: ChatEntry[] = [
  { id: '15551110001@c.us', name: 'Alice', isGroup: false },
  { id: '15551110002@c.us', name: 'Bob', isGroup: false },
  { id: '120363000000000001@g.us', name: 'Sales team', isGroup: true },
  { id: '15551110004@c.us', name: 'José Alvarez', isGroup: false },
  { id: '15551110005@c.us', name: 'Alicia', isGroup: false },
];

describe('chat filter', () => {
  it('matches names regardless of case and accents, names that start with the query first', () => {
    expect(filterChats(entries, 'jose').matches.map((e) => e.name)).toEqual(['José Alvarez']);
    expect(filterChats(entries, 'AL').matches.map((e) => e.name)).toEqual(['Alice', 'Alicia', 'José Alvarez', 'Sales team']);
  });

  it('matches numbers in any notation', () => {
    expect(filterChats(entries, '+1 555-111-0002').matches.map((e) => e.name)).toEqual(['Bob']);
    expect(filterChats(entries, '1110005').matches.map((e) => e.name)).toEqual(['Alicia']);
  });

  it('returns at most `limit` matches and says how many there were', () => {
    const many = Array.from({ length: 500 }, (_, i) => ({ id: `1555200${String(i).padStart(4, '0')}@c.us`, name: `Contact ${i}`, isGroup: false }));
    const result = filterChats(many, 'contact', 50);
    expect(result.matches).toHaveLength(50);
    expect(result.total).toBe(500);
    expect(filterChats(many, '', 20)).toMatchObject({ total: 500, matches: { length: 20 } });
  });
});

describe('contact field', () => {
  it('normalizes a phone number to @c.us and names it when WhatsApp knows it', () => {
    expect(resolveContact('+1 (555) 111-0002', entries)).toEqual({ ok: true, id: '15551110002@c.us', name: 'Bob' });
    expect(resolveContact('0044 20 7946 0958', null)).toEqual({ ok: true, id: '442079460958@c.us', name: '+442079460958' });
  });

  it('explains a bad number', () => {
    expect(resolveContact('12345', entries)).toMatchObject({ ok: false, error: expect.stringMatching(/7 to 15 digits/) });
    expect(resolveContact('', entries)).toMatchObject({ ok: false, error: expect.stringMatching(/Enter a name/) });
    expect(resolveContact('abc@x.com', entries)).toMatchObject({ ok: false, error: expect.stringMatching(/not a WhatsApp id/) });
  });

  it('finds a name, exact first, else a single partial match', () => {
    expect(resolveContact('alice', entries)).toEqual({ ok: true, id: '15551110001@c.us', name: 'Alice' });
    expect(resolveContact('sales', entries)).toEqual({ ok: true, id: '120363000000000001@g.us', name: 'Sales team' });
  });

  it('refuses an ambiguous or unknown name, saying what to type instead', () => {
    expect(resolveContact('ali', entries)).toEqual({ ok: false, error: '"ali" matches 2 chats (Alice, Alicia): type more of the name.' });
    expect(resolveContact('Zed', entries)).toMatchObject({ ok: false, error: expect.stringMatching(/No chat or contact is named "Zed"/) });
    expect(resolveContact('Alice', null, 'no WhatsApp Web tab.')).toEqual({
      ok: false,
      error: "WhatsApp's chat list is not available (no WhatsApp Web tab): enter the phone number instead.",
    });
  });
});

describe('session form', () => {
  it('drops empty rows and keeps the metadata as typed', () => {
    expect(sessionFromForm(' sales ', [{ key: 'user.email', value: 'op@example.org' }, { key: '', value: ' ' }])).toEqual({
      ok: true,
      settings: { name: 'sales', metadata: { 'user.email': 'op@example.org' } },
    });
  });

  it('refuses an empty name, a value without key, and a key twice', () => {
    expect(sessionFromForm(' ', []).ok).toBe(false);
    expect(sessionFromForm('default', [{ key: '', value: 'x' }])).toEqual({ ok: false, error: 'The value "x" has no key.' });
    expect(sessionFromForm('default', [{ key: 'a', value: '1' }, { key: 'a ', value: '2' }])).toEqual({ ok: false, error: 'The key "a" appears twice.' });
  });
});

describe('behaviour form', () => {
  it('round-trips the settings and keeps the ones it does not edit', () => {
    const current = { ...DEFAULT_BEHAVIOUR, outboxLimit: 1234 };
    const form = { ...behaviourForm(current), followCap: '20', forwardScope: 'followed' as const };
    expect(behaviourFromForm(form, current)).toEqual({ ok: true, behaviour: { ...current, followCap: 20, forwardScope: 'followed' } });
  });

  it('names each field out of bounds', () => {
    const form = { ...behaviourForm(DEFAULT_BEHAVIOUR), followCap: '0', heldOnlineMinutes: '1.5', typingTimeoutSeconds: '' };
    const result = behaviourFromForm(form, DEFAULT_BEHAVIOUR);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(['followCap', 'heldOnlineMinutes', 'typingTimeoutSeconds']);
    expect(result.errors.followCap).toBe('Follow cap: a whole number from 1 to 200.');
  });
});
