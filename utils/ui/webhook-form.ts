import { DEFAULT_FOLD_AFTER_MS, foldAfterMsOf } from '@/utils/outbox/folding';
import { checkWebhookUrl, WEBHOOK_EVENTS, type RetryPolicy, type WebhookConfig, type WebhookEvent } from '@/utils/webhook/config';

/**
 * The webhook editor's fields as typed (strings), and their conversion to a
 * WebhookConfig. Validation happens here, before any permission prompt or
 * storage write, so a bad form never leaves anything half-saved.
 */
export interface WebhookForm {
  url: string;
  secret: string;
  events: Array<WebhookEvent | '*'>;
  format: WebhookConfig['format'];
  policy: RetryPolicy;
  delay: string;
  attempts: string;
  /** Milliseconds a superseded presence change may wait before it is folded; 0: never. */
  foldAfter: string;
  /** One "Name: value" per line. */
  headers: string;
}

export type WebhookField = keyof WebhookForm;
export type WebhookErrors = Partial<Record<WebhookField, string>>;

export const EVENT_CHOICES: ReadonlyArray<WebhookEvent | '*'> = ['*', ...WEBHOOK_EVENTS];
export const RETRY_POLICIES: readonly RetryPolicy[] = ['constant', 'linear', 'exponential'];
export const DELAY_RANGE = { min: 1, max: 3600 };
export const ATTEMPTS_RANGE = { min: 0, max: 50 };
export const FOLD_AFTER_RANGE = { min: 0, max: 60_000 };

export const NEW_WEBHOOK_FORM: WebhookForm = {
  url: '',
  secret: '',
  events: ['*'],
  format: 'waha',
  policy: 'exponential',
  delay: '2',
  attempts: '5',
  foldAfter: String(DEFAULT_FOLD_AFTER_MS),
  headers: '',
};

export function formFromWebhook(webhook: WebhookConfig): WebhookForm {
  return {
    url: webhook.url,
    secret: webhook.hmacKey ?? '',
    events: [...webhook.events],
    format: webhook.format,
    policy: webhook.retries.policy,
    delay: String(webhook.retries.delaySeconds),
    attempts: String(webhook.retries.attempts),
    foldAfter: String(foldAfterMsOf(webhook)),
    headers: webhook.headers.map(({ name, value }) => `${name}: ${value}`).join('\n'),
  };
}

/** The extension sets these itself (they are part of what the backend verifies). */
const OWN_HEADERS = /^(content-type|x-webhook-.*)$/i;
/** Browsers drop these from fetch() silently; refusing them says so. */
const FORBIDDEN_HEADERS = /^(host|content-length|cookie|cookie2|connection|origin|referer|keep-alive|te|trailer|transfer-encoding|upgrade|via|expect|date|dnt|proxy-.*|sec-.*)$/i;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function parseHeaders(text: string): { ok: true; headers: WebhookConfig['headers'] } | { ok: false; error: string } {
  const headers: WebhookConfig['headers'] = [];
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    if (!line.trim()) continue;
    const colon = line.indexOf(':');
    const name = colon < 0 ? line.trim() : line.slice(0, colon).trim();
    const where = `Line ${index + 1}`;
    if (colon < 0 || !name) return { ok: false, error: `${where}: write "Name: value".` };
    if (!TOKEN.test(name)) return { ok: false, error: `${where}: "${name}" is not a valid header name.` };
    if (OWN_HEADERS.test(name)) return { ok: false, error: `${where}: ${name} is set by the extension itself.` };
    if (FORBIDDEN_HEADERS.test(name)) return { ok: false, error: `${where}: browsers do not let extensions set ${name}.` };
    headers.push({ name, value: line.slice(colon + 1).trim() });
  }
  return { ok: true, headers };
}

function wholeNumber(text: string, range: { min: number; max: number }, what: string): number | string {
  const value = Number(text.trim());
  if (!text.trim() || !Number.isInteger(value) || value < range.min || value > range.max) {
    return `${what} is a whole number from ${range.min} to ${range.max}.`;
  }
  return value;
}

export type FormResult = { ok: true; webhook: WebhookConfig; url: URL } | { ok: false; errors: WebhookErrors };

/** Checks every field; returns the config to save or one explanation per bad field. */
export function webhookFromForm(form: WebhookForm, id: string): FormResult {
  const errors: WebhookErrors = {};
  const url = checkWebhookUrl(form.url);
  if (!url.ok) errors.url = capitalize(url.reason) + '.';
  if (!form.events.length) errors.events = 'Choose at least one event.';
  const delay = wholeNumber(form.delay, DELAY_RANGE, 'The retry delay (seconds)');
  if (typeof delay === 'string') errors.delay = delay;
  const attempts = wholeNumber(form.attempts, ATTEMPTS_RANGE, 'Retry attempts');
  if (typeof attempts === 'string') errors.attempts = attempts;
  const foldAfter = wholeNumber(form.foldAfter, FOLD_AFTER_RANGE, 'Fold after (milliseconds)');
  if (typeof foldAfter === 'string') errors.foldAfter = foldAfter;
  const headers = parseHeaders(form.headers);
  if (!headers.ok) errors.headers = headers.error;
  if (!url.ok || !headers.ok || typeof delay === 'string' || typeof attempts === 'string' || typeof foldAfter === 'string' || Object.keys(errors).length) {
    return { ok: false, errors };
  }
  const secret = form.secret.trim();
  return {
    ok: true,
    url: url.url,
    webhook: {
      id,
      url: url.url.href,
      // "All events" wins over single ones: one meaning, one way to store it.
      events: form.events.includes('*') ? ['*'] : form.events,
      format: form.format,
      ...(secret ? { hmacKey: secret } : {}),
      headers: headers.headers,
      retries: { policy: form.policy, delaySeconds: delay, attempts },
      foldAfterMs: foldAfter,
    },
  };
}

/**
 * The host permission to ask for a webhook: its scheme and host, any port.
 * Firefox refuses ports in match patterns; Chrome reads a missing port as any
 * port. Either way no other host is granted.
 */
export { permissionPattern } from '../webhook/config';

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
