import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkWebhookUrl, type WebhookConfig } from '@/utils/webhook/config';
import { postWebhook, webhookHeaders } from '@/utils/webhook/post';
import { afterAttempt } from '@/utils/webhook/retry';
import { hmacSha512Hex } from '@/utils/webhook/sign';

const webhook: WebhookConfig = {
  id: 'w1',
  url: 'https://backend.example.org/webhook',
  events: ['*'],
  format: 'waha',
  headers: [{ name: 'X-Team', value: 'sales' }],
  retries: { policy: 'exponential', delaySeconds: 2, attempts: 5 },
};

describe('HMAC-SHA512', () => {
  it("matches WAHA's published test vector", async () => {
    const body = '{"event":"message","session":"default","engine":"WEBJS"}';
    expect(await hmacSha512Hex('my-secret-key', body)).toBe(
      '208f8a55dde9e05519e898b10b89bf0d0b3b0fdf11fdbf09b6b90476301b98d8097c462b2b17a6ce93b6b47a136cf2e78a33a63f6752c2c1631777076153fa89',
    );
  });
});

describe('webhook headers', () => {
  it('has the WAHA headers, the signature only with a key, and the custom headers', async () => {
    const plain = await webhookHeaders(webhook, '{}', 1_760_000_000_000);
    expect(plain).toMatchObject({ 'Content-Type': 'application/json', 'X-Webhook-Timestamp': '1760000000000', 'X-Team': 'sales' });
    expect(plain['X-Webhook-Request-Id']).toMatch(/^req_[0-9a-z]{26}$/);
    expect(plain).not.toHaveProperty('X-Webhook-Hmac');

    const signed = await webhookHeaders({ ...webhook, hmacKey: 'k' }, '{"a":1}');
    expect(signed['X-Webhook-Hmac']).toBe(await hmacSha512Hex('k', '{"a":1}'));
    expect(signed['X-Webhook-Hmac-Algorithm']).toBe('sha512');
  });

  it('gives every attempt its own request id', async () => {
    const a = await webhookHeaders(webhook, '{}');
    const b = await webhookHeaders(webhook, '{}');
    expect(a['X-Webhook-Request-Id']).not.toBe(b['X-Webhook-Request-Id']);
  });
});

describe('postWebhook', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('reports success, failure with Retry-After, and unreachable backends without throwing', async () => {
    const fetchMock = vi
      .fn()
      .mockResolvedValueOnce(new Response('ok', { status: 200 }))
      .mockResolvedValueOnce(new Response('busy', { status: 429, statusText: 'Too Many Requests', headers: { 'Retry-After': '7' } }))
      .mockRejectedValueOnce(new TypeError('Failed to fetch'));
    vi.stubGlobal('fetch', fetchMock);

    expect(await postWebhook(webhook, '{}')).toMatchObject({ ok: true, status: 200 });
    expect(await postWebhook(webhook, '{}')).toMatchObject({
      ok: false,
      status: 429,
      retryAfterSeconds: 7,
      error: 'backend answered 429 Too Many Requests',
    });
    const down = await postWebhook(webhook, '{}');
    expect(down).toMatchObject({ ok: false, status: 0 });
    expect(down.error).toContain('could not reach https://backend.example.org');
    expect(fetchMock.mock.calls[0]![1]).toMatchObject({ method: 'POST', body: '{}' });
  });

  it('says a header value is not valid, and a redirect is not followed, and neither is retried', async () => {
    const fetchMock = vi.fn().mockResolvedValueOnce(new Response(null, { status: 307, headers: { Location: 'https://elsewhere.example.org/' } }));
    vi.stubGlobal('fetch', fetchMock);
    const badHeader = await postWebhook({ ...webhook, headers: [{ name: 'X-Team', value: 'Ventes – équipe ✓' }] }, '{}');
    expect(badHeader).toMatchObject({ ok: false, permanent: true, error: expect.stringContaining('a custom header is not valid') });
    expect(fetchMock).not.toHaveBeenCalled();
    const redirected = await postWebhook(webhook, '{}');
    expect(redirected).toMatchObject({ ok: false, status: 307, permanent: true, error: expect.stringContaining('redirect, which is not followed') });
    expect(afterAttempt(redirected, 1, webhook.retries, 0)).toEqual({ kind: 'dead', reason: expect.stringContaining('(not retried)') });
  });
});

describe('checkWebhookUrl', () => {
  it('accepts https anywhere and http only to this machine', () => {
    expect(checkWebhookUrl('https://backend.example.org/hook').ok).toBe(true);
    expect(checkWebhookUrl('http://127.0.0.1:8787/webhook').ok).toBe(true);
    expect(checkWebhookUrl('http://localhost:8787/webhook').ok).toBe(true);
  });

  it('explains what is wrong with other URLs', () => {
    const cases: Array<[string, string]> = [
      ['http://backend.example.org/hook', 'plain http is only allowed to this machine'],
      ['http://[::1]:8787/webhook', 'the extension cannot be allowed to reach [::1]'],
      ['ftp://example.org', 'ftp: is not supported'],
      ['backend/webhook', 'is not a URL'],
    ];
    for (const [url, reason] of cases) {
      const result = checkWebhookUrl(url);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toContain(reason);
    }
  });
});
