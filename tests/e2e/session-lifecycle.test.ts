import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { fixtures } from '../sim/server.mjs';
import { onlyIn, readPresenceTable } from '../support/driver.mjs';
import { startStack } from '../support/stack.mjs';

// The WhatsApp tab's life as the background sees it: every way a tab goes
// away yields STOPPED with the reason and forgets what that tab held; two tabs
// make one session; only the extension's own pages may ask for privileged
// operations.

const { alice, bob } = fixtures.contacts;
const group = fixtures.groups.group;
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let stack: Awaited<ReturnType<typeof startStack>>;
let call: (typeof stack)['browser']['call'];
type Received = (typeof stack.receiver.requests)[number];
const sessionEvents = () => stack.receiver.requests.filter((r: Received) => r.body?.event === 'session.status').map((r: Received) => r.body.payload);
const session = () => stack.browser.readStorage('session', 'whatsappSession');
async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, timeoutMs = 8_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!ok(value)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await wait(50);
    value = await read();
  }
  return value;
}
/** Events from now on (call before the action), and a wait for a STOPPED among them. */
function watchStopped() {
  const from = sessionEvents().length;
  return (reason: string) =>
    until(async () => sessionEvents().slice(from).find((p: any) => p.status === 'STOPPED'), (p) => !!p, `STOPPED (${reason})`);
}

/** A WhatsApp Web tab, opened and synced, with the hook live. */
async function openTab() {
  const page = await stack.browser.newPage();
  stack.pageLogs.length = 0;
  page.on('console', (message) => stack.pageLogs.push(message.text()));
  await page.goto('https://web.whatsapp.com/');
  await stack.sim.waitForPage(15_000);
  await until(session, (s: any) => s?.status === 'WORKING', 'WORKING');
  return page;
}

beforeAll(async () => {
  stack = await startStack();
  call = stack.browser.call;
});
beforeEach(() => stack.receiver.clear());
afterAll(() => stack?.close());

