import { useLayoutEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { PresenceTable } from '@/utils/presence/reducer';
import { withStoredChats } from '@/utils/presence/presence-keys';

/**
 * The live presence table (one `storage.session` key per chat), undefined
 * until first read, following each chat's change while mounted. As in
 * useStorageItem, the watch starts before the read and changes seen meanwhile
 * are applied over the initial read, not lost under it.
 */
export function usePresenceTable(): PresenceTable | undefined {
  const [table, setTable] = useState<PresenceTable | undefined>(undefined);
  useLayoutEffect(() => {
    let mounted = true;
    const early: Array<Record<string, { newValue?: unknown }>> = [];
    let loaded = false;
    const onChanged = (changes: Record<string, { newValue?: unknown }>, area: string) => {
      if (area !== 'session') return;
      if (!loaded) early.push(changes);
      else setTable((current) => withStoredChats(current ?? {}, changes));
    };
    browser.storage.onChanged.addListener(onChanged);
    void browser.storage.session.get(null).then((items) => {
      if (!mounted) return;
      const asChanges = Object.fromEntries(Object.entries(items).map(([key, newValue]) => [key, { newValue }]));
      loaded = true;
      setTable(early.reduce(withStoredChats, withStoredChats({}, asChanges)));
    });
    return () => {
      mounted = false;
      browser.storage.onChanged.removeListener(onChanged);
    };
  }, []);
  return table;
}
