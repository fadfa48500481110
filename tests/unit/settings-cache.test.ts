import { beforeEach, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createSettingsCache } from '@/utils/background/settings-cache';
import { DEFAULT_BEHAVIOUR } from '@/utils/behaviour';
import { webhooksStorage } from '@/utils/storage';

beforeEach(() => fakeBrowser.reset());

it('keeps a setting saved while the worker was starting (the initial read must not overwrite it)', async () => {
  const cache = createSettingsCache();
  // Saved before the cache's initial read resolved.
  await webhooksStorage.setValue([
    { id: 'w', url: 'https://x.example/h', events: ['*'], format: 'waha', headers: [], retries: { policy: 'constant', delaySeconds: 1, attempts: 1 } },
  ]);
  await cache.ready;
  await new Promise((resolve) => setTimeout(resolve, 10));
  expect(cache.get().webhooks.map((w) => w.id)).toEqual(['w']);
});

it('follows later changes', async () => {
  const cache = createSettingsCache();
  await cache.ready;
  await webhooksStorage.setValue([]);
  await new Promise((resolve) => setTimeout(resolve, 10));
  expect(cache.get().webhooks).toEqual([]);
});

it('reads a behaviour stored by version 1 with the newer fields defaulted (storage migration and live updates)', async () => {
  await fakeBrowser.storage.local.set({ behaviour: { typingTimeoutSeconds: 7, outboxLimit: 500 }, behaviour$: { v: 1 } });
  const cache = createSettingsCache();
  await cache.ready;
  expect(cache.get().behaviour).toEqual({ ...DEFAULT_BEHAVIOUR, typingTimeoutSeconds: 7, outboxLimit: 500 });
  await fakeBrowser.storage.local.set({ behaviour: { typingTimeoutSeconds: 3, outboxLimit: 500 } });
  await new Promise((resolve) => setTimeout(resolve, 10));
  expect(cache.get().behaviour).toEqual({ ...DEFAULT_BEHAVIOUR, typingTimeoutSeconds: 3, outboxLimit: 500 });
});
