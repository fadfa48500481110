// Real Chromium with the built extension loaded, pointed at the simulated
// WhatsApp Web. Shared by the end-to-end tests, the demo and the benchmark
// (plain ESM so that `node` runs it without a build step).
import { chromium } from 'playwright-core';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
/** The test flavour of the build (`npm run build:test`), allowed to POST to loopback. */
export const CHROME_BUILD = resolve(ROOT, '.output-e2e/chrome-mv3');
/** Debian's Chromium; scripts/ensure-browsers.sh installs it. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags that keep Chromium off the network on these closed machines. */
const QUIET_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/**
 * @param {string[]} simArgs the simulator's Chromium flags (host-resolver rules, certificate)
 * @param {{extensionDir?: string, headless?: boolean}} [options]
 */
export async function launchWithExtension(simArgs, options = {}) {
  const extensionDir = options.extensionDir ?? CHROME_BUILD;
  const context = await chromium.launchPersistentContext('', {
    executablePath: CHROMIUM,
    headless: options.headless ?? true,
    args: [`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`, ...QUIET_FLAGS, ...simArgs],
  });
  const worker = await currentWorker(context);
  const extensionId = new URL(worker.url()).host;
  return { context, worker, extensionId, close: () => context.close() };
}

/** The running service worker (after a restart the old handle is dead). @param {import('playwright-core').BrowserContext} context */
export async function currentWorker(context) {
  return context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
}

/**
 * A webhook as the options page saves it, with defaults for what a test does not care about.
 * @param {string} url @param {Record<string, unknown>} [overrides]
 */
export function testWebhook(url, overrides = {}) {
  return {
    id: 'test-webhook',
    url,
    events: ['*'],
    format: 'waha',
    headers: [],
    retries: { policy: 'constant', delaySeconds: 1, attempts: 3 },
    ...overrides,
  };
}

/**
 * Writes webhooks into extension storage in the layout of WXT's storage items
 * (value under the key, version under `key$`), as the options page would.
 * @param {import('playwright-core').Worker} worker @param {object[]} webhooks
 */
export async function configureWebhooks(worker, webhooks) {
  await worker.evaluate((items) => globalThis.chrome.storage.local.set(items), { webhooks, webhooks$: { v: 1 } });
}

/**
 * Waits until the background has heard that a page-hook capability is live.
 * @param {import('playwright-core').Worker} worker @param {string} capability
 */
export async function waitForHook(worker, capability, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await worker.evaluate(
      async (name) => ((await globalThis.chrome.storage.session.get('hookStatus')).hookStatus ?? {})[name],
      capability,
    );
    if (status?.status === 'live') return;
    if (status?.status === 'unavailable') throw new Error(`${capability} unavailable: ${status.detail}`);
    if (Date.now() > deadline) throw new Error(`${capability} did not become live within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
