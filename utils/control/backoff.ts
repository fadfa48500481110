/**
 * When to try the control URL again after a close nobody asked for: doubling
 * from 1 s to a minute, ±30 % jitter so that a relay restart is not met by
 * every operator at the same instant. A refused key will not get better soon:
 * a minute at least, so a wrong key does not hammer the backend.
 */
export const RECONNECT_MAX_MS = 60_000;

export function reconnectDelayMs(attempt: number, refusedKey: boolean, random: () => number = Math.random): number {
  const base = Math.min(RECONNECT_MAX_MS, 1000 * 2 ** Math.max(0, attempt));
  const jittered = Math.round(base * (1 + (random() * 2 - 1) * 0.3));
  return refusedKey ? Math.max(RECONNECT_MAX_MS, jittered) : jittered;
}
