/** What the options page configures per webhook (WAHA's webhook config, plus the format). */
export const WEBHOOK_EVENTS = ['presence.update', 'session.status'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export type RetryPolicy = 'constant' | 'linear' | 'exponential';

export interface WebhookConfig {
  /** Stable id, so edits and deliveries refer to the same webhook. */
  id: string;
  url: string;
  /** Subscribed events; `*` is all of them. */
  events: Array<WebhookEvent | '*'>;
  /** `waha` (WAHAChatPresences, the default) or `flat` (one participant per object). */
  format: 'waha' | 'flat';
  /** HMAC-SHA512 key; never leaves the background and extension pages. */
  hmacKey?: string;
  headers: Array<{ name: string; value: string }>;
  retries: { policy: RetryPolicy; delaySeconds: number; attempts: number };
  /**
   * Under backlog, a presence change that waited this long (ms) behind a newer
   * one of the same participant is folded into it (utils/outbox/folding.ts).
   * 0: never fold. Absent (webhooks saved before it existed): the default, 1000.
   */
  foldAfterMs?: number;
}

export function wantsEvent(webhook: WebhookConfig, event: WebhookEvent): boolean {
  return webhook.events.includes('*') || webhook.events.includes(event);
}

/** The loopback hosts the extension can be granted (its optional host permissions name these two). */
export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost']);

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

/**
 * A webhook URL must be https, or plain http only to this machine (a team
 * trying the receiver locally): presence must not cross a network in clear.
 */
export function checkWebhookUrl(text: string): UrlCheck {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { ok: false, reason: `"${text}" is not a URL (expected https://your-backend/webhook)` };
  }
  if (url.protocol === 'https:') return { ok: true, url };
  if (url.protocol === 'http:') {
    if (LOOPBACK_HOSTS.has(url.hostname)) return { ok: true, url };
    if (url.hostname === '[::1]') return { ok: false, reason: 'use http://127.0.0.1 (or localhost) for a backend on this machine: the extension cannot be allowed to reach [::1]' };
    return { ok: false, reason: `plain http is only allowed to this machine (127.0.0.1 or localhost); use https for ${url.hostname}` };
  }
  return { ok: false, reason: `${url.protocol} is not supported: use an https:// (or local http://) URL` };
}

/**
 * The host permission a webhook needs: its scheme and host, any port. Firefox
 * refuses ports in match patterns and Chrome reads a missing port as any port,
 * so the options page asks for, and the background checks, this same pattern.
 */
export function permissionPattern(url: URL): string {
  return `${url.protocol}//${url.hostname}/*`;
}
