// The whole end-to-end stack for one test file: the simulated WhatsApp Web,
// a webhook receiver, and the browser under test (E2E_BROWSER, driver.mjs)
// with the built extension configured to post to that receiver, with WhatsApp
// Web open and the hook live.
import { startReceiver } from '../receiver/receiver.mjs';
import { startWhatsAppSim } from '../sim/server.mjs';
import { launchExtensionBrowser, setLocalItems, waitForHook } from './driver.mjs';
import { testWebhook } from './extension-browser.mjs';

/**
 * @param {{hmacKey?: string, sim?: object, webhook?: Record<string, unknown>,
 *          respond?: Parameters<typeof startReceiver>[0]['respond'], headless?: boolean,
 *          extensionDir?: string, noWebhook?: boolean, firefoxPrefs?: Record<string, unknown>}} [options]
 */
export async function startStack(options = {}) {
  const [sim, receiver] = await Promise.all([
    startWhatsAppSim(options.sim ?? {}),
    startReceiver({ hmacKey: options.hmacKey, respond: options.respond }),
  ]);
  const browser = await launchExtensionBrowser(sim, { headless: options.headless, extensionDir: options.extensionDir, firefoxPrefs: options.firefoxPrefs }).catch(async (error) => {
    await Promise.all([sim.close(), receiver.close()]);
    throw error;
  });
  /** Console lines of the WhatsApp Web tab (the content script logs there too). */
  const pageLogs = [];
  const stack = {
    sim,
    receiver,
    browser,
    pageLogs,
    /** @type {import('playwright-core').Page | undefined} */
    page: undefined,
    async openWhatsApp() {
      const page = await browser.newPage();
      page.on('console', (message) => pageLogs.push(message.text()));
      await page.goto('https://web.whatsapp.com/');
      await sim.waitForPage(15_000);
      await waitForHook(browser, 'stanzaTap');
      stack.page = page;
      return page;
    },
    async close() {
      await browser.close();
      await Promise.all([sim.close(), receiver.close()]);
    },
  };
  if (!options.noWebhook) {
    await setLocalItems(browser, {
      webhooks: [testWebhook(receiver.url, { ...(options.hmacKey ? { hmacKey: options.hmacKey } : {}), ...options.webhook })],
    });
  }
  return stack;
}
