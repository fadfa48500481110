// The browser the end-to-end tests run in, chosen by E2E_BROWSER=chromium|firefox
// (chromium by default). The tests see only this interface; each driver maps
// it onto its browser's automation (Playwright for Chromium, puppeteer over
// WebDriver BiDi for Firefox). Pages are Playwright pages in Chromium and the
// same slice of Playwright's page API over puppeteer in Firefox (firefox-page.mjs).
import { launchChromium, launchPlainChromium } from './chromium-driver.mjs';
import { launchFirefox, launchPlainFirefox } from './firefox-driver.mjs';

/** @typedef {import('playwright-core').Page} Page */
/**
 * @typedef {object} ExtensionBrowser
 * @property {'chromium' | 'firefox'} name
 * @property {string} extensionId the host of the extension's own URLs
 * @property {string} buildDir the unpacked build it runs
 * @property {(path: string) => string} extensionUrl
 * @property {() => Promise<Page>} newPage a new tab
 * @property {(path: string) => Promise<Page>} openExtensionPage the popup or options page, as a tab
 * @property {(source: string) => Promise<void>} addInitScript page script run before every document's own, in tabs opened after
 * @property {(timeoutMs?: number) => Promise<Page>} waitForNewPage a tab the extension opens
 * @property {(fn: (global: any, arg: any) => unknown, arg?: unknown) => Promise<any>} inBackground runs fn on the background's global (service worker / event page)
 * @property {(area: 'local' | 'session', key: string) => Promise<any>} readStorage
 * @property {(area: 'local' | 'session') => Promise<Record<string, any>>} readArea
 * @property {(items: Record<string, unknown>) => Promise<void>} writeLocal raw storage.local.set
 * @property {(type: string, data?: unknown) => Promise<any>} call a typed message to the background, as the popup sends it
 * @property {() => Promise<void>} suspendBackground stops the background as the browser does when idle
 * @property {(origin: string) => Promise<void>} crashTab kills the renderer of the tab at that origin
 * @property {(allow: boolean, timeoutMs?: number) => Promise<void>} [answerPermissionPrompt] Firefox: the user's Allow / Don't allow
 * @property {() => Promise<string[]>} [grantedOrigins] Firefox: the host permissions the extension holds
 * @property {() => Promise<string>} [backgroundState] Firefox: the event page's state (running, suspending, stopped…)
 * @property {import('playwright-core').BrowserContext} [playwright] Chromium: Playwright's context, for what only Chromium has (DevTools protocol)
 * @property {() => Promise<void>} close
 */

/** Which browser this run tests. */
export const BROWSER = process.env.E2E_BROWSER === 'firefox' ? 'firefox' : 'chromium';
export const isFirefox = BROWSER === 'firefox';

/**
 * @param {{port: number, chromiumArgs: string[]}} sim
 * @param {{extensionDir?: string, headless?: boolean, userDataDir?: string, firefoxPrefs?: Record<string, unknown>}} [options]
 *   userDataDir: a profile to keep across launches (a browser restart); a fresh temporary one by default;
 *   firefoxPrefs: Firefox preferences over the tests' defaults (Chromium ignores them)
 * @returns {Promise<ExtensionBrowser>}
 */
export function launchExtensionBrowser(sim, options = {}) {
  return isFirefox ? launchFirefox(sim, options) : launchChromium(sim, options);
}

/**
 * The same browser without the extension, for a baseline.
 * @param {{port: number, chromiumArgs: string[]}} sim
 * @returns {Promise<{newPage: () => Promise<Page>, close: () => Promise<void>}>}
 */
export function launchPlainBrowser(sim) {
  return isFirefox ? launchPlainFirefox(sim) : launchPlainChromium(sim);
}

/** Items whose declared version (utils/storage.ts) is past 1. */
const ITEM_VERSIONS = { behaviour: 2 };

/**
 * Sets storage items in storage.local in the layout of WXT's storage items
 * (value under the key, version under `key$`), as the extension's pages would.
 * @param {ExtensionBrowser} browser @param {Record<string, unknown>} items
 */
export async function setLocalItems(browser, items) {
  const withMeta = Object.fromEntries(
    Object.entries(items).flatMap(([key, value]) => [[key, value], [`${key}$`, { v: ITEM_VERSIONS[key] ?? 1 }]]),
  );
  await browser.writeLocal(withMeta);
}

/**
 * The live presence table as the background stores it: one `presence:<chatId>`
 * key per chat in storage.session (utils/presence/presence-keys.ts), by chat id.
 * @param {ExtensionBrowser} browser
 */
export async function readPresenceTable(browser) {
  const items = await browser.readArea('session');
  return Object.fromEntries(Object.entries(items).filter(([key]) => key.startsWith('presence:')).map(([key, chat]) => [key.slice('presence:'.length), chat]));
}

/**
 * Waits until the background has heard that a page-hook capability is live.
 * @param {ExtensionBrowser} browser @param {string} capability
 */
export async function waitForHook(browser, capability, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = ((await browser.readStorage('session', 'hookStatus')) ?? {})[capability];
    if (status?.status === 'live') return;
    if (status?.status === 'unavailable') throw new Error(`${capability} unavailable: ${status.detail}`);
    if (Date.now() > deadline) throw new Error(`${capability} did not become live within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Marks a test that cannot run in this browser, with the reason printed in the
 * test's name (vitest lists it as skipped): use as `it.skipIf(...)`'s partner.
 * @param {'chromium' | 'firefox'} only @param {string} reason
 */
export function onlyIn(only, reason) {
  const skip = BROWSER !== only;
  return { skip, note: skip ? ` [${only} only: ${reason}]` : '' };
}
