import { useLayoutEffect, useState } from 'preact/hooks';
import type { WxtStorageItem } from 'wxt/utils/storage';

/**
 * A storage item's value (undefined until first read), following every change
 * while the component is mounted. The watch starts before the read, and a
 * change seen first wins over the (then stale) initial read. A layout effect:
 * the read starts as soon as the component is mounted, not a frame later,
 * which is most of what opening the popup costs.
 */
export function useStorageItem<T>(item: WxtStorageItem<T, any>): T | undefined {
  const [value, setValue] = useState<T | undefined>(undefined);
  useLayoutEffect(() => {
    let changed = false;
    let mounted = true;
    const unwatch = item.watch((next) => {
      changed = true;
      setValue(next);
    });
    void item.getValue().then((initial) => {
      if (mounted && !changed) setValue(initial);
    });
    return () => {
      mounted = false;
      unwatch();
    };
  }, [item]);
  return value;
}
