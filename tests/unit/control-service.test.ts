import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { REMOTE_OFF, type ControlOps } from '@/utils/background/control-ops';
import { createControlService } from '@/utils/background/control-service';
import { createSettingsCache } from '@/utils/background/settings-cache';
import { controlHistoryStorage, controlSettingsStorage, controlStatusStorage, followsStorage, whatsappSessionStorage } from '@/utils/storage';
import { FakeSocket, KEY } from './support/fake-control-socket';

const ALICE = '11111111111@c.us';
const URL_ = 'ws://127.0.0.1:3000/control';

let sockets: FakeSocket[];
let contains: ReturnType<typeof vi.fn>;
const permissionListeners: Array<() => void> = [];

/** Ops that answer from the same check as the real ones would, recording what ran. */
const ops = {
  handle: vi.fn(async (op: string, params: any, enabled: boolean) =>
    enabled
      ? { request: { op, chatId: params?.chatId, presence: params?.presence } as any, answer: { ok: true as const, result: null } }
      : { request: { op, chatId: params?.chatId, presence: params?.presence } as any, answer: { ok: false as const, error: { kind: 'remote_off' as const, message: REMOTE_OFF } } },
  ),
} satisfies ControlOps;

function start() {
  return createControlService(createSettingsCache(), ops as unknown as ControlOps, '1.2.3', () => {
    const socket = new FakeSocket();
    sockets.push(socket);
    return socket;
  });
}
const live = () => whatsappSessionStorage.setValue({ tabId: 7, status: 'WORKING' });
const latest = () => sockets.at(-1)!;

beforeEach(() => {
  fakeBrowser.reset();
  sockets = [];
  permissionListeners.length = 0;
  contains = vi.fn(async () => true);
  (fakeBrowser as any).permissions = {
    contains,
    onAdded: { addListener: (fn: () => void) => permissionListeners.push(fn) },
    onRemoved: { addListener: () => {} },
  };
});
afterEach(() => vi.useRealTimers());

