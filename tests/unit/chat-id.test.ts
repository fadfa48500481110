import { describe, expect, it } from 'vitest';
import { parseChatId } from '@/utils/ids/chat-id';

describe('parseChatId', () => {
  it('normalizes phone numbers in common notations to @c.us', () => {
    expect(parseChatId('+1 (555) 111-0001')).toEqual({ ok: true, id: '15551110001@c.us' });
    expect(parseChatId('0044 20 7946 0958')).toEqual({ ok: true, id: '442079460958@c.us' });
    expect(parseChatId(' 4915112345678 ')).toEqual({ ok: true, id: '4915112345678@c.us' });
    expect(parseChatId('15551110001@s.whatsapp.net')).toEqual({ ok: true, id: '15551110001@c.us' });
  });

  it('keeps WhatsApp ids as they are', () => {
    expect(parseChatId('120363000000000001@g.us')).toEqual({ ok: true, id: '120363000000000001@g.us' });
    expect(parseChatId('81110003@lid')).toEqual({ ok: true, id: '81110003@lid' });
  });

  it('explains what is wrong with bad input', () => {
    expect(parseChatId('')).toMatchObject({ ok: false, error: expect.stringContaining('country code') });
    expect(parseChatId('Alice')).toEqual({ ok: false, error: '"Alice" is not a phone number.' });
    expect(parseChatId('12345')).toMatchObject({ ok: false, error: expect.stringContaining('7 to 15 digits') });
    expect(parseChatId('020 7946 0958')).toMatchObject({ ok: false, error: expect.stringContaining('country code, not a 0') });
    expect(parseChatId('x@example.com')).toMatchObject({ ok: false, error: expect.stringContaining('is not a WhatsApp id') });
  });
});
