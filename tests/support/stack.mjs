// The whole end-to-end stack for one test file: the simulated WhatsApp Web,
// a webhook receiver, and Chromium with the built extension configured to post
// to that receiver, with WhatsApp Web open and the hook live.
import { startReceiver } from '../receiver/receiver.mjs';
import { startWhatsAppSim } from '../sim/server.mjs';
import { configureWebhooks, launchWithExtension, testWebhook, waitForHook } from './extension-browser.mjs';

/**
 * @param {{hmacKey?: string, sim?: object, webhook?: Record<string, unknown>,
 *          respond?: Parameters<typeof startReceiver>[0]['respond'], headless?: boolean}} [options]
 */
export async function startStack(options = {}) {
  const [sim, receiver] = await Promise.all([
    startWhatsAppSim(options.sim ?? {}),
    startReceiver({ hmacKey: options.hmacKey, respond: options.respond }),
  ]);
  const browser = await launchWithExtension(sim.chromiumArgs, { headless: options.headless }).catch(async (error) => {
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
      const page = await browser.context.newPage();
      page.on('console', (message) => pageLogs.push(message.text()));
      await page.goto('https://web.whatsapp.com/');
      await sim.waitForPage(15_000);
      await waitForHook(browser.worker, 'stanzaTap');
      stack.page = page;
      return page;
    },
    async close() {
      await browser.close();
      await Promise.all([sim.close(), receiver.close()]);
    },
  };
  await configureWebhooks(
    browser.worker,
    [testWebhook(receiver.url, { ...(options.hmacKey ? { hmacKey: options.hmacKey } : {}), ...options.webhook })],
  );
  return stack;
}
