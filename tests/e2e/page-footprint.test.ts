import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWhatsAppSim } from '../sim/server.mjs';
import { launchPlainBrowser } from '../support/driver.mjs';
import { startStack } from '../support/stack.mjs';

// What WhatsApp's own scripts can observe of the extension: the simulated page
// runs an observer as its first script (tests/sim/public/page-observer.js), the
// earliest any page script runs. The same session is observed with the
// extension and in the same browser without it; apart from the presence tap itself,
// the two must look the same.

type Observed = {
  messages: unknown[];
  mutations: string[];
  globals: string[];
  rootAttributes: string[];
  resources: string[];
  scripts: string[];
  natives: Record<string, boolean>;
  dModule: string;
  moduleFunctions: Record<string, string>;
};

/** One session's worth of activity, then what the page saw and which errors it logged. */
async function observe(page: Page, sim: Awaited<ReturnType<typeof startWhatsAppSim>>, afterActivity: () => Promise<unknown>) {
  const errors: string[] = [];
  const onConsole = (message: import('playwright-core').ConsoleMessage) => void (message.type() === 'error' && errors.push(message.text()));
  page.on('console', onConsole);
  await page.goto('https://web.whatsapp.com/?observe=1');
  await sim.waitForPage(15_000);
  await sim.online('bob');
  await sim.typing('alice');
  await sim.recording('group', { participant: 'bob' });
  await afterActivity();
  page.off('console', onConsole); // the fetches below fail on purpose
  return { observed: (await page.evaluate(() => (window as any).__observed())) as Observed, errors };
}

let withExtension: Awaited<ReturnType<typeof observe>>;
let without: Awaited<ReturnType<typeof observe>>;
let stack: Awaited<ReturnType<typeof startStack>>;
let extensionPage: Page;

beforeAll(async () => {
  // Without the extension: the same browser, its own simulator.
  const plainSim = await startWhatsAppSim({});
  const plain = await launchPlainBrowser(plainSim);
  try {
    without = await observe(await plain.newPage(), plainSim, () => plainSim.waitForSent(() => true, 100).catch(() => {}));
  } finally {
    await plain.close();
    await plainSim.close();
  }

  stack = await startStack();
  extensionPage = await stack.browser.newPage();
  withExtension = await observe(extensionPage, stack.sim, async () => {
    await stack.receiver.waitFor((r) => r.body?.payload?.presences?.[0]?.lastKnownPresence === 'recording', 5_000);
    // A command too: the operator goes online and back (WhatsApp's Stream pinned, then given back).
    const call = stack.browser.call;
    expect((await call('setOnline', true)).ok).toBe(true);
    expect((await call('setOnline', false)).ok).toBe(true);
  });
}, 120_000);
afterAll(() => stack?.close());

it('the hook is live while the page is observed (so the comparison means something)', () => {
  expect(withExtension.observed.moduleFunctions['WAWap.decodeStanza']).toBeDefined();
  expect(stack.receiver.requests.some((r) => r.body?.event === 'presence.update')).toBe(true);
});

it('posts nothing a page listener receives, adds no element or attribute, and no global', () => {
  expect(withExtension.observed.messages).toEqual(without.observed.messages);
  expect(withExtension.observed.mutations.sort()).toEqual(without.observed.mutations.sort());
  expect(withExtension.observed.rootAttributes).toEqual(without.observed.rootAttributes);
  expect(withExtension.observed.globals).toEqual(without.observed.globals);
  expect(withExtension.observed.scripts).toEqual(without.observed.scripts);
  expect(withExtension.observed.dModule).toBe(without.observed.dModule); // Meta's __d handed back as it was
});

it('loads nothing from the extension, and no extension file can be fetched by the page', async () => {
  expect(withExtension.observed.resources.filter((url) => !url.startsWith('https://web.whatsapp.com/'))).toEqual([]);
  const build = stack.browser.buildDir;
  const files = (function list(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? list(join(dir, name)) : [relative(build, join(dir, name))]));
  })(build);
  expect(files).toContain('content-scripts/page-world.js');
  const fetched = await extensionPage.evaluate(
    (urls) => Promise.all(urls.map((url) => fetch(url).then((response) => `${url} ${response.status}`, () => null))),
    files.map((file) => stack.browser.extensionUrl(file)),
  );
  expect(fetched.filter((result) => result !== null)).toEqual([]);
});

it('replaces no built-in, and of WhatsApp’s functions only the decoder it taps', () => {
  expect(Object.entries(withExtension.observed.natives).filter(([, native]) => !native)).toEqual([]);
  const changed = Object.keys(without.observed.moduleFunctions).filter(
    (name) => name in withExtension.observed.moduleFunctions && withExtension.observed.moduleFunctions[name] !== without.observed.moduleFunctions[name],
  );
  expect(changed).toEqual(['WAWap.decodeStanza']);
});

it('logs no error in the page that WhatsApp Web does not log by itself', () => {
  expect(withExtension.errors).toEqual(without.errors);
});
