import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_CONFIG, fixtures } from '../sim/server.mjs';
import { onlyIn } from '../support/driver.mjs';
import { ROOT } from '../support/extension-browser.mjs';
import { startStack } from '../support/stack.mjs';

// The Firefox build as users get it (`wxt build -b firefox --mv3`, not the
// e2e flavour): it holds no host permission for any backend, so a webhook is
// saved only once the user allows its host in the browser's own prompt. The
// same build in Chromium cannot be tried headless: Chromium's permission
// bubble has no automation hook, and a refused grant leaves nothing to test.
const firefoxOnly = onlyIn('firefox', "Chromium's permission prompt cannot be answered headless");
// Beside the worktree's other builds, so that a parallel `npm run build` is not disturbed.
const SHIPPED_OUT = resolve(ROOT, '.output-shipped');
const SHIPPED = resolve(SHIPPED_OUT, 'firefox-mv3');
const SECRET = 'shipped-secret';

let stack: Awaited<ReturnType<typeof startStack>>;
let options: Page;

beforeAll(async () => {
  if (firefoxOnly.skip) return;
  const env: NodeJS.ProcessEnv = { ...process.env, WXT_OUT_DIR: SHIPPED_OUT };
  delete env.WXT_E2E; // the shipped flavour
  execFileSync('npx', ['wxt', 'build', '-b', 'firefox', '--mv3'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
  stack = await startStack({ extensionDir: SHIPPED, noWebhook: true, hmacKey: SECRET });
  await stack.openWhatsApp();
});
afterAll(() => stack?.close());

it.skipIf(firefoxOnly.skip)(`is the shipped build: no backend host granted at install${firefoxOnly.note}`, async () => {
  const manifest = JSON.parse(readFileSync(resolve(SHIPPED, 'manifest.json'), 'utf8'));
  expect(manifest.host_permissions).toEqual(['https://web.whatsapp.com/*']);
  expect(await stack.browser.grantedOrigins!()).not.toContain('http://127.0.0.1/*');
});

it.skipIf(firefoxOnly.skip)(`saves nothing when the user refuses the host, and saves once they allow it${firefoxOnly.note}`, async () => {
  options = await stack.browser.openExtensionPage('options.html');
  await options.getByLabel('Webhook URL', { exact: true }).fill(stack.receiver.url);
  await options.getByLabel('HMAC secret', { exact: true }).fill(SECRET);

  await options.getByRole('button', { name: 'Save', exact: true }).click();
  await stack.browser.answerPermissionPrompt!(false);
  await options.getByText(/^Permission to reach http:\/\/127\.0\.0\.1:\d+ was refused, so nothing was saved/).waitFor();
  expect((await stack.browser.readStorage('local', 'webhooks')) ?? []).toEqual([]);
  expect(await stack.browser.grantedOrigins!()).not.toContain('http://127.0.0.1/*');

  await options.getByRole('button', { name: 'Save', exact: true }).click();
  await stack.browser.answerPermissionPrompt!(true);
  await options.getByText('Saved.', { exact: true }).waitFor();
  expect(await stack.browser.grantedOrigins!()).toContain('http://127.0.0.1/*');
  expect(await stack.browser.readStorage('local', 'webhooks')).toMatchObject([{ url: stack.receiver.url, hmacKey: SECRET }]);
});

it.skipIf(firefoxOnly.skip)(`delivers the test event and a contact's typing, signed${firefoxOnly.note}`, async () => {
  stack.receiver.clear();
  await options.getByRole('button', { name: 'Send test event', exact: true }).click();
  const test = await stack.receiver.waitFor((r: any) => r.body?.metadata?.test === 'true', 5_000);
  expect(test.hmacValid).toBe(true);
  await options.getByText(/^Test event delivered: the backend answered 200 in \d+ ms\.$/).waitFor();

  await stack.sim.typing('alice');
  const typing = await stack.receiver.waitFor((r: any) => r.body?.event === 'presence.update' && r.body.metadata?.test !== 'true', 5_000);
  expect(typing.hmacValid).toBe(true);
  expect(typing.body.payload.presences[0]).toMatchObject({ participant: fixtures.contacts.alice.phone, lastKnownPresence: 'typing' });
});

it.skipIf(firefoxOnly.skip)(`names the WhatsApp Web version in the popup${firefoxOnly.note}`, async () => {
  const popup = await stack.browser.openExtensionPage('popup.html');
  await popup.getByText(`Hook live on WhatsApp Web ${DEFAULT_CONFIG.version}.`, { exact: true }).waitFor();
});
