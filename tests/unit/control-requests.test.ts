import { describe, expect, it, vi } from 'vitest';
import { createControlOps, REMOTE_OFF } from '../../utils/background/control-ops';
import type { CommandService } from '../../utils/background/command-service';
import type { FollowService } from '../../utils/background/follow-service';
import type { PresenceService } from '../../utils/background/presence-service';
import { reconnectDelayMs, RECONNECT_MAX_MS } from '../../utils/control/backoff';
import { checkRequest } from '../../utils/control/requests';

const ALICE = '11111111111@c.us';

describe('checkRequest (WAHA bodies)', () => {
  it('takes online and offline without a chat, the chat states with one', () => {
    expect(checkRequest('presence.set', { presence: 'online' })).toEqual({ ok: true, request: { op: 'presence.set', presence: 'online' } });
    expect(checkRequest('presence.set', { presence: 'typing', chatId: ALICE })).toEqual({
      ok: true,
      request: { op: 'presence.set', presence: 'typing', chatId: ALICE },
    });
    expect(checkRequest('presence.list', undefined)).toEqual({ ok: true, request: { op: 'presence.list' } });
    expect(checkRequest('typing.stop', { chatId: '120363000000000000@g.us' }).ok).toBe(true);
  });

  it("refuses what WAHA refuses, in WAHA's words", () => {
    expect(checkRequest('presence.set', { presence: 'online', chatId: ALICE })).toEqual({
      ok: false,
      kind: 'bad_request',
      message: "'online' presence works on the global scope and doesn't require 'chatId' field.",
    });
    expect(checkRequest('presence.set', { presence: 'recording' })).toEqual({
      ok: false,
      kind: 'bad_request',
      message: "'recording' presence requires 'chatId' field.",
    });
  });

  it('names what is wrong: unknown op, bad presence, bad id, extra field, params not an object', () => {
    expect(checkRequest('presence.delete', {})).toMatchObject({ ok: false, kind: 'unknown_op' });
    expect(checkRequest('presence.set', { presence: 'away' })).toMatchObject({ ok: false, kind: 'bad_request', message: expect.stringContaining('online, offline, typing') });
    expect(checkRequest('presence.get', { chatId: '12345' })).toMatchObject({ ok: false, kind: 'bad_id', message: expect.stringContaining('"12345" is not a WhatsApp chat id') });
    expect(checkRequest('presence.get', { chatId: 42 })).toMatchObject({ ok: false, kind: 'bad_request', message: 'chatId must be a string' });
    expect(checkRequest('presence.get', {})).toMatchObject({ ok: false, kind: 'bad_request', message: "presence.get requires the 'chatId' field." });
    expect(checkRequest('typing.start', { chatId: ALICE, session: 'x' })).toMatchObject({ ok: false, kind: 'bad_request', message: "typing.start does not take 'session'" });
    expect(checkRequest('presence.list', [1])).toMatchObject({ ok: false, kind: 'bad_request' });
  });
});

describe('reconnectDelayMs', () => {
  it('doubles from a second to a minute, within ±30 %', () => {
    expect(reconnectDelayMs(0, false, () => 0.5)).toBe(1000);
    expect(reconnectDelayMs(3, false, () => 0.5)).toBe(8000);
    expect(reconnectDelayMs(20, false, () => 0.5)).toBe(RECONNECT_MAX_MS);
    expect(reconnectDelayMs(3, false, () => 0)).toBe(5600);
    expect(reconnectDelayMs(3, false, () => 1)).toBe(10400);
  });
  it('waits a minute at least after a refused key', () => {
    expect(reconnectDelayMs(0, true, () => 0)).toBe(RECONNECT_MAX_MS);
  });
});

