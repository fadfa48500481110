// Chromium with the Chrome build, driven by Playwright (tests/support/extension-browser.mjs),
// behind the browser-neutral interface of driver.mjs.
import { chromium } from 'playwright-core';
import {
  CHROME_BUILD,
  CHROMIUM,
  QUIET_FLAGS,
  backgroundCaller,
  currentWorker,
  launchWithExtension,
  readStorage,
  stopServiceWorker,
} from './extension-browser.mjs';

/**
 * @param {{chromiumArgs: string[]}} sim the simulator (its host-resolver flags)
 * @param {{extensionDir?: string, headless?: boolean, userDataDir?: string}} [options]
 * @returns {Promise<import('./driver.mjs').ExtensionBrowser>}
 */
export async function launchChromium(sim, options = {}) {
  const { context, extensionId, close } = await launchWithExtension(sim.chromiumArgs, options);
  const extensionUrl = (path) => `chrome-extension://${extensionId}/${path}`;
  const call = backgroundCaller(context, extensionId);
  /** The worker now (after a restart the old handle is dead). */
  const worker = () => currentWorker(context);
  return {
    name: 'chromium',
    extensionId,
    buildDir: options.extensionDir ?? CHROME_BUILD,
    extensionUrl,
    newPage: () => context.newPage(),
    async openExtensionPage(path) {
      const page = await context.newPage();
      await page.goto(extensionUrl(path));
      return page;
    },
    addInitScript: (source) => context.addInitScript(source),
    waitForNewPage: (timeoutMs = 10_000) => context.waitForEvent('page', { timeout: timeoutMs }),
    // A string, so that the function gets the worker's global as its first argument.
    inBackground: async (fn, arg) => (await worker()).evaluate(`(${fn})(globalThis, ${JSON.stringify(arg ?? null)})`),
    readStorage: (area, key) => readStorage(context, area, key),
    readArea: async (area) => (await worker()).evaluate((a) => globalThis.chrome.storage[a].get(null), area),
    writeLocal: async (items) => (await worker()).evaluate((all) => globalThis.chrome.storage.local.set(all), items),
    call,
    suspendBackground: () => stopServiceWorker(context, extensionId),
    async crashTab() {
      const page = context.pages().find((p) => p.url().startsWith('https://web.whatsapp.com'));
      if (!page) throw new Error('no WhatsApp Web tab to crash');
      await page.goto('chrome://crash', { timeout: 5_000 }).catch(() => {}); // the renderer dies
    },
    playwright: context,
    close,
  };
}

/**
 * Chromium without the extension (a baseline to compare a page with).
 * @param {{chromiumArgs: string[]}} sim
 */
export async function launchPlainChromium(sim) {
  const context = await chromium.launchPersistentContext('', { executablePath: CHROMIUM, headless: true, args: [...QUIET_FLAGS, ...sim.chromiumArgs] });
  return { newPage: () => context.newPage(), close: () => context.close() };
}
