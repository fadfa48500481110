import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { startStack } from '../support/stack.mjs';

// The page world is untrusted: any script on web.whatsapp.com can post
// messages. Nothing it forges may reach the team's backend.

let stack: Awaited<ReturnType<typeof startStack>>;
const quiet = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const presenceUpdates = () => stack.receiver.requests.filter((r) => r.body?.event === 'presence.update');

beforeAll(async () => {
  stack = await startStack();
  await stack.openWhatsApp();
});
beforeEach(() => stack.receiver.clear());
afterAll(() => stack?.close());

it('ignores a page script that forges the hello and sends presence over its own port', async () => {
  await stack.page!.evaluate(() => {
    const { port1, port2 } = new MessageChannel();
    window.postMessage({ 'wa-presence-companion/hello': 'a-guessed-token' }, '*', [port2]);
    const signal = {
      chatId: '19990000000@c.us',
      participant: '19990000000@c.us',
      state: 'typing',
      lastSeen: null,
      at: Date.now(),
      source: 'stanza',
    };
    port1.postMessage({ kind: 'presence', signal });
    window.postMessage({ kind: 'presence', signal }, '*');
  });
  await quiet(800);
  expect(presenceUpdates()).toHaveLength(0);
  // Refused by the token check itself (the content script listens for hellos all along), not by luck of timing.
  expect(stack.pageLogs.filter((line) => line.includes('a hello with a wrong token, refused'))).toHaveLength(1);

  // The real channel still works afterwards.
  await stack.sim.typing('bob');
  const request = await stack.receiver.waitFor((r) => r.body?.event === 'presence.update', 2_000);
  expect(request.body.payload.id).toBe('15551110002@c.us');
});

it('refuses a forged hello that carries no token, and passes on a page message that only looks like one', async () => {
  const refusals = () => stack.pageLogs.filter((line) => line.includes('a hello with a wrong token, refused')).length;
  const before = refusals();
  const pageSaw = await stack.page!.evaluate(async () => {
    const seen: unknown[] = [];
    window.addEventListener('message', (event) => seen.push(event.data));
    window.postMessage({ 'wa-presence-companion/hello': undefined }, '*', [new MessageChannel().port2]);
    window.postMessage('wa-presence-companion/hello', '*'); // a string, not our hello: WhatsApp's own messages pass untouched
    await new Promise((resolve) => setTimeout(resolve, 100));
    return seen;
  });
  expect(refusals() - before).toBe(1);
  expect(pageSaw).toEqual(['wa-presence-companion/hello']); // the refused hello was stopped before page listeners
});

it('drops a message that does not fit the protocol, with a logged reason, and forwards nothing', async () => {
  // A stanza whose sender id is not a WhatsApp id: the hook maps it, the
  // content script's validation must stop it.
  await stack.sim.deliver({ tag: 'chatstate', attrs: { from: 'evil"<b>@c.us' }, content: [{ tag: 'composing', attrs: {} }] });
  await quiet(800);
  expect(presenceUpdates()).toHaveLength(0);
  expect(stack.pageLogs.some((line) => line.includes('dropped a message from the page') && line.includes('signal.chatId'))).toBe(true);
});
