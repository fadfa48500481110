import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_CONFIG, fixtures } from '../sim/server.mjs';
import { readmeScreenshot, storeScreenshot } from '../support/readme-screenshot.mjs';
import { startStack } from '../support/stack.mjs';

// The popup in real Chromium, driven by accessible names, against the
// simulated WhatsApp Web: follow contacts and watch them live, send typing and
// online through WhatsApp's own functions (the simulator records the calls).

const { alice, bob } = fixtures.contacts;
const group = fixtures.groups.group;
const SHORT = { timeout: 5_000 };

let stack: Awaited<ReturnType<typeof startStack>>;
let popup: Page;

const button = (name: string) => popup.getByRole('button', { name, exact: true });
const followed = () => popup.getByRole('list', { name: 'Followed contacts' });
const row = (name: string) => followed().getByRole('listitem').filter({ has: popup.getByText(name, { exact: true }) });
const follows = async () => (await stack.browser.readStorage('local', 'follows')) ?? [];

async function openPopup() {
  const page = await stack.browser.openExtensionPage('popup.html');
  await page.setViewportSize({ width: 380, height: 640 });
  await page.locator('main[data-ready]').waitFor(SHORT);
  return page;
}

beforeAll(async () => {
  stack = await startStack();
  await stack.openWhatsApp();
  popup = await openPopup();
});
afterAll(() => stack?.close());

it('says who is logged in and that the hook is live', async () => {
  await popup.getByText('Logged in as Operator (+15550000001).', { exact: true }).waitFor(SHORT);
  // The version WhatsApp Web reports (window.Debug.VERSION), not 'unknown'.
  await popup.getByText(`Hook live on WhatsApp Web ${DEFAULT_CONFIG.version}.`, { exact: true }).waitFor(SHORT);
});

it('follows a contact by name and shows its status change live: online, then typing', async () => {
  const contact = popup.getByRole('textbox', { name: 'Contact', exact: true });
  await contact.fill('12 34');
  await button('Subscribe').click();
  await popup.getByRole('alert').getByText(/7 to 15 digits/).waitFor(SHORT);

  await contact.fill('Alice');
  await button('Subscribe').click();
  await row('Alice').getByText('no presence yet', { exact: true }).waitFor(SHORT);
  await stack.sim.waitForCall({ module: 'WAWebContactPresenceBridge', fn: 'subscribeUserPresence' });
  expect((await follows()).map((f: { id: string }) => f.id)).toEqual([alice.phone]);

  await stack.sim.online('alice');
  await row('Alice').getByText('online', { exact: true }).waitFor(SHORT);
  await stack.sim.typing('alice');
  await row('Alice').getByText('typing…', { exact: true }).waitFor(SHORT);
  await stack.sim.offline('alice', { last: Math.floor(Date.now() / 1000) - 120 });
  await row('Alice').getByText('last seen 2 min ago', { exact: true }).waitFor(SHORT);
});

it('follows a group and shows who is recording in it', async () => {
  await popup.getByRole('textbox', { name: 'Contact', exact: true }).fill('Sales team');
  await button('Subscribe').click();
  await row('Sales team').waitFor(SHORT);
  await stack.sim.waitForCall({ module: 'WAWebContactPresenceBridge', fn: 'subscribeGroupPresence' });
  await stack.sim.recording('group', { participant: 'bob' });
  await row('Sales team').getByText('Bob recording…', { exact: true }).waitFor(SHORT);
});

