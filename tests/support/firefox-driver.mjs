// Firefox ESR with the Firefox build installed as a temporary add-on, driven by
// puppeteer-core over WebDriver BiDi (Playwright only drives its own patched
// Firefox). What BiDi cannot do on its own (open moz-extension:// tabs, answer
// a permission prompt, suspend the event page, crash a tab) is done from the
// browser's chrome context, which `-remote-allow-system-access` opens to BiDi.
import puppeteer from 'puppeteer-core';
import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startConnectProxy } from './connect-proxy.mjs';
import { FirefoxPage } from './firefox-page.mjs';
import { ROOT } from './extension-browser.mjs';

/** The test flavour of the Firefox build (`npm run build:test`). */
export const FIREFOX_BUILD = resolve(ROOT, process.env.WXT_OUT_DIR ?? '.output-e2e', 'firefox-mv3');
/** Debian's Firefox ESR; scripts/ensure-browsers.sh installs it. */
export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

const wait = (ms) => new Promise((r) => setTimeout(r, ms));

/** A UUID of a profile's path: the add-on's origin stays the same across its launches. @param {string} path */
function uuidFrom(path) {
  const h = createHash('sha256').update(path).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Firefox ESR pointed at the simulator, without any add-on.
 * @param {{port: number}} sim @param {Record<string, unknown>} [prefs] more preferences
 * @param {string} [userDataDir] a profile to keep (a fresh temporary one by default)
 */
async function startFirefox(sim, prefs = {}, userDataDir) {
  // Firefox has no host-resolver rules: every https/wss request goes to a proxy
  // that tunnels web.whatsapp.com:443 to the simulator. Loopback (the receiver)
  // is never proxied (allow_hijacking_localhost stays false).
  const proxy = await startConnectProxy({ 'web.whatsapp.com:443': sim.port });
  /** @type {import('puppeteer-core').Browser} */
  let browser;
  try {
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX,
      headless: true,
      ...(userDataDir ? { userDataDir } : {}),
      acceptInsecureCerts: true, // the simulator's self-signed certificate
      args: ['-remote-allow-system-access'],
      extraPrefsFirefox: {
        'network.proxy.type': 1,
        'network.proxy.share_proxy_settings': false,
        'network.proxy.ssl': '127.0.0.1',
        'network.proxy.ssl_port': proxy.port,
        'network.proxy.http': '127.0.0.1',
        'network.proxy.http_port': proxy.port,
        'network.proxy.allow_hijacking_localhost': false,
        'network.trr.mode': 5,
        // The event page stays up unless a test suspends it (suspendBackground),
        // as Chromium under automation never idle-stops its worker: timing-free tests.
        'extensions.background.idle.timeout': 600_000,
        // Background tabs' timers at full speed, as Chromium under automation
        // (a popup tab in front would otherwise clamp the WhatsApp tab's timers to 1 s).
        'dom.min_background_timeout_value': 4,
        'dom.min_background_timeout_value_without_budget_throttling': 4,
        'dom.timeout.enable_budget_timer_throttling': false,
        ...prefs, // a test's own prefs win (an idle timeout to see the event page stop)
      },
    });
  } catch (error) {
    await proxy.close();
    throw error;
  }
  return {
    browser,
    async close() {
      await browser.close().catch(() => {});
      await proxy.close();
    },
  };
}

/**
 * Firefox without the extension (a baseline to compare a page with), pages as in the tests.
 * @param {{port: number}} sim
 */
export async function launchPlainFirefox(sim) {
  const { browser, close } = await startFirefox(sim);
  const hooks = { colorScheme: async () => {} };
  return { newPage: async () => new FirefoxPage(await browser.newPage(), hooks), close };
}

/**
 * @param {{port: number}} sim the simulator (its loopback port)
 * @param {{extensionDir?: string, userDataDir?: string, firefoxPrefs?: Record<string, unknown>}} [options]
 *   firefoxPrefs: more preferences, over the defaults;
 *   userDataDir: a profile kept across launches (a browser restart). A temporary
 *   add-on is gone when Firefox closes, so there the build is installed as a
 *   regular add-on, once (unsigned: ESR honours xpinstall.signatures.required).
 * @returns {Promise<import('./driver.mjs').ExtensionBrowser>}
 */
