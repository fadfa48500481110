// The two browsers of the benchmark, one at a time: Chromium with the built
// extension (sim + receiver + webhook configured, as tests/support/stack.mjs
// does), and the same Chromium build without it. Both load the page probe and
// both get the simulated WhatsApp Web cross-origin isolated.
//
// Why isolated: on a page that is not cross-origin isolated (the simulated
// WhatsApp Web sends no COOP/COEP), Chromium coarsens performance.now() to
// 100 µs, so the in-page timing of one stanza reads 0, 100 or 200 µs. Served
// with COOP same-origin + COEP require-corp, the same page gets a 5 µs clock
// and nothing else changes for its scripts or the extension's. The headers are
// added by a playwright route that fetches the sim's own response; a routed
// document counts as "public" for Chrome's local-network-access checks, which
// would then block its WebSocket to loopback, hence that flag off.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { get } from 'node:https';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { startReceiver } from '../receiver/receiver.mjs';
import { startWhatsAppSim } from '../sim/server.mjs';
import { CHROMIUM, QUIET_FLAGS, ROOT, configureWebhooks, launchWithExtension, testWebhook, waitForHook } from '../support/extension-browser.mjs';
import { pageProbe } from './page-probe.mjs';

const BENCH_FLAGS = ['--disable-features=LocalNetworkAccessChecks'];

// Playwright inspects the network of every service worker it attaches to
// (CDP Network.enable): each webhook POST then costs the browser process and
// this Node process DevTools events that no operator's browser has. Measured
// with tests/bench/worker-profile.mjs on the burst: 220 deliveries per second
// with it, 600 without. The bench reads nothing of the worker's network.
process.env.PLAYWRIGHT_DISABLE_SERVICE_WORKER_NETWORK = '1';

/** @param {import('playwright-core').BrowserContext} context @param {{port: number}} sim */
async function isolateWhatsApp(context, sim) {
  await context.route('https://web.whatsapp.com/', async (route) => {
    const path = new URL(route.request().url()).pathname + new URL(route.request().url()).search;
    const response = await new Promise((resolve, reject) =>
      get({ host: '127.0.0.1', port: sim.port, path, servername: 'web.whatsapp.com', rejectUnauthorized: false }, (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 500, headers: res.headers, body: Buffer.concat(chunks) }));
      }).on('error', reject),
    );
    await route.fulfill({
      status: response.status,
      headers: { ...response.headers, 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' },
      body: response.body,
    });
  });
}

/** @param {import('playwright-core').BrowserContext} context @param {any} sim */
async function openWhatsApp(context, sim) {
  await context.addInitScript(pageProbe);
  await isolateWhatsApp(context, sim);
  const page = await context.newPage();
  await page.goto('https://web.whatsapp.com/');
  await sim.waitForPage(15_000);
  return page;
}

/**
 * Sim, receiver, Chromium with the extension and WhatsApp Web open with the hook live.
 * @param {{extensionDir?: string}} [options] another build than the test flavour's (page-profile.mjs's readable one)
 */
export async function startWithExtension(options = {}) {
  const [sim, receiver] = await Promise.all([startWhatsAppSim(), startReceiver()]);
  const browser = await launchWithExtension([...sim.chromiumArgs, ...BENCH_FLAGS], options);
  await configureWebhooks(browser.worker, [testWebhook(receiver.url)]);
  const page = await openWhatsApp(browser.context, sim);
  await waitForHook(browser.worker, 'stanzaTap');
  return { sim, receiver, browser, page };
}

/** The same Chromium build without the extension, on the same sim. @param {any} sim */
export async function startWithout(sim) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...QUIET_FLAGS, ...sim.chromiumArgs, ...BENCH_FLAGS] });
  const context = await browser.newContext();
  const page = await openWhatsApp(context, sim);
  return { browser, page };
}

/** Where the unminified test build goes (tests/bench/wxt.readable.config.ts), apart from the builds the tests use. */
const READABLE_OUT = '.output-bench-page';

/**
 * The unminified test build for the profilers (page-profile.mjs,
 * worker-profile.mjs), so their tables name the extension's functions as the
 * sources do: built now unless E2E_SKIP_BUILD=1 and one is there. Its directory.
 * @param {(text: string) => void} progress
 */
export function readableBuild(progress) {
  const dir = resolve(ROOT, READABLE_OUT, 'chrome-mv3');
  if (process.env.E2E_SKIP_BUILD !== '1' || !existsSync(dir)) {
    progress(`building the extension (test flavour, Chrome, unminified) into ${READABLE_OUT}`);
    execFileSync('npx', ['wxt', 'build', '-c', 'tests/bench/wxt.readable.config.ts'], {
      cwd: ROOT,
      env: { ...process.env, WXT_E2E: '1', WXT_OUT_DIR: READABLE_OUT },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  return dir;
}
