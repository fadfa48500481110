import { describe, expect, it } from 'vitest';
import type { WebhookConfig } from '@/utils/webhook/config';
import { NEW_WEBHOOK_FORM, formFromWebhook, parseHeaders, permissionPattern, webhookFromForm } from '@/utils/ui/webhook-form';
import { unusedPermissions, upsertWebhook, webhookSummary } from '@/utils/ui/webhook-list';

const saved: WebhookConfig = {
  id: 'w1',
  url: 'https://hooks.example.org/waha',
  events: ['presence.update'],
  format: 'flat',
  hmacKey: 'k',
  headers: [{ name: 'Authorization', value: 'Bearer t' }],
  retries: { policy: 'linear', delaySeconds: 3, attempts: 4 },
};

describe('webhook form', () => {
  it('round-trips a saved webhook', () => {
    expect(webhookFromForm(formFromWebhook(saved), 'w1')).toMatchObject({ ok: true, webhook: saved });
  });

  it('builds a new webhook with WAHA defaults, without an empty key', () => {
    const result = webhookFromForm({ ...NEW_WEBHOOK_FORM, url: ' http://127.0.0.1:8787/webhook ' }, 'id');
    expect(result).toMatchObject({
      ok: true,
      webhook: { id: 'id', url: 'http://127.0.0.1:8787/webhook', events: ['*'], format: 'waha', headers: [], retries: { policy: 'exponential', delaySeconds: 2, attempts: 5 } },
    });
    expect(result.ok && 'hmacKey' in result.webhook).toBe(false);
  });

  it('stores "all events" alone when it is chosen with single ones', () => {
    const result = webhookFromForm({ ...NEW_WEBHOOK_FORM, url: 'https://x.example', events: ['presence.update', '*'] }, 'id');
    expect(result.ok && result.webhook.events).toEqual(['*']);
  });

  it('explains every bad field at once', () => {
    const result = webhookFromForm({ ...NEW_WEBHOOK_FORM, url: 'http://backend.example/h', events: [], delay: '0', attempts: 'many', headers: 'X-Webhook-Hmac: forged' }, 'id');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.url).toMatch(/^Plain http is only allowed to this machine/);
    expect(result.errors.events).toBe('Choose at least one event.');
    expect(result.errors.delay).toBe('The retry delay (seconds) is a whole number from 1 to 3600.');
    expect(result.errors.attempts).toBe('Retry attempts is a whole number from 0 to 50.');
    expect(result.errors.headers).toBe('Line 1: X-Webhook-Hmac is set by the extension itself.');
  });

  it('reads headers one per line and refuses what fetch would drop', () => {
    expect(parseHeaders('Authorization: Bearer a:b\n\nX-Team:  sales ')).toEqual({
      ok: true,
      headers: [{ name: 'Authorization', value: 'Bearer a:b' }, { name: 'X-Team', value: 'sales' }],
    });
    expect(parseHeaders('Cookie: a=1')).toEqual({ ok: false, error: 'Line 1: browsers do not let extensions set Cookie.' });
    expect(parseHeaders('ok: 1\nno colon')).toEqual({ ok: false, error: 'Line 2: write "Name: value".' });
    expect(parseHeaders('Bad Name: 1')).toMatchObject({ ok: false, error: expect.stringMatching(/not a valid header name/) });
  });

  it('asks for the webhook host only, whatever the port (Firefox refuses ports in patterns)', () => {
    expect(permissionPattern(new URL('http://127.0.0.1:8787/webhook'))).toBe('http://127.0.0.1/*');
    expect(permissionPattern(new URL('https://hooks.example.org/a/b?c'))).toBe('https://hooks.example.org/*');
  });
});

describe('webhook list', () => {
  const other = { ...saved, id: 'w2', url: 'https://other.example/h' };

  it('replaces in place or appends', () => {
    const edited = { ...saved, url: 'https://hooks.example.org/v2' };
    expect(upsertWebhook([saved, other], edited)).toEqual([edited, other]);
    expect(upsertWebhook([saved], other)).toEqual([saved, other]);
  });

  it('gives back only permissions no remaining webhook needs', () => {
    const sameHost = { ...other, id: 'w3', url: 'https://hooks.example.org/other' };
    expect(unusedPermissions([saved, other], [other])).toEqual(['https://hooks.example.org/*']);
    expect(unusedPermissions([saved, sameHost], [sameHost])).toEqual([]);
    // The control channel on that host still holds the grant.
    expect(unusedPermissions([saved, other], [other], ['https://hooks.example.org/*'])).toEqual([]);
  });

  it('summarizes a webhook in one line', () => {
    expect(webhookSummary(saved)).toBe('presence.update · flat format · linear retry 3 s × 4 · folds after 0.5 s · signed · 1 custom header');
    expect(webhookSummary({ ...saved, foldAfterMs: 0 })).toContain('never folds');
  });
});
