/** The part of a `browser.storage` area a keyed store uses (WXT's fake browser in unit tests). */
export interface KeyedStorageArea {
  get(keys: null | string | string[]): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}

/** After a failed write (quota, a storage error), the changes are written again this much later. */
export const REWRITE_AFTER_MS = 2000;

/**
 * Values kept one per key under a prefix (`outbox:<seq>`, `presence:<chatId>`),
 * so that a burst writes only what changed, never a whole table. Writes are
 * batched: everything put or removed while the previous write is on its way
 * goes in one `set` and one `remove`. A failed write gives nothing up: its
 * changes join the next batch (unless newer ones replaced them), written again
 * `rewriteAfterMs` later, and `failing` says why until a write succeeds.
 * `put` and `remove` resolve once written (and reject if that write failed).
 */
export function createKeyedStore<T>(
  area: KeyedStorageArea,
  prefix: string,
  label: string,
  { rewriteAfterMs = REWRITE_AFTER_MS, removalDelayMs = 0 }: { rewriteAfterMs?: number; removalDelayMs?: number } = {},
) {
  let puts = new Map<string, T>();
  let removals = new Set<string>();
  /** The batch still taking changes, if any. */
  let open: Promise<void> | null = null;
  /** The latest batch: batches are written one after the other, in order. */
  let last: Promise<void> = Promise.resolve();
  /** Why the last write failed, while writes keep failing. */
  let failing: string | null = null;
  /** Removals waiting for company (see `remove`). */
  let removalTimer: Promise<void> | null = null;

  async function writeBatch() {
    // Group commit: what was put in this turn joins this write; what comes
    // while it is on its way joins the next one. No timer on the hot path.
    await Promise.resolve();
    open = null;
    const batchPuts = puts;
    const batchRemovals = removals;
    puts = new Map();
    removals = new Set();
    const items: Record<string, T> = {};
    for (const [key, value] of batchPuts) items[prefix + key] = value;
    try {
      await Promise.all([
        batchPuts.size ? area.set(items) : undefined,
        batchRemovals.size ? area.remove([...batchRemovals].map((key) => prefix + key)) : undefined,
      ]);
      failing = null;
    } catch (error) {
      for (const [key, value] of batchPuts) if (!puts.has(key) && !removals.has(key)) puts.set(key, value);
      for (const key of batchRemovals) if (!puts.has(key)) removals.add(key);
      failing = String(error).slice(0, 200);
      setTimeout(() => void schedule().catch(() => {}), rewriteAfterMs);
      throw error;
    }
  }

  function schedule(): Promise<void> {
    if (!open) {
      open = last.then(writeBatch);
      last = open.catch((error) => console.error(`[wa-presence] ${label} write failed (written again soon):`, error));
    }
    return open;
  }

  return {
    /** Every stored value, by its key without the prefix. */
    async load(): Promise<Map<string, T>> {
      const all = await area.get(null);
      const values = new Map<string, T>();
      for (const [key, value] of Object.entries(all)) if (key.startsWith(prefix)) values.set(key.slice(prefix.length), value as T);
      return values;
    },
    put(key: string, value: T): Promise<void> {
      removals.delete(key);
      puts.set(key, value);
      return schedule();
    },
    /**
     * With `removalDelayMs`, a removal waits that long for company (or joins
     * an earlier write): a burst of deliveries makes a few removes, not one
     * storage round-trip each. A worker stopped meanwhile leaves the key, never
     * loses one.
     */
    remove(key: string): Promise<void> {
      puts.delete(key);
      removals.add(key);
      if (removalDelayMs <= 0 || open) return schedule();
      removalTimer ??= new Promise((resolve) => setTimeout(resolve, removalDelayMs)).then(() => {
        removalTimer = null;
        return schedule();
      });
      return removalTimer;
    },
    /** The reason writes are failing right now (shown in the health lines), or null. */
    get failing() {
      return failing;
    },
    /** Resolves when everything put or removed so far is written. */
    async flush(): Promise<void> {
      if (removalTimer) await removalTimer;
      while (open) await open;
      await last;
    },
  };
}

export type KeyedStore<T> = ReturnType<typeof createKeyedStore<T>>;
