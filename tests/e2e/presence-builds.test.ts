import { afterAll, beforeAll, expect, it } from 'vitest';
import { fixtures } from '../sim/server.mjs';
import { startStack } from '../support/stack.mjs';

// Other WhatsApp Web builds and states: an older build with only the legacy
// subscribe API and without the chat-state bridge, no tab, and no login. Each
// command answers with what is wrong; what still works keeps working.

const { alice } = fixtures.contacts;
const VERSION = '2.3000.1017054665';

let stack: Awaited<ReturnType<typeof startStack>>;
let call: (typeof stack)['browser']['call'];

beforeAll(async () => {
  stack = await startStack({ sim: { legacySubscribe: true, omit: ['WAWebChatStateBridge'] } });
  call = stack.browser.call;
});
afterAll(() => stack?.close());

it('says so when no WhatsApp Web tab is open', async () => {
  expect(await call('setOnline', true)).toEqual({ ok: false, error: 'No WhatsApp Web tab is open: open https://web.whatsapp.com and log in.', kind: 'no_tab' });
});

it('subscribes with the legacy subscribePresence(wid, tcToken) on a build that only has it', async () => {
  await stack.openWhatsApp();
  expect(await call('follow', { id: alice.phone, name: 'Alice' })).toMatchObject({ ok: true });
  const legacy = await stack.sim.waitForCall({ module: 'WAWebContactPresenceBridge', fn: 'subscribePresence' });
  // As WhatsApp's own legacy collection: getChatIdentifier(chat), the LID on a migrated account.
  expect(String(legacy.args[0])).toBe(alice.lid);
  expect(legacy.args[1]).toBeTruthy(); // the chat's trusted-contact token went along
});

it('names the missing function for a chat state, while presence still arrives', async () => {
  expect(await call('setChatState', { chatId: alice.phone, state: 'typing' })).toEqual({
    ok: false,
    error: `WAWebChatStateBridge.sendChatStateComposing missing on WhatsApp Web ${VERSION}`,
    kind: 'capability_missing',
  });
  const hooks = await stack.browser.readStorage('session', 'hookStatus');
  expect(hooks.chatState).toMatchObject({ status: 'unavailable', detail: `WAWebChatStateBridge missing on WhatsApp Web ${VERSION}` });
  expect(hooks.subscribe.status).toBe('live');

  stack.receiver.clear();
  await stack.sim.typing('alice');
  const update = await stack.receiver.waitFor((r: any) => r.body?.event === 'presence.update', 2_000);
  expect(update.body.payload.presences[0]).toMatchObject({ participant: alice.phone, lastKnownPresence: 'typing' });
});

it('answers "not logged in" while WhatsApp Web shows the QR code', async () => {
  stack.sim.configure({ loggedIn: false });
  await stack.page!.reload();
  await stack.sim.waitForPage(15_000, { synced: false });
  const deadline = Date.now() + 10_000;
  while ((await stack.browser.readStorage('session', 'whatsappSession'))?.status !== 'SCAN_QR_CODE' && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(await call('setOnline', true)).toEqual({ ok: false, error: expect.stringContaining('WhatsApp Web is not logged in'), kind: 'not_logged_in' });
  expect(await call('listChats')).toEqual({ ok: false, error: expect.stringContaining('not logged in'), kind: 'not_logged_in' });
});
