import { decodeTime, isValid } from 'ulid';
import { describe, expect, it, vi } from 'vitest';
import { monotonicUlid, pooledPrng, ulid } from '@/utils/ids/ulid';

describe('pooled ULIDs', () => {
  it('are valid ULIDs of the given time, distinct across pool refills', () => {
    const ids = Array.from({ length: 2000 }, () => ulid(1_700_000_000_000)); // 2000 × 16 bytes: the 4 KiB pool refills several times
    expect(ids.every(isValid)).toBe(true);
    expect(ids.every((id) => decodeTime(id) === 1_700_000_000_000)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('sort in creation order within one millisecond (monotonic)', () => {
    const next = monotonicUlid();
    const ids = Array.from({ length: 100 }, () => next(1_700_000_000_000));
    expect([...ids].sort()).toEqual(ids);
  });

  it('draw their bytes from one getRandomValues call per 4096', () => {
    const spy = vi.spyOn(crypto, 'getRandomValues');
    const values = Array.from({ length: 8192 }, pooledPrng);
    expect(spy.mock.calls.length).toBeLessThanOrEqual(3);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(new Set(values).size).toBeGreaterThan(200); // bytes / 256, all 256 values or nearly
    spy.mockRestore();
  });
});
