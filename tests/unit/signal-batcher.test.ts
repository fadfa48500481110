import { describe, expect, it, vi } from 'vitest';
import { createBatcher, RETRY_DELAYS_MS } from '@/utils/content/signal-batcher';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('signal batcher', () => {
  it('sends the first item at once and batches what comes while one is in flight', async () => {
    const batches: number[][] = [];
    let release: () => void = () => {};
    const send = vi.fn((items: number[]) => (batches.push(items), new Promise<void>((resolve) => (release = resolve))));
    const push = createBatcher(send, () => {});
    push(1);
    push(2);
    push(3);
    release();
    await tick();
    release();
    await tick();
    expect(batches).toEqual([[1], [2, 3]]);
  });

  it('sends a failed batch again, before newer items, and gives up only after the retries', async () => {
    const sent: number[][] = [];
    let failing = 2;
    const waits: number[] = [];
    const onError = vi.fn();
    const push = createBatcher(
      async (items: number[]) => {
        sent.push(items);
        if (failing-- > 0) throw new Error('Could not establish connection');
      },
      onError,
      async (ms) => void waits.push(ms),
    );
    push(1);
    push(2);
    for (let i = 0; i < 10; i++) await tick();
    expect(sent).toEqual([[1], [1, 2], [1, 2]]);
    expect(waits).toEqual(RETRY_DELAYS_MS.slice(0, 2));
    expect(onError).not.toHaveBeenCalled();

    failing = 99;
    push(3);
    for (let i = 0; i < 20; i++) await tick();
    expect(onError).toHaveBeenCalledOnce();
    expect(sent.at(-1)).toEqual([3]);
  });
});
