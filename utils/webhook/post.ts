import { ulid } from '../ids/ulid';
import type { WebhookConfig } from './config';
import { hmacSha512Hex } from './sign';

/** Well under the 30 s after which Chrome cuts a service worker's fetch. */
export const POST_TIMEOUT_MS = 10_000;

export interface PostResult {
  ok: boolean;
  /** HTTP status, or 0 when no answer came (network error, timeout). */
  status: number;
  /** What went wrong, in words an operator can act on. */
  error?: string;
  /** The backend's `Retry-After`, in seconds, when it sent one. */
  retryAfterSeconds?: number;
  /** Trying again cannot help (a header the browser refuses, a redirect): a dead letter at once. */
  permanent?: boolean;
  ms: number;
}

/** WAHA's webhook headers for one HTTP attempt (a fresh request id each time). */
export async function webhookHeaders(webhook: WebhookConfig, body: string, now = Date.now()) {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'X-Webhook-Request-Id': `req_${ulid(now).toLowerCase()}`,
    'X-Webhook-Timestamp': String(now),
  };
  if (webhook.hmacKey) {
    headers['X-Webhook-Hmac'] = await hmacSha512Hex(webhook.hmacKey, body);
    headers['X-Webhook-Hmac-Algorithm'] = 'sha512';
  }
  for (const { name, value } of webhook.headers) headers[name] = value;
  return headers;
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** One POST of an already serialized body; never throws. */
export async function postWebhook(webhook: WebhookConfig, body: string, timeoutMs = POST_TIMEOUT_MS): Promise<PostResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let headers: Headers;
  try {
    headers = new Headers(await webhookHeaders(webhook, body));
  } catch (error) {
    // fetch only takes Latin-1 in header values: say which setting is wrong, not "could not reach".
    return { ok: false, status: 0, permanent: true, ms: elapsed(), error: `a custom header is not valid (${(error as Error)?.message ?? String(error)}): header values must be plain Latin-1 text` };
  }
  try {
    const response = await fetch(webhook.url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(timeoutMs),
      credentials: 'omit',
      // Not followed (a POST's body would not go along, and the grant is per host): reported as such.
      redirect: 'manual',
    });
    // The body is not needed; release the connection.
    await response.body?.cancel().catch(() => {});
    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
      return { ok: false, status: response.status, permanent: true, ms: elapsed(), error: 'the backend answered with a redirect, which is not followed: use the URL it redirects to' };
    }
    const result: PostResult = { ok: response.ok, status: response.status, ms: elapsed() };
    if (!response.ok) result.error = `backend answered ${response.status} ${response.statusText}`.trim();
    const retryAfter = parseRetryAfter(response.headers.get('Retry-After'));
    if (retryAfter !== undefined) result.retryAfterSeconds = retryAfter;
    return result;
  } catch (error) {
    const name = (error as Error)?.name;
    const message =
      name === 'TimeoutError'
        ? `no answer within ${timeoutMs / 1000} s`
        : `could not reach ${new URL(webhook.url).origin}: ${(error as Error)?.message ?? String(error)}`;
    return { ok: false, status: 0, error: message, ms: elapsed() };
  }
}
