/**
 * Runs async tasks one after the other (read-modify-write of one storage
 * item, say). A task that fails rejects its own promise and is logged; the
 * ones after it still run: one bad write never stops the queue for good.
 */
export function createSerialQueue(label: string) {
  let tail: Promise<unknown> = Promise.resolve();
  return function run<T>(task: () => Promise<T> | T): Promise<T> {
    const result = tail.then(task);
    tail = result.catch((error) => console.warn('[wa-presence]', `${label}: ${String(error).slice(0, 300)}`));
    return result;
  };
}
