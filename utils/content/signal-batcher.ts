/**
 * Sends items to the background one message at a time: the first item goes at
 * once; items that arrive while a message is in flight wait and go together
 * in the next one. A lone change costs no delay, and a burst (a busy group, a
 * reconnect) costs a handful of messages instead of thousands.
 */
export function createBatcher<T>(send: (items: T[]) => Promise<unknown>, onError: (error: unknown) => void) {
  let waiting: T[] = [];
  let inFlight = false;

  async function drain() {
    inFlight = true;
    while (waiting.length) {
      const batch = waiting;
      waiting = [];
      try {
        await send(batch);
      } catch (error) {
        onError(error);
      }
    }
    inFlight = false;
  }

  return (item: T) => {
    waiting.push(item);
    if (!inFlight) void drain();
  };
}