describe('control service', () => {
  it('opens nothing, sets no alarm and says off when no control URL is set', async () => {
    await live();
    const service = start();
    await service.ready;
    expect(sockets).toHaveLength(0);
    expect(await fakeBrowser.alarms.getAll()).toEqual([]);
    expect((await controlStatusStorage.getValue()).state).toBe('off');
  });

  it('waits for a WhatsApp Web session before connecting, then connects, and says so', async () => {
    await controlSettingsStorage.setValue({ url: URL_, key: KEY, enabled: true });
    const service = start();
    await service.ready;
    expect(sockets).toHaveLength(0);
    expect(await controlStatusStorage.getValue()).toMatchObject({ state: 'waiting' });
    await live();
    await vi.waitFor(() => expect(sockets).toHaveLength(1));
    await latest().handshake();
    await vi.waitFor(async () => expect(await controlStatusStorage.getValue()).toMatchObject({ state: 'connected', detail: '127.0.0.1:3000' }));
    expect((await fakeBrowser.alarms.getAll()).map((alarm) => alarm.name)).toEqual(['control-reconnect']);
  });

  it('does not connect to a host the operator has not granted, and says why', async () => {
    contains.mockResolvedValue(false);
    await live();
    await controlSettingsStorage.setValue({ url: URL_, key: KEY, enabled: true });
    await start().ready;
    expect(sockets).toHaveLength(0);
    expect((await controlStatusStorage.getValue()).detail).toContain('permission to reach 127.0.0.1:3000 was not granted');
  });

  it('closes the channel when the URL is removed or the session ends', async () => {
    await live();
    await controlSettingsStorage.setValue({ url: URL_, key: KEY, enabled: true });
    await start().ready;
    await latest().handshake();
    await whatsappSessionStorage.setValue({ tabId: null, status: 'STOPPED' });
    await vi.waitFor(() => expect(latest().closed).toMatchObject({ code: 1000 }));
    await vi.waitFor(async () => expect((await controlStatusStorage.getValue()).state).toBe('waiting'));
    await live();
    await vi.waitFor(() => expect(sockets).toHaveLength(2));
    await controlSettingsStorage.setValue({ url: '', key: '', enabled: false });
    await vi.waitFor(() => expect(sockets[1]!.closed).toMatchObject({ code: 1000 }));
    await vi.waitFor(async () => expect((await controlStatusStorage.getValue()).state).toBe('off'));
    expect(await fakeBrowser.alarms.getAll()).toEqual([]);
  });

  it('reconnects by itself after a close it did not ask for', async () => {
    await live();
    await controlSettingsStorage.setValue({ url: URL_, key: KEY, enabled: true });
    await start().ready;
    await latest().handshake();
    await vi.waitFor(async () => expect((await controlStatusStorage.getValue()).state).toBe('connected'));
    latest().onclose?.({ code: 1006, reason: '' });
    await vi.waitFor(async () => expect(await controlStatusStorage.getValue()).toMatchObject({ state: 'retrying', detail: 'the connection to 127.0.0.1:3000 closed (1006)' }));
    // The first retry after a working connection: about a second (±30 %).
    await vi.waitFor(() => expect(sockets).toHaveLength(2), { timeout: 2500 });
  });

  it('says the key was refused, and reconnects with a new key at once', async () => {
    await live();
    await controlSettingsStorage.setValue({ url: URL_, key: KEY, enabled: true });
    await start().ready;
    latest().onclose?.({ code: 4401, reason: 'bad signature' });
    await vi.waitFor(async () => expect((await controlStatusStorage.getValue()).detail).toContain('refused the control key'));
    const retryAt = (await controlStatusStorage.getValue()).retryAt!;
    expect(retryAt - Date.now()).toBeGreaterThan(50_000);
    await controlSettingsStorage.setValue({ url: URL_, key: `${KEY}-new`, enabled: true });
    await vi.waitFor(() => expect(sockets).toHaveLength(2));
  });

  it("answers a request with the ops' answer, reads the operator's switch at that moment, and keeps a history with the chat's name", async () => {
    await live();
    await followsStorage.setValue([{ id: ALICE, name: 'Alice', isGroup: false, addedAt: 1 }]);
    await controlSettingsStorage.setValue({ url: URL_, key: KEY, enabled: true });
    await start().ready;
    await latest().handshake();
    await vi.waitFor(async () => expect((await controlStatusStorage.getValue()).state).toBe('connected'));
    latest().deliver({ type: 'request', id: 'r1', op: 'presence.set', params: { presence: 'typing', chatId: ALICE } });
    await vi.waitFor(() => expect(latest().sent.find((frame) => frame.id === 'r1')).toEqual({ type: 'response', id: 'r1', ok: true, result: null }));

    await controlSettingsStorage.setValue({ url: URL_, key: KEY, enabled: false });
    latest().deliver({ type: 'request', id: 'r2', op: 'presence.set', params: { presence: 'online' } });
    await vi.waitFor(() => expect(latest().sent.find((frame) => frame.id === 'r2')).toMatchObject({ ok: false, error: { kind: 'remote_off' } }));
    // Turning the switch off does not drop the channel: the backend is told why, each time.
    expect(sockets).toHaveLength(1);

    await vi.waitFor(async () => expect(await controlHistoryStorage.getValue()).toHaveLength(2));
    const [refused, typing] = await controlHistoryStorage.getValue();
    expect(typing).toMatchObject({ op: 'presence.set', chatId: ALICE, chatName: 'Alice', presence: 'typing', ok: true });
    expect(refused).toMatchObject({ op: 'presence.set', presence: 'online', ok: false, error: REMOTE_OFF });
  });

  it('keeps the history short', async () => {
    await live();
    await controlSettingsStorage.setValue({ url: URL_, key: KEY, enabled: true });
    await start().ready;
    await latest().handshake();
    await vi.waitFor(async () => expect((await controlStatusStorage.getValue()).state).toBe('connected'));
    for (let index = 0; index < 60; index++) latest().deliver({ type: 'request', id: `r${index}`, op: 'presence.list' });
    await vi.waitFor(() => expect(latest().sent.filter((frame) => frame.type === 'response')).toHaveLength(60));
    await vi.waitFor(async () => expect((await controlHistoryStorage.getValue())[0]).toMatchObject({ op: 'presence.list' }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await controlHistoryStorage.getValue()).toHaveLength(50);
  });
});
