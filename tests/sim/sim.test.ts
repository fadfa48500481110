// @vitest-environment node
// Tests of the test equipment: the simulated WhatsApp Web, in real Chromium,
// without the extension. Each checks a behaviour read in WhatsApp Web's own
// modules (named in tests/sim/public/*.js). If these fail, e2e failures mean
// nothing.
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
async function open(opts: { wait?: 'synced' | 'dom' | 'socket'; query?: string } = {}): Promise<Page> {
  await expect.poll(() => sim.pageCount, { timeout: 5000 }).toBe(0);
  context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error('[page error]', err));
  await page.goto(`${sim.origin}/${opts.query ?? ''}`, { waitUntil: 'domcontentloaded' });
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
    await expect.poll(() => page.locator('#chat-list li').count(), { timeout: 5_000 }).toBe(3);
  });

  it('leaves omitted modules out, yet still updates presence without WAWap', async () => {
    sim.configure({ omit: ['WAWap', 'WAWebQueryExistsJob'], version: '2.3000.1000000001' });
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
      return { wap: throws('WAWap'), query: throws('WAWebQueryExistsJob'), inMap: 'WAWap' in map, version: w.Debug.VERSION };
    });
    expect(info).toEqual({ wap: true, query: true, inMap: false, version: '2.3000.1000000001' });
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

describe('stanzas, wire JIDs and comms modes', () => {
  /** Wraps WAWap.decodeStanza the way a hook does and records what it resolves to. */
  const tapDecoder = (page: Page) =>
    page.evaluate(() => {
      const w = window as any;
      const wap = w.require('WAWap');
      const original = wap.decodeStanza;
      w.__seen = [];
      w.__returnsPromise = false;
      wap.decodeStanza = function (...args: unknown[]) {
        const result = original.apply(this, args);
        w.__returnsPromise = result instanceof Promise;
        return result.then((node: any) => {
          const jid = (v: any) => (v?.$1 ? { ...v.$1 } : v);
          w.__seen.push({
            tag: node.tag,
            from: jid(node.attrs.from),
            fromString: String(node.attrs.from),
            participant: jid(node.attrs.participant),
            participantString: node.attrs.participant && String(node.attrs.participant),
            child: Array.isArray(node.content) ? node.content[0] : node.content,
          });
          return node;
        });
      };
    });

  it('decodes JID pairs and ad-JIDs with WhatsApp’s domain types; decodeStanza is async and read at call time', async () => {
    const page = await open();
    await tapDecoder(page);
    await sim.typing('alice');
    await sim.recording('group', { participant: 'bob', adForm: ['participant'] });
    await sim.online('bob', { adForm: ['from'] });
    await sim.deliver({ tag: 'presence', attrs: { from: '15551110001:3@c.us' }, content: null });
    await sim.deliver({ tag: 'presence', attrs: { from: '123:2@hosted.lid' }, content: null });
    // A deflated frame: decodeStanza inflates it with the function it is given.
    const compressed = { tag: 'presence', attrs: { from: BOB_LID, type: 'unavailable', last: 'deny' }, content: null };
    expect(await sim.deliver(compressed, { compress: true })).toEqual({ pages: 1, handled: 1 });
    const seen = await page.evaluate(() => (window as any).__seen);
    expect(await page.evaluate(() => (window as any).__returnsPromise)).toBe(true);
    expect(seen[0]).toMatchObject({ tag: 'chatstate', from: { user: '81110001', server: 'lid' }, fromString: ALICE_LID, child: { tag: 'composing', attrs: {} } });
    expect(seen[1]).toMatchObject({
      tag: 'chatstate',
      from: { user: '120363000000000001', server: 'g.us' },
      participant: { user: '81110002', device: 0, domainType: 1 },
      participantString: BOB_LID,
      child: { tag: 'composing', attrs: { media: 'audio' } },
    });
    expect(seen[2]).toMatchObject({ from: { user: '81110002', device: 0, domainType: 1 }, fromString: BOB_LID });
    expect(seen[3]).toMatchObject({ from: { user: '15551110001', device: 3, domainType: 0 }, fromString: '15551110001:3@s.whatsapp.net' });
    expect(seen[4]).toMatchObject({ from: { device: 2, domainType: 129 }, fromString: '123:2@hosted.lid' });
    expect(seen[5]).toMatchObject({ tag: 'presence', fromString: BOB_LID });
  });

  it('runs comms in a real worker that hands stanzas to the page, or that handles presence itself', async () => {
    let page = await open({ query: '?variant=worker' }); // a build picked by the page's URL
    expect(await page.evaluate(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('/static/comms-worker.js')))).toBe(true);
    await tapDecoder(page);
    await followAlice(page);
    await sim.typing('alice');
    expect((await page.evaluate(() => (window as any).__seen)).map((n: any) => n.tag)).toEqual(['chatstate']);
    expect(await readPresence(page, ALICE_LID)).toMatchObject({ type: 'typing', hasData: true });
    await context?.close();
    context = undefined;

    sim.configure({ comms: 'worker-handlers' });
    page = await open();
    await tapDecoder(page);
    await followAlice(page);
    await sim.typing('alice');
    await sim.offline('alice', { last: 1_700_000_000 });
    await sim.message('alice');
    // The page's decoder sees the message, never the presence: that arrives as WAWebBackendApi events.
    expect((await page.evaluate(() => (window as any).__seen)).map((n: any) => n.tag)).toEqual(['message']);
    // WAWebPresenceBridgeApi.changePresenceHandler carries {id, type, participant}: the last seen stays in the worker.
    expect(await readPresence(page, ALICE_LID)).toMatchObject({ type: 'unavailable', t: undefined, hasData: true });
  });
});

