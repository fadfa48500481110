// @vitest-environment node
// Tests of the test equipment: the simulated WhatsApp Web, in real Chromium,
// without the extension. If these fail, e2e failures mean nothing.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { fixtures, startWhatsAppSim, type WhatsAppSim } from './server.mjs';
import { CHROMIUM, QUIET_FLAGS } from '../support/extension-browser.mjs';

const ALICE_LID = fixtures.contacts.alice.lid;
const BOB_LID = fixtures.contacts.bob.lid;
const GROUP = fixtures.groups.group.id;

let sim: WhatsAppSim;
let browser: Browser;
let context: BrowserContext | undefined;

beforeAll(async () => {
  sim = await startWhatsAppSim();
  // No extension here: this tests the simulator itself.
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...sim.chromiumArgs, ...QUIET_FLAGS] });
});

afterAll(async () => {
  await browser?.close();
  await sim?.close();
});

afterEach(async () => {
  await context?.close();
  context = undefined;
  sim.configure();
  sim.clearCalls();
});

/** A fresh page, loaded; waits for the synced socket unless told otherwise. */
async function open(opts: { wait?: 'synced' | 'dom' | 'socket' } = {}): Promise<Page> {
  await expect.poll(() => sim.pageCount, { timeout: 5000 }).toBe(0);
  context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error('[page error]', err));
  await page.goto(`${sim.origin}/`, { waitUntil: 'domcontentloaded' });
  if (opts.wait !== 'dom') await sim.waitForPage(10_000, { synced: opts.wait !== 'socket' });
  return page;
}

describe('module system and boot', () => {
  it('boots asynchronously, then exposes Meta require, modulesMap and Debug.VERSION', async () => {
    const page = await open({ wait: 'dom' });
    const early = await page.evaluate(() => {
      const w = window as any;
      try {
        return typeof w.require === 'function' && !!w.require('WAWebSocketModel');
      } catch {
        return false;
      }
    });
    expect(early).toBe(false);

    await sim.waitForPage();
    const info = await page.evaluate(() => {
      const w = window as any;
      let unknownError = '';
      try {
        w.require('WAWebNoSuchModule');
      } catch (err) {
        unknownError = String(err);
      }
      return {
        unknownError,
        modules: Object.keys(w.require('__debug').modulesMap),
        version: w.Debug.VERSION,
        state: w.require('WAWebSocketModel').Socket.state,
        hasSynced: w.require('WAWebSocketModel').Socket.hasSynced,
        me: w.require('WAWebConnModel').Conn.wid._serialized,
        chats: w.require('WAWebCollections').Chat.getModelsArray().map((c: any) => c.formattedTitle),
        title: document.title,
      };
    });
    expect(info.unknownError).toMatch(/WAWebNoSuchModule/);
    expect(info.modules).toEqual(
      expect.arrayContaining(['WAWap', 'WAWebPresenceCollection', 'WAWebWidFactory', 'WAWebCollections']),
    );
    expect(info.version).toBe('2.3000.1017054665');
    expect(info).toMatchObject({ state: 'CONNECTED', hasSynced: true, me: fixtures.me.phone, title: 'WhatsApp' });
    expect(info.chats).toEqual(['Alice', 'Bob', 'Sales team']);
    await expect.poll(() => page.locator('#chat-list li').count()).toBe(3);
  });

  it('leaves omitted modules out, yet still updates presence without WAWap', async () => {
    sim.configure({ omit: ['WAWap', 'WAWebPresenceChatAction'], version: '2.3000.1000000001' });
    const page = await open();
    const info = await page.evaluate(() => {
      const w = window as any;
      const map = w.require('__debug').modulesMap;
      const throws = (name: string) => {
        try {
          w.require(name);
          return false;
        } catch {
          return true;
        }
      };
      return { wap: throws('WAWap'), action: throws('WAWebPresenceChatAction'), inMap: 'WAWap' in map, version: w.Debug.VERSION };
    });
    expect(info).toEqual({ wap: true, action: true, inMap: false, version: '2.3000.1000000001' });
    expect(await sim.typing('alice')).toEqual({ pages: 1, handled: 1 });
    const type = await page.evaluate(
      (lid) => (window as any).require('WAWebPresenceCollection').PresenceCollection.get(lid)?.chatstate.type,
      ALICE_LID,
    );
    expect(type).toBe('typing');
  });

  it('is protected by a CSP that blocks inline script', async () => {
    const page = await open();
    const result = await page.evaluate(async () => {
      const violation = new Promise<string>((resolve) =>
        document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), { once: true }),
      );
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.head.append(s);
      return { ran: (window as any).__inlineRan === true, directive: await violation };
    });
    expect(result.ran).toBe(false);
    expect(result.directive).toMatch(/script-src/);
  });
});