it('forgets the tab’s presence and held own presence on a reload, and is WORKING again after it', async () => {
  const page = await openTab();
  await stack.sim.typing('alice');
  expect((await call('setChatState', { chatId: bob.phone, state: 'typing' })).ok).toBe(true);
  await until(() => readPresenceTable(stack.browser), (t: any) => !!t[alice.phone], 'presence saved');
  let stopped = watchStopped();
  await page.reload();
  expect((await stopped('reload')).data.reason).toMatch(/stopped \(reloaded, crashed/);
  expect(await stack.browser.readStorage('session', 'ownPresence')).toBeUndefined();
  expect(await readPresenceTable(stack.browser)).toEqual({});
  await stack.sim.waitForPage(15_000);
  await until(session, (s: any) => s?.status === 'WORKING', 'WORKING after the reload');
  stopped = watchStopped();
  await page.close();
  expect((await stopped('close')).data.reason).toBe('the WhatsApp Web tab was closed');
});

it('says STOPPED when the tab leaves web.whatsapp.com, and when it crashes', async () => {
  let page = await openTab();
  let stopped = watchStopped();
  await page.goto('about:blank');
  const left = await stopped('navigation');
  expect(left.data.reason).toBe('the WhatsApp Web tab left web.whatsapp.com');
  expect(await session()).toMatchObject({ status: 'STOPPED', tabId: null });
  await page.close();

  page = await openTab();
  stopped = watchStopped();
  await stack.browser.crashTab('https://web.whatsapp.com'); // the renderer (Firefox: the tab's content process) dies
  expect((await stopped('crash')).data.reason).toMatch(/stopped \(reloaded, crashed/);
  expect(await session()).toMatchObject({ status: 'STOPPED', tabId: null }); // commands now answer "no tab"
  void page.close().catch(() => {}); // a crashed page's close may never settle
});

it('makes one session of two WhatsApp tabs: the one WhatsApp keeps, and says there is another', async () => {
  const first = await openTab();
  const firstTab = (await session()).tabId;
  const second = await stack.browser.newPage();
  await second.goto('https://web.whatsapp.com/');
  // Both connected: the newer one is the session (the older one is about to get CONFLICT).
  await until(session, (s: any) => s?.tabId !== firstTab && s?.status === 'WORKING' && s?.otherTabs === 1, 'the second tab as the session');
  // WhatsApp keeps one window: the older one shows "Use here".
  await stack.sim.setSocketState('CONFLICT', { page: 'first' });
  await wait(200);
  expect(await session()).toMatchObject({ status: 'WORKING', otherTabs: 1 });
  expect((await session()).tabId).not.toBe(firstTab);
  await second.close();
  await until(session, (s: any) => s?.tabId === firstTab && s?.status === 'FAILED' && s?.state === 'conflict', 'the first tab, in conflict');
  const stopped = watchStopped();
  await first.close();
  await stopped('close');
});

it('renews every follow past one that keeps failing, and shows which one', async () => {
  const page = await openTab();
  for (const [id, name] of [[alice.phone, 'Alice'], [group.id, group.subject], [bob.phone, 'Bob']]) {
    expect((await call('follow', { id, name })).ok).toBe(true);
  }
  stack.sim.removeChat(group.id); // the operator left the group on the phone
  await wait(100);
  stack.sim.clearCalls();
  await stack.sim.disconnect(); // connected again: every follow is renewed
  await stack.sim.waitForPage(15_000);
  const follows = await until(
    () => stack.browser.readStorage('local', 'follows'),
    (f: any[]) => !!f?.find((x) => x.id === group.id)?.renewal,
    'the group flagged',
  );
  expect(follows.find((f: any) => f.id === group.id).renewal).toMatchObject({ failures: 1, error: expect.stringContaining('unknown group') });
  expect(follows.filter((f: any) => f.renewal).map((f: any) => f.id)).toEqual([group.id]);
  const renewed = stack.sim.calls.filter((c: any) => c.fn === 'subscribeUserPresence').map((c: any) => c.args[0]);
  expect(renewed).toEqual(expect.arrayContaining([alice.lid, bob.lid])); // Bob, after the group, too
  for (const id of [alice.phone, group.id, bob.phone]) await call('unfollow', id);
  const stopped = watchStopped();
  await page.close();
  await stopped('close');
});

// Needs a way into the content script's isolated world: Chromium's DevTools
// protocol has one (an execution context per world); WebDriver BiDi in Firefox
// reaches only the page's own realm and new sandboxes, not the extension's.
const contentWorld = onlyIn('chromium', "no automation protocol reaches Firefox's content-script sandbox");
it.skipIf(contentWorld.skip)(`refuses a privileged operation, and a malformed payload, sent from a content script's world${contentWorld.note}`, async () => {
  const page = await openTab();
  const cdp = await stack.browser.playwright!.newCDPSession(page);
  const contexts: Array<{ id: number; origin: string; auxData?: { type?: string } }> = [];
  cdp.on('Runtime.executionContextCreated', ({ context }) => contexts.push(context));
  await cdp.send('Runtime.enable');
  await until(async () => contexts.length, () => contexts.some((c) => c.auxData?.type === 'isolated' && c.origin.includes(stack.browser.extensionId)), 'the content script world');
  const world = contexts.find((c) => c.auxData?.type === 'isolated' && c.origin.includes(stack.browser.extensionId))!;
  const ask = (type: string, data?: unknown) =>
    cdp.send('Runtime.evaluate', {
      contextId: world.id,
      awaitPromise: true,
      returnByValue: true,
      expression: `new Promise((resolve) => chrome.runtime.sendMessage({ type: ${JSON.stringify(type)}, data: ${JSON.stringify(data ?? null)}, id: 1, timestamp: Date.now() }, (answer) => resolve(answer)))`,
    });
  const refused = await ask('clearAllState');
  expect(refused.result.value?.err?.message).toMatch(/refused: only the extension's own pages/);
  const deadLetters = await ask('getDeadLetters');
  expect(deadLetters.result.value?.err?.message).toMatch(/refused/);
  // What the content script may send is checked again: nothing malformed reaches the reducer.
  const forgedReport = await ask('sessionReport', { kind: 'session', state: '<img src=x>' });
  expect(forgedReport.result.value?.err?.message).toMatch(/refused sessionReport/);
  // The same for the events on the session port: one malformed event is dropped, the valid one beside it applied.
  const forgedChat = '15559990001@c.us';
  const signal = (chatId: string) => ({ chatId, participant: chatId, state: 'typing', lastSeen: null, at: Date.now(), source: 'stanza' });
  const ack = await cdp.send('Runtime.evaluate', {
    contextId: world.id,
    awaitPromise: true,
    returnByValue: true,
    expression: `new Promise((resolve) => {
      const port = chrome.runtime.connect({ name: 'whatsapp-tab' });
      port.onMessage.addListener((message) => { if (message.type === 'ack') { port.disconnect(); resolve(message); } });
      port.postMessage({ type: 'events', seq: 1, events: [{ signal: ${JSON.stringify(signal('<img src=x>'))} }, { signal: ${JSON.stringify(signal(forgedChat))} }] });
    })`,
  });
  expect(ack.result.value).toEqual({ type: 'ack', upTo: 2 });
  const table = await until(() => readPresenceTable(stack.browser), (t) => forgedChat in t, 'the valid event in the presence table');
  expect(Object.keys(table).some((chatId) => chatId.includes('<'))).toBe(false);
  const stopped = watchStopped();
  await page.close();
  await stopped('close');
});
