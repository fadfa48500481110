import { describe, expect, it, vi } from 'vitest';
import { createBatcher, MAX_WAITING, RETRY_DELAYS_MS } from '@/utils/content/signal-batcher';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('signal batcher', () => {
  it('sends what came in one task together at its end, and batches what comes while one is in flight', async () => {
    const batches: number[][] = [];
    let release: () => void = () => {};
    const send = vi.fn((items: number[]) => (batches.push(items), new Promise<void>((resolve) => (release = resolve))));
    const push = createBatcher(send, () => {});
    push(1);
    push(2);
    push(3); // one batch from the page world: one message to the background, not 1 then 2 + 3
    expect(send).not.toHaveBeenCalled();
    await Promise.resolve();
    expect(batches).toEqual([[1, 2, 3]]);
    push(4);
    push(5);
    release();
    await tick();
    release();
    await tick();
    expect(batches).toEqual([[1, 2, 3], [4, 5]]);
    push(6); // idle again: goes at the end of this task, without waiting for anything
    await Promise.resolve();
    expect(batches.at(-1)).toEqual([6]);
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
    await Promise.resolve();
    push(2); // while the first send is failing
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

  it(`keeps the newest ${MAX_WAITING} items while the background is away`, async () => {
    const sent: number[][] = [];
    const push = createBatcher(async (items: number[]) => void sent.push(items), () => {});
    for (let n = 0; n < MAX_WAITING + 10; n++) push(n);
    await tick();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toHaveLength(MAX_WAITING);
    expect(sent[0]![0]).toBe(10);
  });
});