describe('stanzas and presence models', () => {
  it('decodeStanza is async and a hook on the exports object sees wire-JID objects', async () => {
    const page = await open();
    await page.evaluate(() => {
      const w = window as any;
      const wap = w.require('WAWap');
      const original = wap.decodeStanza;
      w.__seen = [];
      w.__returnsPromise = false;
      wap.decodeStanza = function (...args: unknown[]) {
        const result = original.apply(this, args);
        w.__returnsPromise = result instanceof Promise;
        return result.then((node: any) => {
          const from = node.attrs.from;
          const participant = node.attrs.participant;
          w.__seen.push({
            tag: node.tag,
            from: from?.$1 ? { ...from.$1 } : from,
            fromString: String(from),
            participant: participant?.$1 ? { ...participant.$1 } : participant,
            participantString: participant && String(participant),
            child: Array.isArray(node.content) ? node.content[0] : node.content,
          });
          return node;
        });
      };
    });
    await sim.typing('alice');
    await sim.recording('group', { participant: 'bob' });
    await sim.online('bob');
    await sim.offline('alice', { last: 1_700_000_000 });
    // A deflated frame: decodeStanza inflates it with the function it is given.
    const compressed = { tag: 'presence', attrs: { from: BOB_LID, type: 'unavailable', last: 'deny' }, content: null };
    expect(await sim.deliver(compressed, { compress: true })).toEqual({ pages: 1, handled: 1 });
    const seen = await page.evaluate(() => (window as any).__seen);
    expect(await page.evaluate(() => (window as any).__returnsPromise)).toBe(true);
    expect(seen[0]).toMatchObject({
      tag: 'chatstate',
      from: { user: '81110001', device: 0, domainType: 128 },
      fromString: ALICE_LID,
      child: { tag: 'composing', attrs: {} },
    });
    expect(seen[1]).toMatchObject({
      tag: 'chatstate',
      from: { user: '120363000000000001', server: 'g.us' },
      fromString: GROUP,
      participant: { user: '81110002', device: 0, domainType: 128 },
      participantString: BOB_LID,
      child: { tag: 'composing', attrs: { media: 'audio' } },
    });
    expect(seen[2]).toMatchObject({ tag: 'presence', fromString: BOB_LID });
    expect(seen[3]).toMatchObject({ tag: 'presence', fromString: ALICE_LID });
    expect(seen[4]).toMatchObject({ tag: 'presence', fromString: BOB_LID, from: { domainType: 128 } });
  });

  it('updates Presence/Chatstate models and fires collection events', async () => {
    const page = await open();
    await page.evaluate(() => {
      const w = window as any;
      const { PresenceCollection } = w.require('WAWebPresenceCollection');
      w.__events = [];
      PresenceCollection.on('change:chatstate.type', (cs: any, value: string) =>
        w.__events.push(['type', cs.id._serialized, value]),
      );
      PresenceCollection.on('change:isOnline', (p: any, value: boolean) =>
        w.__events.push(['online', p.id._serialized, value]),
      );
    });
    const read = (id: string) =>
      page.evaluate((id) => {
        const p = (window as any).require('WAWebPresenceCollection').PresenceCollection.get(id);
        return p && {
          type: p.chatstate.type, t: p.chatstate.t, deny: p.chatstate.deny, isOnline: p.isOnline,
          hasData: p.hasData, isUser: p.isUser, isGroup: p.isGroup,
        };
      }, id);

    await sim.typing('alice');
    expect(await read(ALICE_LID)).toMatchObject({ type: 'typing', isOnline: true, hasData: true, isUser: true });
    await sim.paused('alice');
    expect((await read(ALICE_LID))?.type).toBe('available');
    await sim.recording('alice');
    expect((await read(ALICE_LID))?.type).toBe('recording_audio');
    await sim.offline('alice', { last: 1_700_000_000 });
    expect(await read(ALICE_LID)).toMatchObject({ type: 'unavailable', t: 1_700_000_000, deny: false, isOnline: false });
    await sim.offline('carol', { last: 'deny' });
    expect(await read(fixtures.contacts.carol.lid)).toMatchObject({ type: 'unavailable', deny: true });

    const events = await page.evaluate(() => (window as any).__events);
    expect(events).toEqual(
      expect.arrayContaining([
        ['type', ALICE_LID, 'typing'],
        ['type', ALICE_LID, 'available'],
        ['type', ALICE_LID, 'recording_audio'],
        ['type', ALICE_LID, 'unavailable'],
        ['online', ALICE_LID, false],
      ]),
    );

    // LID → phone mapping: Alice is mapped, Carol is not.
    const mapping = await page.evaluate(
      ([a, c]) => {
        const w = window as any;
        const { createWid } = w.require('WAWebWidFactory');
        const api = w.require('WAWebApiContact');
        return {
          alice: api.getPhoneNumber(createWid(a))?._serialized,
          carol: api.getPhoneNumber(createWid(c)),
          toPn: w.require('WAWebLidMigrationUtils').toPn(createWid(c)),
        };
      },
      [ALICE_LID, fixtures.contacts.carol.lid],
    );
    expect(mapping).toEqual({ alice: fixtures.contacts.alice.phone, carol: undefined, toPn: null });
  });

  it('tracks group participants in presence.chatstates', async () => {
    const page = await open();
    await page.evaluate(() => {
      const w = window as any;
      w.__events = [];
      w.require('WAWebPresenceCollection').PresenceCollection.on(
        'change:chatstate.type',
        (cs: any, value: string) => w.__events.push([cs.id._serialized, value]),
      );
    });
    await sim.typing('group', { participant: 'alice' });
    await sim.recording('group', { participant: 'bob' });
    await sim.paused('group', { participant: 'alice' });
    const state = await page.evaluate((gid) => {
      const w = window as any;
      const p = w.require('WAWebPresenceCollection').PresenceCollection.get(gid);
      return {
        isGroup: p.isGroup,
        participants: p.chatstates.getModelsArray().map((c: any) => [c.id._serialized, c.type]),
        events: w.__events,
      };
    }, GROUP);
    expect(state.isGroup).toBe(true);
    expect(state.participants).toEqual([
      [ALICE_LID, 'available'],
      [BOB_LID, 'recording_audio'],
    ]);
    expect(state.events).toEqual([
      [ALICE_LID, 'typing'],
      [BOB_LID, 'recording_audio'],
      [ALICE_LID, 'available'],
    ]);
  });

  it('adds incoming messages to the Msg collection', async () => {
    const page = await open();
    await page.evaluate(() => {
      const w = window as any;
      w.__msgs = [];
      w.require('WAWebCollections').Msg.on('add', (m: any) =>
        w.__msgs.push({ from: m.from._serialized, author: m.author?._serialized, body: m.body, isNewMsg: m.isNewMsg }),
      );
    });
    await sim.message('alice', { body: 'hi there' });
    await sim.message('group', { participant: 'bob' });
    expect(await page.evaluate(() => (window as any).__msgs)).toEqual([
      { from: fixtures.contacts.alice.phone, author: undefined, body: 'hi there', isNewMsg: true },
      { from: GROUP, author: BOB_LID, body: 'hello', isNewMsg: true },
    ]);
  });
});