it('sets typing in a chat chosen with the keyboard, and shows what is being sent', async () => {
  const chat = popup.getByRole('combobox', { name: 'Chat', exact: true });
  await chat.fill('bo');
  await popup.getByRole('option', { name: /^Bob/ }).waitFor(SHORT);
  await chat.press('Enter');
  expect(await chat.inputValue()).toBe('Bob');

  stack.sim.clearCalls();
  await button('Typing').click();
  const typing = await stack.sim.waitForCall({ module: 'WAWebChatStateBridge', fn: 'sendChatStateComposing' });
  expect(String(typing.args[0])).toBe(bob.lid); // Bob's chat as WhatsApp addresses it on a migrated account
  await popup.getByText(/^Typing in Bob, until \d\d:\d\d/).waitFor(SHORT);
  expect(await button('Typing').getAttribute('aria-pressed')).toBe('true');

  await button('Paused').click();
  expect(String((await stack.sim.waitForCall({ module: 'WAWebChatStateBridge', fn: 'sendChatStatePaused' })).args[0])).toBe(bob.lid);
  await popup.getByText('Not typing or recording in any chat.', { exact: true }).waitFor(SHORT);
});

it('goes online (held, until when) and offline', async () => {
  stack.sim.clearCalls();
  await button('Online').click();
  await stack.sim.waitForCall({ module: 'WAWebStreamModel', fn: 'Stream.markAvailable' });
  await popup.getByText(/^Online, held until \d\d:\d\d \(\d+ min left\)\.$/).waitFor(SHORT);
  expect(await button('Online').getAttribute('aria-pressed')).toBe('true');

  await button('Offline').click();
  await stack.sim.waitForCall({ module: 'WAWebStreamModel', fn: 'Stream.markUnavailable' });
  await popup.getByText('Offline: online is not held.', { exact: true }).waitFor(SHORT);
  expect(await button('Offline').getAttribute('aria-pressed')).toBe('true');
});

it('renders in light and dark (screenshots for the README)', async () => {
  await popup.getByRole('textbox', { name: 'Contact', exact: true }).fill('Bob');
  await button('Subscribe').click();
  await row('Bob').waitFor(SHORT);
  await button('Online').click();
  const chat = popup.getByRole('combobox', { name: 'Chat', exact: true });
  await chat.fill('Alice');
  await chat.press('Enter');
  await button('Typing').click();
  await stack.sim.typing('alice');
  await stack.sim.offline('bob', { last: Math.floor(Date.now() / 1000) - 5 * 60 });
  await stack.sim.recording('group', { participant: 'bob' });
  await row('Alice').getByText('typing…', { exact: true }).waitFor(SHORT);
  await row('Bob').getByText('last seen 5 min ago', { exact: true }).waitFor(SHORT);
  await popup.getByText(/^Typing in Alice, until/).waitFor(SHORT);
  await popup.getByText(/^Online, held until/).waitFor(SHORT);

  const shoot = async (name: string) => {
    const image = await readmeScreenshot(popup, name);
    expect(image.length).toBeGreaterThan(1000);
    return image;
  };
  await popup.emulateMedia({ colorScheme: 'light' });
  const light = await shoot('popup-light.png');
  await popup.emulateMedia({ colorScheme: 'dark' });
  expect(await popup.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(21, 23, 31)'); // #15171f, the dark theme
  const dark = await shoot('popup-dark.png');
  await popup.emulateMedia({ colorScheme: 'light' });
  await storeScreenshot(stack.browser.playwright!, [light, dark], 'screenshot-popup-1280x800.png'); // Chromium only

  await button('Paused').click();
  await button('Offline').click();
});

it('unsubscribes from a row', async () => {
  await button('Unsubscribe Sales team').click();
  await row('Sales team').waitFor({ state: 'detached', ...SHORT });
  expect((await follows()).map((f: { id: string }) => f.id)).not.toContain(group.id);
});

it('says when WhatsApp Web is closed and opens it again', async () => {
  await stack.page!.close();
  await popup.getByText('No WhatsApp Web tab is open.', { exact: true }).waitFor(SHORT);
  const opened = stack.browser.waitForNewPage(SHORT.timeout);
  await button('Open WhatsApp Web').click();
  const whatsapp = await opened;
  await whatsapp.waitForURL('https://web.whatsapp.com/', SHORT);
  await stack.sim.waitForPage(15_000);
  await popup.getByText('Logged in as Operator (+15550000001).', { exact: true }).waitFor({ timeout: 15_000 });
});