/** WhatsApp's own way to get a contact's presence: PresenceCollection.find (gadd + subscribe). */
const followAlice = (page: Page) =>
  page.evaluate((lid) => {
    const w = window as any;
    return w.require('WAWebPresenceCollection').PresenceCollection.find(w.require('WAWebWidFactory').createWid(lid)).then(() => undefined);
  }, ALICE_LID);

const readPresence = (page: Page, id: string) =>
  page.evaluate((id) => {
    const p = (window as any).require('WAWebPresenceCollection').PresenceCollection.get(id);
    return p && {
      type: p.chatstate.type, t: p.chatstate.t, deny: p.chatstate.deny, isOnline: p.isOnline,
      hasData: p.hasData, isSubscribed: p.isSubscribed, isUser: p.isUser, isGroup: p.isGroup,
      summary: p.isGroup ? { id: String(p.chatstate.id), type: p.chatstate.type } : undefined,
      typing: p.typingUserIds.map(String), recording: p.recordingUserIds.map(String),
      members: p.chatstates.getModelsArray().map((c: any) => [String(c.id), c.type]),
    };
  }, id);

describe('Presence models (WAWebPresenceModel, WAWebChangePresenceHandlerAction, WAWebHandlePresence)', () => {
  it('updates a contact’s model only if it exists, by LID, with last seen as WhatsApp reads it', async () => {
    const page = await open();
    await page.evaluate(() => {
      const w = window as any;
      w.__events = [];
      const { PresenceCollection } = w.require('WAWebPresenceCollection');
      PresenceCollection.on('change:chatstate.type', (cs: any, value: string) => w.__events.push(['type', String(cs.id), value]));
      PresenceCollection.on('change:isOnline', (p: any, value: boolean) => w.__events.push(['online', String(p.id), value]));
    });
    await sim.online('carol'); // no model for Carol: WhatsApp does not create one for a stanza
    expect(await readPresence(page, fixtures.contacts.carol.lid)).toBeUndefined();

    await followAlice(page);
    await sim.typing('alice');
    expect(await readPresence(page, ALICE_LID)).toMatchObject({ type: 'typing', hasData: true, isSubscribed: true, isUser: true });
    await sim.paused('alice'); // "idle": falls back to online or offline, as isOnline says
    expect((await readPresence(page, ALICE_LID))?.type).toBe('unavailable');
    await sim.online('alice');
    await sim.recording('alice');
    await sim.paused('alice');
    expect(await readPresence(page, ALICE_LID)).toMatchObject({ type: 'available', isOnline: true });
    await sim.offline('alice', { last: 1_700_000_000 });
    expect(await readPresence(page, ALICE_LID)).toMatchObject({ type: 'unavailable', t: 1_700_000_000, isOnline: false });
    await sim.offline('alice', { last: 'deny' });
    expect(await readPresence(page, ALICE_LID)).toMatchObject({ t: undefined, deny: true });
    await sim.offline('alice', { last: 'none' });
    expect(await readPresence(page, ALICE_LID)).toMatchObject({ t: undefined, deny: undefined });
    const before = Math.floor(Date.now() / 1000);
    await sim.offline('alice'); // no last: "just now"
    expect((await readPresence(page, ALICE_LID))?.t).toBeGreaterThanOrEqual(before);
    // A migrated client drops presence addressed by phone id.
    await sim.online(fixtures.contacts.alice.phone);
    expect((await readPresence(page, ALICE_LID))?.type).toBe('unavailable');

    expect(await page.evaluate(() => (window as any).__events)).toEqual(
      expect.arrayContaining([
        ['type', ALICE_LID, 'typing'],
        ['type', ALICE_LID, 'recording_audio'],
        ['type', ALICE_LID, 'available'],
        ['online', ALICE_LID, true],
        ['online', ALICE_LID, false],
      ]),
    );
    // LID → phone: Alice is mapped, Carol is not.
    const mapping = await page.evaluate(
      ([a, c]) => {
        const w = window as any;
        const { createWid } = w.require('WAWebWidFactory');
        const api = w.require('WAWebApiContact');
        return { alice: api.getPhoneNumber(createWid(a))?._serialized, carol: api.getPhoneNumber(createWid(c)) };
      },
      [ALICE_LID, fixtures.contacts.carol.lid],
    );
    expect(mapping).toEqual({ alice: fixtures.contacts.alice.phone, carol: undefined });
  });

  it('keeps group members in chatstates; the group’s own chatstate is a debounced summary', async () => {
    const page = await open();
    await page.evaluate(() => {
      const w = window as any;
      w.__events = [];
      w.require('WAWebPresenceCollection').PresenceCollection.on('change:chatstate.type', (cs: any, value: string) => w.__events.push([String(cs.id), value]));
    });
    await sim.typing('group', { participant: 'alice' });
    await sim.recording('group', { participant: 'bob' });
    await sim.paused('group', { participant: 'alice' });
    await sim.groupCount('group', 3);
    await page.waitForTimeout(20); // the summary runs a task later
    expect(await readPresence(page, GROUP)).toMatchObject({
      isGroup: true,
      hasData: true,
      members: [[ALICE_LID, 'unavailable'], [BOB_LID, 'recording_audio']],
      summary: { id: BOB_LID, type: 'recording_audio' },
      typing: [],
      recording: [BOB_LID],
    });
    // Member changes never fire change:chatstate.type themselves: only the summary does, with the summary's id.
    const events = await page.evaluate(() => (window as any).__events);
    expect(events.every(([id]: string[]) => id === BOB_LID || id === ALICE_LID || id === '')).toBe(true);
    expect(events.length).toBeLessThan(3);
  });

  it('resets every model on a socket disconnect, then resumes: PAIRING with hasSynced, then CONNECTED', async () => {
    const page = await open();
    await followAlice(page);
    await sim.online('alice');
    await page.evaluate(() => {
      const w = window as any;
      w.__states = [];
      const { Socket } = w.require('WAWebSocketModel');
      const { Stream } = w.require('WAWebStreamModel');
      Socket.on('change:state', () => w.__states.push([Socket.state, Socket.hasSynced, Stream.info]));
    });
    await sim.disconnect();
    await sim.waitForPage(10_000);
    expect(await readPresence(page, ALICE_LID)).toMatchObject({ type: 'unavailable', hasData: false, isSubscribed: false });
    expect(await page.evaluate(() => (window as any).__states)).toEqual([
      ['OPENING', true, 'OPENING'],
      ['PAIRING', true, 'RESUMING'],
      ['CONNECTED', true, 'NORMAL'],
    ]);
    await sim.setSocketState('CONFLICT');
    expect(await page.evaluate(() => (window as any).require('WAWebSocketModel').Socket.state)).toBe('CONFLICT');
  });
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

describe('sending: Stream, the subscription job, the chat-state bridge', () => {
  const sentPresence = () => sim.sent.filter((s) => s.node.tag === 'presence' && s.node.attrs.type !== 'subscribe').map((s) => s.node.attrs.type);

  it("sends available from Stream's own listener only while the tab is in the foreground; unavailable clears every subscription", async () => {
    const page = await open();
    await followAlice(page);
    await sim.online('alice');
    const stream = (fn: string) => page.evaluate((fn) => (window as any).require('WAWebStreamModel').Stream[fn](), fn);
    await stream('markAvailable');
    await sim.waitForSent((s) => s.node.attrs.type === 'available');
    await stream('markUnavailable');
    await sim.waitForSent((s) => s.node.attrs.type === 'unavailable');
    expect(await readPresence(page, ALICE_LID)).toMatchObject({ hasData: false, isSubscribed: false });

    sim.clearCalls();
    sim.setUiActive(false);
    await page.waitForTimeout(50);
    await stream('markAvailable');
    await page.waitForTimeout(200);
    expect(sentPresence()).toEqual([]); // in the background the flag is set, nothing is sent
    // The direct path sends regardless.
    await page.evaluate(() => (window as any).require('WAWebPresenceChatAction').sendPresenceAvailable());
    await sim.waitForSent((s) => s.node.attrs.type === 'available');
  });

  it('flips Stream.available back after idleFlipMs; a pin (as wa-js does) swallows the flip and markAvailable itself', async () => {
    sim.configure({ idleFlipMs: 300 });
    const page = await open();
    const available = () => page.evaluate(() => (window as any).require('WAWebStreamModel').Stream.available);
    await page.evaluate(() => (window as any).require('WAWebStreamModel').Stream.markAvailable());
    expect(await available()).toBe(true);
    await expect.poll(available, { timeout: 3000 }).toBe(false);
    sim.clearCalls();
    await page.evaluate(() => {
      const Stream = (window as any).require('WAWebStreamModel').Stream;
      Object.defineProperty(Stream, 'available', { get: () => true, set: () => {}, configurable: true });
      Stream.markAvailable();
    });
    await page.waitForTimeout(700);
    expect(await available()).toBe(true);
    expect(sentPresence()).toEqual([]); // the pinned write fired no change: nothing went on the wire
  });

  it('subscribes LIDs only on a migrated account; chat state goes to the id it is given', async () => {
    const page = await open();
    const result = await page.evaluate(async ([phone, lid]) => {
      const w = window as any;
      const { createWid } = w.require('WAWebWidFactory');
      const bridge = w.require('WAWebContactPresenceBridge');
      const byPhone = await bridge.subscribeUserPresence(createWid(phone)).then(() => 'sent', (e: Error) => e.message);
      await bridge.subscribeUserPresence(createWid(lid));
      await w.require('WAWebPresenceCollection').PresenceCollection.find(createWid(phone)); // refused: not a LID
      const chat = w.require('WAWebCollections').Chat.get(createWid(phone));
      const identifier = String(w.require('WAWebPresenceChatAction').getChatIdentifier(chat));
      await w.require('WAWebChatStateBridge').sendChatStateComposing(createWid(phone));
      await w.require('WAWebPresenceChatAction').markPaused(chat);
      return { byPhone, identifier };
    }, [fixtures.contacts.alice.phone, ALICE_LID]);
    expect(result).toEqual({ byPhone: expect.stringContaining('is not a LID'), identifier: ALICE_LID });
    const subs = sim.sent.filter((s) => s.node.attrs.type === 'subscribe');
    expect(subs.map((s) => s.node.attrs.to)).toEqual([ALICE_LID]);
    expect((subs[0]!.node.content as any[])[0]).toMatchObject({ tag: 'tctoken' });
    const chatstates = sim.sent.filter((s) => s.node.tag === 'chatstate');
    expect(chatstates.map((s) => [s.node.attrs.to, (s.node.content as any[])[0].tag])).toEqual([
      ['15551110001@s.whatsapp.net', 'composing'], // the bridge addresses what it is handed
      [ALICE_LID, 'paused'], // WhatsApp's own code hands it the accountLid
    ]);
    await sim.waitForCall({ module: 'WAWebContactPresenceBridge', fn: 'subscribeUserPresence' });
  });

  it('has only subscribePresence(wid, tcToken) on a legacy build', async () => {
    sim.configure({ legacySubscribe: true });
    const page = await open();
    const bridge = await page.evaluate(() => {
      const b = (window as any).require('WAWebContactPresenceBridge');
      return { legacy: typeof b.subscribePresence, user: typeof b.subscribeUserPresence };
    });
    expect(bridge).toEqual({ legacy: 'function', user: 'undefined' });
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
    // The page boots over about a second: give a loaded machine room (the poll still fails if it never gets there).
    await expect
      .poll(() => page.evaluate(() => (window as any).require?.('WAWebSocketModel').Socket.state).catch(() => null), { timeout: 10_000 })
      .toBe('UNPAIRED');
    await expect.poll(() => page.locator('#qr').isVisible(), { timeout: 10_000 }).toBe(true);
  });
});
