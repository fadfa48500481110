import { describe, expect, it } from 'vitest';
import type { WebhookConfig } from '@/utils/webhook/config';
import { afterAttempt, isRetryable, retryDelayMs } from '@/utils/webhook/retry';

const policy = (p: WebhookConfig['retries']['policy'], attempts = 5): WebhookConfig['retries'] => ({ policy: p, delaySeconds: 2, attempts });
const delays = (p: WebhookConfig['retries']['policy'], random = () => 0.5) => [1, 2, 3, 4].map((n) => retryDelayMs(policy(p), n, random));

describe('retryDelayMs (WAHA policies, delay 2 s)', () => {
  it('constant: 2, 2, 2, 2', () => expect(delays('constant')).toEqual([2000, 2000, 2000, 2000]));
  it('linear: 2, 4, 6, 8', () => expect(delays('linear')).toEqual([2000, 4000, 6000, 8000]));
  it('exponential: 2, 4, 8, 16 without jitter', () => expect(delays('exponential')).toEqual([2000, 4000, 8000, 16000]));
  it('exponential jitter stays within ±20 %', () => {
    expect(delays('exponential', () => 0)).toEqual([1600, 3200, 6400, 12800]);
    expect(delays('exponential', () => 1)).toEqual([2400, 4800, 9600, 19200]);
  });
});

describe('afterAttempt', () => {
  const ok = { ok: true, status: 200, ms: 1 };
  const fail = (status: number, extra = {}) => ({ ok: false, status, ms: 1, error: `backend answered ${status}`, ...extra });

  it('ends on 2xx', () => expect(afterAttempt(ok, 1, policy('constant'), 0)).toEqual({ kind: 'delivered' }));

  it('retries 408, 429, 5xx and network errors; fails other 4xx at once with the reason', () => {
    expect([0, 408, 429, 500, 502, 503].every(isRetryable)).toBe(true);
    expect([400, 401, 403, 404, 410, 422].some(isRetryable)).toBe(false);
    expect(afterAttempt(fail(503), 1, policy('constant'), 10_000)).toEqual({ kind: 'retry', at: 12_000 });
    const dead = afterAttempt(fail(404), 1, policy('constant'), 0);
    expect(dead).toEqual({ kind: 'dead', reason: 'backend answered 404 (not retried: a 404 will not get better)' });
  });

  it('honours Retry-After on 429', () => {
    expect(afterAttempt(fail(429, { retryAfterSeconds: 30 }), 1, policy('constant'), 1000)).toEqual({ kind: 'retry', at: 31_000 });
  });

  it('gives up after the configured number of retries', () => {
    const retries = policy('constant', 3);
    expect(afterAttempt(fail(500), 3, retries, 0).kind).toBe('retry');
    expect(afterAttempt(fail(500), 4, retries, 0)).toEqual({ kind: 'dead', reason: 'backend answered 500 (gave up after 4 attempts)' });
  });
});
