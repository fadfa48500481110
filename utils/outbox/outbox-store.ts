import type { OutboxEntry } from './types';

/** Each entry is its own key, so a burst writes only what changed, not a 10,000-entry array. */
export const OUTBOX_KEY_PREFIX = 'outbox:';

/** The part of `storage.local` the outbox uses (WXT's fake browser in unit tests). */
export interface StorageArea {
  get(keys: null | string | string[]): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}

/**
 * Persists outbox entries in `storage.local` (it survives worker stops and
 * browser restarts) with writes batched: everything put or removed while the
 * previous write is on its way goes in one `set` and one `remove`, instead of
 * a storage round-trip per event. `put` resolves once the entry is on disk.
 */
/** After a failed write (quota, a storage error), the changes are written again this much later. */
export const REWRITE_AFTER_MS = 2000;

export function createOutboxStore(area: StorageArea, rewriteAfterMs = REWRITE_AFTER_MS) {
  let puts = new Map<string, OutboxEntry>();
  let removals = new Set<string>();
  /** The batch still taking changes, if any. */
  let open: Promise<void> | null = null;
  /** The latest batch: batches are written one after the other, in order. */
  let last: Promise<void> = Promise.resolve();

  async function writeBatch() {
    // Group commit: what was put in this turn joins this write; what comes
    // while it is on its way joins the next one. No timer on the hot path.
    await Promise.resolve();
    open = null;
    const batchPuts = puts;
    const batchRemovals = removals;
    puts = new Map();
    removals = new Set();
    const items: Record<string, OutboxEntry> = {};
    for (const [seq, entry] of batchPuts) items[OUTBOX_KEY_PREFIX + seq] = entry;
    try {
      await Promise.all([
        batchPuts.size ? area.set(items) : undefined,
        batchRemovals.size ? area.remove([...batchRemovals].map((seq) => OUTBOX_KEY_PREFIX + seq)) : undefined,
      ]);
      failing = null;
    } catch (error) {
      // Nothing is given up: what this batch carried goes back into the next
      // one (unless newer changes replaced it), written again a little later.
      for (const [seq, entry] of batchPuts) if (!puts.has(seq) && !removals.has(seq)) puts.set(seq, entry);
      for (const seq of batchRemovals) if (!puts.has(seq)) removals.add(seq);
      failing = String(error).slice(0, 200);
      setTimeout(() => void schedule().catch(() => {}), rewriteAfterMs);
      throw error;
    }
  }
  /** Why the last write failed, while writes keep failing. */
  let failing: string | null = null;

  function schedule(): Promise<void> {
    if (!open) {
      open = last.then(writeBatch);
      last = open.catch((error) => console.error('[wa-presence] outbox write failed:', error));
    }
    return open;
  }

  return {
    async load(): Promise<OutboxEntry[]> {
      const all = await area.get(null);
      return Object.entries(all)
        .filter(([key]) => key.startsWith(OUTBOX_KEY_PREFIX))
        .map(([, entry]) => entry as OutboxEntry)
        .sort((a, b) => (a.seq < b.seq ? -1 : 1));
    },
    put(entry: OutboxEntry): Promise<void> {
      removals.delete(entry.seq);
      puts.set(entry.seq, { ...entry });
      return schedule();
    },
    remove(seq: string): Promise<void> {
      puts.delete(seq);
      removals.add(seq);
      return schedule();
    },
    /** The reason writes are failing right now (the popup's delivery health shows it), or null. */
    get failing() {
      return failing;
    },
    /** Resolves when everything put or removed so far is written. */
    async flush(): Promise<void> {
      while (open) await open;
      await last;
    },
  };
}

export type OutboxStore = ReturnType<typeof createOutboxStore>;
