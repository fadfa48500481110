// Real Chromium with the built extension loaded, pointed at the simulated
// WhatsApp Web. Shared by the end-to-end tests, the demo and the benchmark
// (plain ESM so that `node` runs it without a build step).
import { chromium } from 'playwright-core';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
/** The test flavour of the build (`npm run build:test`), allowed to POST to loopback. */
export const CHROME_BUILD = resolve(ROOT, process.env.WXT_OUT_DIR ?? '.output-e2e', 'chrome-mv3');
/** Debian's Chromium; scripts/ensure-browsers.sh installs it. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags that keep Chromium off the network on these closed machines. */
export const QUIET_FLAGS = [
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
 * @param {{extensionDir?: string, headless?: boolean, userDataDir?: string}} [options]
 *   userDataDir: a profile to keep across launches (a browser restart); a fresh temporary one by default
 */
export async function launchWithExtension(simArgs, options = {}) {
  const extensionDir = options.extensionDir ?? CHROME_BUILD;
  const context = await chromium.launchPersistentContext(options.userDataDir ?? '', {
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
  await setLocalItems(worker, { webhooks });
}

/** Items whose declared version (utils/storage.ts) is past 1. */
const ITEM_VERSIONS = { behaviour: 2 };

/**
 * Sets storage items in storage.local, as the extension's pages would.
 * @param {import('playwright-core').Worker} worker @param {Record<string, unknown>} items
 */
export async function setLocalItems(worker, items) {
  const withMeta = Object.fromEntries(
    Object.entries(items).flatMap(([key, value]) => [[key, value], [`${key}$`, { v: ITEM_VERSIONS[key] ?? 1 }]]),
  );
  await worker.evaluate((all) => globalThis.chrome.storage.local.set(all), withMeta);
}

/**
 * Stops the extension's service worker the way Chrome does when it is idle
 * (DevTools protocol `ServiceWorker.stopAllWorkers`, which must be sent from a
 * page of the extension's own origin), and waits until it is gone.
 * @param {import('playwright-core').BrowserContext} context @param {string} extensionId
 */
export async function stopServiceWorker(context, extensionId) {
  const page = await context.newPage();
  try {
    await page.goto(`chrome-extension://${extensionId}/manifest.json`);
    const cdp = await context.newCDPSession(page);
    const stopped = new Promise((resolve) => {
      cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
        if (versions.some((v) => v.scriptURL.startsWith(`chrome-extension://${extensionId}/`) && v.runningStatus === 'stopped')) resolve(undefined);
      });
    });
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error('the service worker did not stop')), 5_000));
    await Promise.race([stopped, timeout]);
    await cdp.detach();
  } finally {
    await page.close();
  }
}

/**
 * Sends typed messages to the background as the popup does (from a page of the
 * extension's origin, in @webext-core/messaging's format) and returns the answer.
 * @param {import('playwright-core').BrowserContext} context @param {string} extensionId
 */
export function backgroundCaller(context, extensionId) {
  /** @type {Promise<import('playwright-core').Page> | undefined} */
  let page;
  /** @param {string} type @param {unknown} [data] */
  return async (type, data) => {
    page ??= context.newPage().then(async (p) => (await p.goto(`chrome-extension://${extensionId}/manifest.json`), p));
    const reply = await (await page).evaluate(
      (message) =>
        new Promise((resolve, reject) =>
          globalThis.chrome.runtime.sendMessage({ ...message, id: Math.floor(Math.random() * 1e9), timestamp: Date.now() }, (answer) =>
            globalThis.chrome.runtime.lastError ? reject(new Error(globalThis.chrome.runtime.lastError.message)) : resolve(answer),
          ),
        ),
      { type, data },
    );
    if (reply?.err) throw new Error(`${type}: ${reply.err.message}`);
    return reply?.res;
  };
}

/**
 * Reads one of the extension's storage areas from its service worker.
 * @param {import('playwright-core').BrowserContext} context @param {'local' | 'session'} area @param {string} key
 */
export async function readStorage(context, area, key) {
  const worker = await currentWorker(context);
  return worker.evaluate(async ([a, k]) => (await globalThis.chrome.storage[a].get(k))[k], [area, key]);
}

/**
 * The live presence table as the background stores it: one `presence:<chatId>`
 * key per chat in storage.session (utils/presence/presence-keys.ts), by chat id.
 */
export async function readPresenceTable(context) {
  const worker = await currentWorker(context);
  const items = await worker.evaluate(async () => globalThis.chrome.storage.session.get(null));
  return Object.fromEntries(Object.entries(items).filter(([key]) => key.startsWith('presence:')).map(([key, chat]) => [key.slice('presence:'.length), chat]));
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
