import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCommandClient } from '@/utils/content/command-client';

afterEach(() => vi.useRealTimers());

describe('command client', () => {
  it('matches replies to requests and validates the value', async () => {
    const posted: Array<{ id: string }> = [];
    const client = createCommandClient((request) => (posted.push(request), true));
    const chats = client.request({ type: 'listChats' });
    const bad = client.request({ type: 'readPresence', chatId: '15551110001@c.us' });
    client.onReply({ kind: 'reply', id: posted[1]!.id, ok: true, value: { id: '15551110001@c.us', presences: [{ participant: '<script>', lastKnownPresence: 'online', lastSeen: null }] } });
    client.onReply({ kind: 'reply', id: posted[0]!.id, ok: true, value: { chats: [{ id: '120363000000000001@g.us', name: 'Sales', isGroup: true }], contacts: [] } });
    expect(await chats).toEqual({ ok: true, value: { chats: [{ id: '120363000000000001@g.us', name: 'Sales', isGroup: true }], contacts: [] } });
    expect(await bad).toEqual({ ok: false, error: expect.stringContaining('presences.0.participant: not a WhatsApp id'), kind: 'whatsapp_failed' });
  });

  it('passes the page’s error on, ignores replies nobody asked for, and times out', async () => {
    vi.useFakeTimers();
    const posted: Array<{ id: string }> = [];
    const client = createCommandClient((request) => (posted.push(request), true), 1_000);
    const failing = client.request({ type: 'online' });
    client.onReply({ kind: 'reply', id: 'c999', ok: true, value: { pinned: true } });
    client.onReply({ kind: 'reply', id: posted[0]!.id, ok: false, error: 'WhatsApp Web is not logged in', errorKind: 'not_logged_in' });
    expect(await failing).toEqual({ ok: false, error: 'WhatsApp Web is not logged in', kind: 'not_logged_in' });

    const silent = client.request({ type: 'offline' });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await silent).toEqual({ ok: false, error: 'WhatsApp Web did not answer "offline" within 1 s', kind: 'whatsapp_failed' });
    expect(client.pendingCount).toBe(0);
  });

  it('answers at once when the hook has not opened its channel', async () => {
    const client = createCommandClient(() => false);
    expect(await client.request({ type: 'listChats' })).toEqual({ ok: false, error: expect.stringContaining('not running in this tab'), kind: 'no_tab' });
  });
});