export async function launchFirefox(sim, options = {}) {
  const extensionDir = options.extensionDir ?? FIREFOX_BUILD;
  // The gecko id comes from the build (it is the product's to choose, not the tests').
  const manifest = JSON.parse(readFileSync(resolve(extensionDir, 'manifest.json'), 'utf8'));
  const geckoId = manifest.browser_specific_settings.gecko.id;
  const { userDataDir } = options;
  // The same origin on every launch of one profile.
  const uuid = userDataDir ? uuidFrom(userDataDir) : randomUUID();
  const { browser, close: closeAll } = await startFirefox(
    sim,
    {
      // The add-on's moz-extension:// origin, known before install (Firefox would pick one at random).
      'extensions.webextensions.uuids': JSON.stringify({ [geckoId]: uuid }),
      ...(userDataDir ? { 'xpinstall.signatures.required': false } : {}),
      ...options.firefoxPrefs,
    },
    userDataDir,
  );
  const conn = /** @type {any} */ (browser).connection;
  try {
    const installedMark = userDataDir && resolve(userDataDir, 'e2e-installed-addon');
    if (!userDataDir) await browser.installExtension(extensionDir);
    else if (!existsSync(installedMark)) {
      const xpi = resolve(userDataDir, 'e2e-addon.xpi');
      execFileSync('zip', ['-qr', xpi, '.'], { cwd: extensionDir });
      await conn.send('webExtension.install', { extensionData: { type: 'archivePath', path: xpi }, 'moz:permanent': true });
      writeFileSync(installedMark, geckoId);
    }
    const tree = await conn.send('browsingContext.getTree', { 'moz:scope': 'chrome' });
    const chromeContext = tree.result.contexts[0].context;

    /** Runs an expression in the browser window's chrome (privileged) context; returns its JSON value. */
    async function chrome(expression) {
      const { result } = await conn.send('script.evaluate', {
        expression: `(async () => JSON.stringify(await (async () => { ${expression} })() ?? null))()`,
        target: { context: chromeContext },
        awaitPromise: true,
      });
      if (result.type === 'exception') throw new Error(`chrome context: ${result.exceptionDetails.text}`);
      return JSON.parse(result.result.value);
    }
    const policy = `WebExtensionPolicy.getByID(${JSON.stringify(geckoId)})`;
    // A regular add-on starts with the browser, a moment after BiDi is up.
    for (const deadline = Date.now() + 10_000; !(await chrome(`return !!${policy};`)); await wait(50)) {
      if (Date.now() > deadline) throw new Error(`the add-on ${geckoId} did not start`);
    }
    const extensionUrl = (path) => `moz-extension://${uuid}/${path}`;
    /** @type {string[]} */
    const initScripts = [];
    const hooks = {
      colorScheme: (scheme) =>
        // 0 dark, 1 light: Firefox's own "website appearance" override.
        chrome(`Services.prefs.setIntPref('layout.css.prefers-color-scheme.content-override', ${scheme === 'dark' ? 0 : 1});`),
    };
    const wrap = async (raw) => {
      for (const source of initScripts) await raw.evaluateOnNewDocument(source);
      return new FirefoxPage(raw, hooks);
    };

    /** A page the browser opened (not puppeteer), found by its href (its url() may read about:blank). */
    async function pageAt(href, known, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        for (const page of await browser.pages()) {
          if (known.has(page)) continue;
          const at = await page.evaluate(() => [location.href, document.readyState]).catch(() => ['', '']);
          if (href(at[0]) && at[1] === 'complete') return page;
        }
        if (Date.now() > deadline) throw new Error(`no tab at ${href} within ${timeoutMs} ms`);
        await wait(50);
      }
    }

    /** Opens an extension page in a new foreground tab, as the browser's own UI does (BiDi may not navigate to moz-extension://). */
    async function openExtensionPage(path) {
      const url = extensionUrl(path);
      const known = new Set(await browser.pages());
      await chrome(`gBrowser.selectedTab = gBrowser.addTab(${JSON.stringify(url)}, { triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal() });`);
      return wrap(await pageAt((h) => h === url, known));
    }

    // An extension page kept open for storage reads and messages, as Chromium's
    // driver uses a page of the extension's origin. It never wakes the event page.
    // A script file shown as text (the JSON viewer would take manifest.json):
    // a document of the extension's origin with its APIs, and no app of its own.
    const probe = await openExtensionPage(manifest.background.scripts[0]);
    /** @param {string} expression awaited in the probe page, JSON-serialisable */
    const inProbe = async (expression) => {
      const text = await probe.raw.evaluate(`(async () => JSON.stringify({ v: await (${expression}) }))()`);
      return JSON.parse(text).v;
    };

    return {
      name: 'firefox',
      extensionId: uuid,
      buildDir: extensionDir,
      extensionUrl,
      async newPage() { return wrap(await browser.newPage()); },
      openExtensionPage,
      async addInitScript(source) { initScripts.push(source); },
      async waitForNewPage(timeoutMs = 10_000) {
        const known = new Set(browser.targets()); // only a tab opened from now on
        const target = await browser.waitForTarget((t) => t.type() === 'page' && !known.has(t), { timeout: timeoutMs });
        return wrap(/** @type {import('puppeteer-core').Page} */ (await target.page()));
      },
      /** fn(background window, arg), run from the probe page on the event page's globals (which wakes it, as any event would). */
      async inBackground(fn, arg) {
        return inProbe(`browser.runtime.getBackgroundPage().then((bg) => (${fn})(bg, ${JSON.stringify(arg ?? null)}))`);
      },
      readStorage: (area, key) => inProbe(`browser.storage.${area}.get(${JSON.stringify(key)}).then((items) => items[${JSON.stringify(key)}])`),
      readArea: (area) => inProbe(`browser.storage.${area}.get(null)`),
      async writeLocal(items) { await inProbe(`browser.storage.local.set(${JSON.stringify(items)})`); },
      async call(type, data) {
        // In @webext-core/messaging's format, as the popup sends it.
        const message = JSON.stringify({ type, data }); // an undefined data is left out, as sendMessage does
        const reply = await inProbe(`browser.runtime.sendMessage({ ...${message}, id: Math.floor(Math.random() * 1e9), timestamp: Date.now() })`);
        if (reply?.err) throw new Error(`${type}: ${reply.err.message}`);
        return reply?.res;
      },
      /**
       * Unloads the event page as Firefox does when it is idle, the way Firefox's
       * own tests do (Extension.terminateBackground; disableResetIdleForTest: a
       * pending listener, such as the content script's port, would otherwise
       * postpone it by one idle period). Resolves once the page is gone: an event
       * (the content script reconnecting) may start a new one right after.
       */
      async suspendBackground() {
        for (let attempt = 0; attempt < 3; attempt++) {
          const stopped = await chrome(`
            const extension = ${policy}.extension;
            const gone = new Promise((resolve) => extension.once('shutdown-background-script', () => resolve(true)));
            await extension.terminateBackground({ disableResetIdleForTest: true });
            return Promise.race([gone, new Promise((resolve) => setTimeout(() => resolve(false), 2_000))]);`);
          if (stopped) return;
        }
        throw new Error('the event page did not stop (an event cancelled the suspend three times)');
      },
      backgroundState: () => chrome(`return ${policy}.extension.backgroundState;`),
      /**
       * Answers the browser's permission prompt (the "addon-webext-permissions"
       * doorhanger that permissions.request opens) as the user's Allow / Don't allow does.
       */
      async answerPermissionPrompt(allow, timeoutMs = 5_000) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const answered = await chrome(`
            const n = PopupNotifications.getNotification('addon-webext-permissions');
            if (!n) return false;
            ${allow ? 'n.mainAction.callback();' : 'n.secondaryActions[0].callback();'}
            n.remove();
            return true;`);
          if (answered) return;
          if (Date.now() > deadline) throw new Error('no permission prompt was shown');
          await wait(50);
        }
      },
      grantedOrigins: () => chrome(`return ${policy}.allowedOrigins.patterns.map((p) => p.pattern);`),
      /** Crashes the content process of the tab at this origin (Firefox's "tab crashed"), as chrome://crash does in Chromium. */
      async crashTab(origin) {
        await chrome(`
          const tab = gBrowser.browsers.find((b) => b.currentURI.spec.startsWith(${JSON.stringify(origin)}));
          const pid = tab.frameLoader.remoteTab.osPid;
          Cc['@mozilla.org/processtools-service;1'].getService(Ci.nsIProcessToolsService).crash(pid);`);
      },
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
