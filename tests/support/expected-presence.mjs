// What the e2e tests expect of conversation timing in a presence entry
// (utils/presence/reducer.ts): typing and recording say when their run began;
// the paused that ends a run also says how long it lasted; in these tests no
// other state follows a typing or recording directly.
import { expect } from 'vitest';

/** @param {string} state */
export function timingOf(state) {
  if (state === 'typing' || state === 'recording') return { activeSince: expect.any(Number) };
  if (state === 'paused') return { activeSince: expect.any(Number), activeMs: expect.any(Number) };
  return {};
}
