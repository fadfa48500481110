import { monotonicFactory, ulid as ulidWith, type PRNG } from 'ulid';

/**
 * ULIDs for event ids, outbox sequence numbers and request ids. The library's
 * own PRNG makes a 1-byte array and calls `crypto.getRandomValues` for each of
 * a ULID's 16 random characters; a burst makes three ULIDs per delivery, and
 * that was a tenth of the worker's time (tests/bench/worker-profile.mjs). This
 * one draws the same bytes (byte / 256, as the library does) from a pool that
 * one `getRandomValues` call refills.
 */
const POOL_SIZE = 4096;
const pool = new Uint8Array(POOL_SIZE);
let next = POOL_SIZE;

export const pooledPrng: PRNG = () => {
  if (next === POOL_SIZE) {
    crypto.getRandomValues(pool);
    next = 0;
  }
  return pool[next++]! / 256;
};

/** A ULID for this time (Date.now() by default). */
export const ulid = (seedTime?: number) => ulidWith(seedTime, pooledPrng);

/** ULIDs that sort in creation order even within one millisecond. */
export const monotonicUlid = () => monotonicFactory(pooledPrng);