describe('outgoing calls and app state', () => {
  it('records calls into WhatsApp presence functions', async () => {
    const page = await open();
    await page.evaluate(async (phone) => {
      const w = window as any;
      const wid = w.require('WAWebWidFactory').createWid(phone);
      await w.require('WAWebChatStateBridge').sendChatStateComposing(wid);
      await w.require('WAWebPresenceCollection').PresenceCollection.find(wid);
      await w.require('WAWebContactPresenceBridge').subscribeUserPresence(wid);
    }, fixtures.contacts.alice.phone);
    const call = await sim.waitForCall({ module: 'WAWebChatStateBridge', fn: 'sendChatStateComposing' });
    expect(call.args).toEqual([fixtures.contacts.alice.phone]);
    expect(typeof call.at).toBe('number');
    await sim.waitForCall((c) => c.fn === 'PresenceCollection.find' && c.args[0] === fixtures.contacts.alice.phone);
    await sim.waitForCall({ fn: 'subscribeUserPresence' });
    const sent = await sim.waitForSent((s) => s.node.tag === 'chatstate');
    expect(sent.node.attrs.to).toBe('15551110001@s.whatsapp.net');
    const sub = await sim.waitForSent((s) => s.node.attrs.type === 'subscribe');
    expect(sub.node.attrs.to).toBe('15551110001@s.whatsapp.net');
  });

  it('flips Stream.available back after idleFlipMs unless pinned; legacy subscribe build', async () => {
    sim.configure({ idleFlipMs: 300, legacySubscribe: true });
    const page = await open();
    const bridge = await page.evaluate(() => {
      const b = (window as any).require('WAWebContactPresenceBridge');
      return { legacy: typeof b.subscribePresence, user: typeof b.subscribeUserPresence };
    });
    expect(bridge).toEqual({ legacy: 'function', user: 'undefined' });

    const stream = () => page.evaluate(() => (window as any).require('WAWebStreamModel').Stream.available);
    await page.evaluate(() => (window as any).require('WAWebStreamModel').Stream.markAvailable());
    expect(await stream()).toBe(true);
    await sim.waitForCall({ module: 'WAWebStreamModel', fn: 'Stream.markAvailable' });
    await expect.poll(stream, { timeout: 3000 }).toBe(false);

    // Pin it the way wa-js does (property redefinition on the Stream instance).
    await page.evaluate(() => {
      const Stream = (window as any).require('WAWebStreamModel').Stream;
      Object.defineProperty(Stream, 'available', { get: () => true, set: () => {}, configurable: true });
      Stream.markAvailable();
    });
    await page.waitForTimeout(700);
    expect(await stream()).toBe(true);
  });

  it('logs out: Socket UNPAIRED, Cmd logout, next load shows the QR screen', async () => {
    const page = await open();
    await page.evaluate(() => {
      const w = window as any;
      w.__logout = 0;
      w.require('WAWebCmd').Cmd.on('logout', () => w.__logout++);
    });
    await sim.logout();
    const after = await page.evaluate(() => {
      const w = window as any;
      const { Socket } = w.require('WAWebSocketModel');
      return { state: Socket.state, hasSynced: Socket.hasSynced, logouts: w.__logout };
    });
    expect(after).toEqual({ state: 'UNPAIRED', hasSynced: false, logouts: 1 });
    await page.reload({ waitUntil: 'domcontentloaded' });
    await expect
      .poll(() => page.evaluate(() => (window as any).require?.('WAWebSocketModel').Socket.state).catch(() => null))
      .toBe('UNPAIRED');
    await expect.poll(() => page.locator('#qr').isVisible()).toBe(true);
  });
});
