import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DEAD_LETTER_MAX_AGE_MS, createDeliveryService } from '@/utils/background/delivery-service';
import { createSettingsCache } from '@/utils/background/settings-cache';
import { deadLettersStorage, webhooksStorage } from '@/utils/storage';
import type { WebhookConfig } from '@/utils/webhook/config';

const environment = { version: '0', engine: 'WEBJS' as const, tier: 'CORE', browser: null, platform: null, worker: { id: null } };
const hook = (overrides: Partial<WebhookConfig> = {}): WebhookConfig => ({
  id: 'main',
  url: 'https://backend.example.org/hook',
  events: ['presence.update'],
  format: 'waha',
  headers: [],
  retries: { policy: 'constant', delaySeconds: 1, attempts: 2 },
  ...overrides,
});
const event = (lane = '15551110001@c.us') => ({
  event: 'presence.update' as const,
  timestamp: 1_760_000_000_000,
  lane,
  payloadFor: () => ({ id: lane, presences: [] }),
});
const until = async (check: () => Promise<boolean> | boolean) => {
  for (let i = 0; i < 100 && !(await check()); i++) await new Promise((r) => setTimeout(r, 5));
};

beforeEach(() => {
  fakeBrowser.reset();
  // WXT's fake browser has no permissions API: grant everything unless a test says otherwise.
  (fakeBrowser as any).permissions = { contains: vi.fn(async () => true) };
});

describe('delivery service', () => {
  it('keeps an event the backend refuses as a dead letter with the reason, and can retry it with the same id', async () => {
    await webhooksStorage.setValue([hook()]);
    const fetchMock = vi.fn(async () => new Response('nope', { status: 400, statusText: 'Bad Request' }));
    vi.stubGlobal('fetch', fetchMock);
    const delivery = createDeliveryService(createSettingsCache(), environment);
    await delivery.send(event());
    await until(async () => (await deadLettersStorage.getValue()).length === 1);
    const [letter] = await deadLettersStorage.getValue();
    expect(letter!.reason).toContain('backend answered 400 Bad Request');
    expect(letter!.eventId).toMatch(/^evt_/);

    fetchMock.mockImplementation(async () => new Response('ok', { status: 200 }));
    expect(await delivery.retryDeadLetters()).toBe(1);
    await until(() => fetchMock.mock.calls.length === 2);
    const bodies = fetchMock.mock.calls.map((call) => JSON.parse((call as any)[1].body));
    expect(bodies[1].id).toBe(bodies[0].id);
    expect(await deadLettersStorage.getValue()).toEqual([]);
    vi.unstubAllGlobals();
  });

  it('counts the dead letters it has to drop when the list is full, oldest first', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    await webhooksStorage.setValue([hook()]);
    const old = { seq: '0', webhookId: 'main', lane: 'x', eventId: 'evt_old', event: 'presence.update' as const, body: '{}', attempts: 1, nextAttemptAt: 0, createdAt: 0, reason: 'old', failedAt: Date.now() - 60_000 };
    await deadLettersStorage.setValue(Array.from({ length: 200 }, (_, i) => ({ ...old, eventId: `evt_old${i}` })));
    vi.stubGlobal('fetch', vi.fn(async () => new Response('nope', { status: 400 })));
    const delivery = createDeliveryService(createSettingsCache(), environment);
    await delivery.send(event());
    await until(async () => (await deadLettersStorage.getValue()).at(-1)?.eventId.startsWith('evt_old') === false);
    const letters = await deadLettersStorage.getValue();
    expect(letters).toHaveLength(200);
    expect(letters[0]!.eventId).toBe('evt_old1');
    expect(delivery.health().dropped).toBe(1);
    vi.unstubAllGlobals();
  });

  it('forgets dead letters older than a week at start-up, and counts them', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const letter = { seq: '0', webhookId: 'main', lane: 'x', eventId: 'evt_a', event: 'presence.update' as const, body: '{}', attempts: 1, nextAttemptAt: 0, createdAt: 0, reason: 'old' };
    await deadLettersStorage.setValue([
      { ...letter, eventId: 'evt_stale', failedAt: Date.now() - DEAD_LETTER_MAX_AGE_MS - 1000 },
      { ...letter, eventId: 'evt_recent', failedAt: Date.now() - 3600_000 },
    ]);
    const delivery = createDeliveryService(createSettingsCache(), environment);
    await delivery.ready;
    await until(async () => (await deadLettersStorage.getValue()).length === 1);
    expect((await deadLettersStorage.getValue()).map((l) => l.eventId)).toEqual(['evt_recent']);
    expect(delivery.health().dropped).toBe(1);
  });

  it('sends only the events a webhook subscribed to', async () => {
    await webhooksStorage.setValue([hook({ events: ['session.status'] })]);
    const fetchMock = vi.fn(async () => new Response('ok'));
    vi.stubGlobal('fetch', fetchMock);
    const delivery = createDeliveryService(createSettingsCache(), environment);
    await delivery.send(event());
    await delivery.send({ event: 'session.status', timestamp: 1, lane: 'session', payloadFor: () => ({ status: 'WORKING' }) });
    await until(() => fetchMock.mock.calls.length === 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(JSON.parse((fetchMock.mock.calls[0] as any)[1].body)).toMatchObject({ event: 'session.status', payload: { status: 'WORKING' } });
    vi.unstubAllGlobals();
  });

  it('asks the browser for a grant once, and again after a permission was added or removed', async () => {
    await webhooksStorage.setValue([hook()]);
    const added: Array<() => void> = [];
    let allowed = false;
    const contains = vi.fn(async () => allowed);
    (fakeBrowser as any).permissions = { contains, onAdded: { addListener: (fn: () => void) => added.push(fn) }, onRemoved: { addListener: () => {} } };
    vi.stubGlobal('fetch', vi.fn(async () => new Response('ok')));
    const delivery = createDeliveryService(createSettingsCache(), environment);
    expect((await delivery.sendTest(hook())).ok).toBe(false);
    expect((await delivery.sendTest(hook())).ok).toBe(false);
    expect(contains).toHaveBeenCalledTimes(1); // not a browser round-trip per POST
    allowed = true;
    added.forEach((fn) => fn()); // the operator allowed the host
    expect((await delivery.sendTest(hook())).ok).toBe(true);
    expect(contains).toHaveBeenCalledTimes(2);
    vi.unstubAllGlobals();
  });

  it('does not post without the host permission for the webhook origin, and says why', async () => {
    await webhooksStorage.setValue([hook()]);
    (fakeBrowser as any).permissions.contains = vi.fn(async () => false);
    const fetchMock = vi.fn(async () => new Response('ok'));
    vi.stubGlobal('fetch', fetchMock);
    const delivery = createDeliveryService(createSettingsCache(), environment);
    expect(await delivery.sendTest(hook())).toMatchObject({ ok: false, error: expect.stringContaining('no permission to reach https://backend.example.org') });
    await delivery.send(event());
    await until(async () => (await deadLettersStorage.getValue()).length === 1);
    expect(fetchMock).not.toHaveBeenCalled();
    vi.unstubAllGlobals();
  });
});
