import { useEffect, useState } from 'preact/hooks';

/**
 * The current time, read at every render, with a re-render at least every
 * `intervalMs` so that "5 min ago" and "9 min left" stay true. (Not the time
 * of the last tick: a status that changed just now must be worded with now.)
 */
export function useNow(intervalMs: number): number {
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((tick) => tick + 1), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return Date.now();
}