function fakes() {
  const commands = {
    setOnline: vi.fn(async () => ({ ok: true as const, value: { online: null, chatstate: null } })),
    setChatState: vi.fn(async () => ({ ok: true as const, value: { online: null, chatstate: null } })),
    readPresence: vi.fn(async (chatId: string) => ({ ok: true as const, value: { id: chatId, presences: [] } })),
  };
  const follows = { follow: vi.fn(async () => ({ ok: true as const, value: [] })) };
  const presence = { snapshot: vi.fn(async () => [{ id: ALICE, presences: [{ participant: ALICE, lastKnownPresence: 'online', lastSeen: null }] }]) };
  const ops = createControlOps(commands as unknown as CommandService, follows as unknown as FollowService, presence as unknown as PresenceService);
  return { commands, follows, presence, ops };
}

describe('control ops', () => {
  it('does each WAHA operation with the service the popup uses', async () => {
    const { commands, follows, presence, ops } = fakes();
    expect((await ops.handle('presence.set', { presence: 'online' }, true)).answer).toEqual({ ok: true, result: null });
    expect(commands.setOnline).toHaveBeenLastCalledWith(true);
    await ops.handle('presence.set', { presence: 'offline' }, true);
    expect(commands.setOnline).toHaveBeenLastCalledWith(false);
    await ops.handle('presence.set', { presence: 'recording', chatId: ALICE }, true);
    expect(commands.setChatState).toHaveBeenLastCalledWith(ALICE, 'recording');
    await ops.handle('typing.start', { chatId: ALICE }, true);
    expect(commands.setChatState).toHaveBeenLastCalledWith(ALICE, 'typing');
    await ops.handle('typing.stop', { chatId: ALICE }, true);
    expect(commands.setChatState).toHaveBeenLastCalledWith(ALICE, 'paused');
    expect((await ops.handle('presence.get', { chatId: ALICE }, true)).answer).toEqual({ ok: true, result: { id: ALICE, presences: [] } });
    expect((await ops.handle('presence.list', {}, true)).answer).toEqual({ ok: true, result: await presence.snapshot() });
    expect((await ops.handle('presence.subscribe', { chatId: ALICE }, true)).answer).toEqual({ ok: true, result: null });
    expect(follows.follow).toHaveBeenCalledWith({ id: ALICE });
  });

  it('refuses everything while the operator has it off, and does nothing', async () => {
    const { commands, follows, presence, ops } = fakes();
    for (const [op, params] of [
      ['presence.set', { presence: 'online' }],
      ['presence.list', {}],
      ['presence.subscribe', { chatId: ALICE }],
    ] as const) {
      expect((await ops.handle(op, params, false)).answer).toEqual({ ok: false, error: { kind: 'remote_off', message: REMOTE_OFF } });
    }
    expect(commands.setOnline).not.toHaveBeenCalled();
    expect(follows.follow).not.toHaveBeenCalled();
    expect(presence.snapshot).not.toHaveBeenCalled();
  });

  it("passes the page's refusal on with its kind (the follow cap, an unknown chat), and a bad request changes nothing", async () => {
    const { commands, follows, ops } = fakes();
    follows.follow.mockResolvedValueOnce({ ok: false, error: 'You already follow 50 contacts, the cap', kind: 'refused_by_cap' } as never);
    expect((await ops.handle('presence.subscribe', { chatId: ALICE }, true)).answer).toEqual({
      ok: false,
      error: { kind: 'refused_by_cap', message: 'You already follow 50 contacts, the cap' },
    });
    commands.setChatState.mockResolvedValueOnce({ ok: false, error: 'No chat with 2@c.us', kind: 'unknown_chat' } as never);
    expect((await ops.handle('typing.start', { chatId: '2@c.us' }, true)).answer).toMatchObject({ ok: false, error: { kind: 'unknown_chat' } });
    commands.setChatState.mockResolvedValueOnce({ ok: false, error: 'odd' } as never);
    expect((await ops.handle('typing.start', { chatId: ALICE }, true)).answer).toMatchObject({ ok: false, error: { kind: 'whatsapp_failed', message: 'odd' } });
    commands.setChatState.mockClear();
    expect((await ops.handle('typing.start', { chatId: 'nope' }, true)).answer).toMatchObject({ ok: false, error: { kind: 'bad_id' } });
    expect(commands.setChatState).not.toHaveBeenCalled();
  });
});
