import { REWRITE_AFTER_MS, createKeyedStore, type KeyedStorageArea } from '../keyed-store';
import type { OutboxEntry } from './types';

/** Each entry is its own key, so a burst writes only what changed, not a 10,000-entry array. */
export const OUTBOX_KEY_PREFIX = 'outbox:';

/**
 * Persists outbox entries in `storage.local` (it survives worker stops and
 * browser restarts), one key per entry, writes batched (utils/keyed-store.ts).
 * `put` resolves once the entry is on disk.
 */
/** A delivered entry's key is removed within this: a burst of deliveries shares its removes. */
export const REMOVAL_DELAY_MS = 100;

export function createOutboxStore(area: KeyedStorageArea, rewriteAfterMs = REWRITE_AFTER_MS, removalDelayMs = REMOVAL_DELAY_MS) {
  const store = createKeyedStore<OutboxEntry>(area, OUTBOX_KEY_PREFIX, 'outbox', { rewriteAfterMs, removalDelayMs });
  return {
    async load(): Promise<OutboxEntry[]> {
      return [...(await store.load()).values()].sort((a, b) => (a.seq < b.seq ? -1 : 1));
    },
    // A copy: the dispatcher goes on changing its entry (attempts) before the write.
    put: (entry: OutboxEntry) => store.put(entry.seq, { ...entry }),
    remove: (seq: string) => store.remove(seq),
    get failing() {
      return store.failing;
    },
    flush: () => store.flush(),
  };
}

export type OutboxStore = ReturnType<typeof createOutboxStore>;
