/**
 * Runs `fn` once, `delayMs` after the first call since its last run: many
 * calls in a burst make one write.
 */
export function runSoon(fn: () => void, delayMs: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    timer ??= setTimeout(() => {
      timer = undefined;
      fn();
    }, delayMs);
  };
}

/**
 * `setTimeout` fires at once for a delay past 2^31 − 1 ms (24.8 days): a timer
 * is only set for waits up to this long; the alarm covers the rest.
 */
export const MAX_TIMER_MS = 60 * 60 * 1000;

/**
 * A wake-up at a given time that survives the service worker being stopped:
 * a timer for precision while the worker lives (for waits up to an hour), and
 * an alarm (at least 1 s ahead) to start it again if it was stopped. Asking
 * again for the same time costs nothing, so callers may ask after every event.
 */
export function createWakeUp(alarmName: string, onWake: () => void) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let scheduled: number | null = null;
  const wake = () => {
    scheduled = null;
    onWake();
  };
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === alarmName) wake();
  });
  return {
    /** Wake at `at` (Unix ms), or never when null. */
    at(at: number | null) {
      if (at === scheduled) return;
      scheduled = at;
      clearTimeout(timer);
      if (at === null || !Number.isFinite(at)) return void browser.alarms.clear(alarmName);
      const delay = Math.max(0, at - Date.now());
      if (delay <= MAX_TIMER_MS) timer = setTimeout(wake, delay);
      void browser.alarms.create(alarmName, { when: Math.max(at, Date.now() + 1000) });
    },
  };
}
