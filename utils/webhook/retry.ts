import type { WebhookConfig } from './config';
import type { PostResult } from './post';

/**
 * WAHA's retry policies. `attempts` counts the retries after the first try.
 * With delay 2 s: constant 2, 2, 2…; linear 2, 4, 6…; exponential ≈ 2, 4, 8…
 * with ±20 % jitter, so that many clients failing together do not return together.
 */
export function retryDelayMs(
  retries: WebhookConfig['retries'],
  retryNumber: number,
  random: () => number = Math.random,
): number {
  const base = Math.max(0, retries.delaySeconds) * 1000;
  switch (retries.policy) {
    case 'constant':
      return base;
    case 'linear':
      return base * retryNumber;
    case 'exponential': {
      const jitter = 1 + (random() * 2 - 1) * 0.2;
      return Math.round(base * 2 ** (retryNumber - 1) * jitter);
    }
  }
}

/** A backend's `Retry-After` is honoured up to this long (a day); beyond it the event would be stale anyway. */
export const MAX_RETRY_AFTER_SECONDS = 24 * 60 * 60;

/** 2xx ends a delivery; 408, 429, 5xx and no answer may get better; other 4xx will not. */
export function isRetryable(status: number): boolean {
  return status === 0 || status === 408 || status === 429 || status >= 500;
}

export type AttemptOutcome =
  | { kind: 'delivered' }
  | { kind: 'retry'; at: number }
  | { kind: 'dead'; reason: string };

/**
 * What happens after attempt number `attempt` (1 = the first try) ended with
 * `result`: delivered, retried at a time (honouring `Retry-After`), or dead.
 */
export function afterAttempt(
  result: PostResult,
  attempt: number,
  retries: WebhookConfig['retries'],
  now: number,
  random: () => number = Math.random,
): AttemptOutcome {
  if (result.ok) return { kind: 'delivered' };
  const reason = result.error ?? `HTTP ${result.status}`;
  if (result.permanent) return { kind: 'dead', reason: `${reason} (not retried)` };
  if (!isRetryable(result.status)) return { kind: 'dead', reason: `${reason} (not retried: a ${result.status} will not get better)` };
  if (attempt > retries.attempts) return { kind: 'dead', reason: `${reason} (gave up after ${attempt} attempts)` };
  const delay =
    result.status === 429 && result.retryAfterSeconds !== undefined
      ? Math.min(Math.max(0, result.retryAfterSeconds), MAX_RETRY_AFTER_SECONDS) * 1000
      : retryDelayMs(retries, attempt, random);
  return { kind: 'retry', at: now + delay };
}
