/** A failed send is tried again this many times, this much later each time (ms), then given up with a log line. */
export const RETRY_DELAYS_MS = [500, 2000, 5000];
/** Items kept for a retry at most: a background gone for good must not grow the page's memory. */
export const MAX_WAITING = 5000;

/**
 * Sends items to the background one message at a time: what arrives in one
 * task (a batch from the page world, utils/page/batch-sender.ts) goes
 * together at the end of that task (a microtask: no wait); items that arrive
 * while a message is in flight wait and go together in the next one. A lone
 * change costs no delay, and a burst (a busy group, a reconnect) costs a
 * handful of messages instead of thousands. A batch whose
 * send fails (the background restarting) is sent again, in order, before
 * newer items: the background drops what it already applied, so a retry of a
 * batch that did arrive changes nothing.
 */
export function createBatcher<T>(
  send: (items: T[]) => Promise<unknown>,
  onError: (error: unknown) => void,
  wait: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
) {
  let waiting: T[] = [];
  let inFlight = false;

  async function drain() {
    let failures = 0;
    while (waiting.length) {
      const batch = waiting;
      waiting = [];
      try {
        await send(batch);
        failures = 0;
      } catch (error) {
        if (failures >= RETRY_DELAYS_MS.length) {
          onError(error); // given up: this batch is lost, later ones still go
          failures = 0;
          continue;
        }
        waiting = [...batch, ...waiting].slice(-MAX_WAITING);
        await wait(RETRY_DELAYS_MS[failures++]!);
      }
    }
    inFlight = false;
  }

  return (item: T) => {
    waiting.push(item);
    if (waiting.length > MAX_WAITING) waiting.splice(0, waiting.length - MAX_WAITING);
    if (!inFlight) {
      inFlight = true;
      queueMicrotask(() => void drain());
    }
  };
}
