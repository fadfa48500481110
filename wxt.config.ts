import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

// The end-to-end build (WXT_E2E=1) is the only one that may POST to the loopback
// test receiver without a runtime permission prompt (prompts cannot be accepted
// headless). The shipped build asks for each webhook origin at runtime.
const e2e = process.env.WXT_E2E === '1';
const loopbackOrigins = ['http://127.0.0.1/*', 'http://localhost/*'];
// The toolbar button's image; `icons` itself WXT fills from public/icon/<size>.png.
const toolbarIcons = { 16: 'icon/16.png', 32: 'icon/32.png', 48: 'icon/48.png' };

export default defineConfig({
  // WXT_OUT_DIR lets two test builds (e.g. two worktrees' suites) live side by side.
  outDir: process.env.WXT_OUT_DIR ?? (e2e ? '.output-e2e' : '.output'),
  modules: ['@wxt-dev/webextension-polyfill'],
  vite: () => ({ plugins: [preact()] }),
  manifest: ({ browser }) => ({
    // Brand rules: a product "for WhatsApp Web", not one named WhatsApp.
    name: 'Presence Companion for WhatsApp Web',
    description:
      "Forwards your WhatsApp Web contacts' presence (online, last seen, typing, recording) to your team's webhook.",
    action: { default_icon: toolbarIcons },
    permissions: ['storage', 'alarms'],
    host_permissions: ['https://web.whatsapp.com/*', ...(e2e ? loopbackOrigins : [])],
    // Webhook origins are granted one by one at runtime, for the configured URL only.
    optional_host_permissions: ['https://*/*', ...loopbackOrigins],
    // No web_accessible_resources: a page could fetch one to learn the
    // extension is there. The page-world hook is a content script of world MAIN.
    // 111: the first Chrome that runs a manifest content script in world MAIN.
    ...(browser === 'firefox' ? {} : { minimum_chrome_version: '111' }),
    ...(browser === 'firefox'
      ? {
          // Firefox's MV3 default adds upgrade-insecure-requests, which turns a
          // ws:// control URL to the local relay into wss:// (and fails). Only
          // loopback may be plain ws/http (utils/control/url.ts,
          // utils/webhook/config.ts), so dropping the upgrade changes nothing else.
          content_security_policy: { extension_pages: "script-src 'self'" },
          browser_specific_settings: {
            gecko: {
              // Permanent once on addons.mozilla.org: never change it.
              id: 'presence-companion@presence-companion.dev',
              // 140: the first ESR that knows data_collection_permissions.
              strict_min_version: '140.0',
              // What the webhooks carry, in Mozilla's taxonomy; the reasoning is in
              // docs/store/firefox-data-collection.md. Required: forwarding it is the
              // extension's one function, so declining means not installing.
              data_collection_permissions: {
                required: ['personallyIdentifyingInfo', 'personalCommunications', 'websiteContent', 'websiteActivity'],
              },
            },
          },
        }
      : {}),
  }),
  zip: {
    // The AMO sources zip must rebuild the Firefox zip byte for byte (SOURCE-BUILD.md,
    // scripts/check-source-zip.sh). WXT leaves out dotfiles by default: these two
    // pin the install (no browser download) and the Node version.
    includeSources: ['.puppeteerrc.cjs', '.nvmrc'],
    // Not needed to build or review: screenshots and store images, local leftovers.
    excludeSources: ['docs/**/*.png', 'tests/.tmp/**', 'stats.html', '**/*.log'],
  },
});
