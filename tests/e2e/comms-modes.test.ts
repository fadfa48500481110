import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixtures } from '../sim/server.mjs';
import { startStack } from '../support/stack.mjs';
import { timingOf } from '../support/expected-presence.mjs';

// The hook on each way WhatsApp Web runs its comms (tests/sim/public/socket.js):
// on the page; in the backend worker, which hands stanzas to the page; and in
// a worker that also runs the presence handlers, so that presence reaches the
// page only as WAWebBackendApi events into the Presence models. The same
// operator-visible behaviour is expected in all three, except what WhatsApp
// itself does not carry: on the worker-handler build the bridge takes only
// {id, type, participant}, so a last seen never reaches the page.

const { alice, bob, carol } = fixtures.contacts;
const group = fixtures.groups.group;
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const LIDS: Record<string, string> = { [alice.phone]: alice.lid, [bob.phone]: bob.lid };
type Mode = 'main' | 'worker' | 'worker-handlers';

/**
 * Another extension's page script that got there first (as WAIncognito and WA
 * Web Plus do): it traps `__d`, and wraps WAWap.decodeStanza the moment the
 * module is registered, counting what it decodes.
 */
const OTHER_HOOK = `(() => {
  const seen = (window.__otherHook = { decoded: 0, defines: 0 });
  let define;
  Object.defineProperty(window, '__d', {
    configurable: true,
    get: () => define,
    set(value) {
      define = function (name, ...rest) {
        seen.defines++;
        const result = value.call(this, name, ...rest);
        if (name === 'WAWap') {
          const wap = window.require('WAWap');
          const original = wap.decodeStanza;
          wap.decodeStanza = function (...args) { seen.decoded++; return original.apply(this, args); };
        }
        return result;
      };
    },
  });
})();`;
/** The simulated page's own globals, and the other extension's. */
const PAGE_GLOBALS = ['SimCodec', '__d', 'require', 'requireLazy', 'importNamespace', 'importDefault', 'ErrorGuard', 'Debug', '__otherHook'];

describe.each<Mode>(['main', 'worker', 'worker-handlers'])('comms: %s', (comms) => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let call: (typeof stack)['browser']['call'];
  type Received = (typeof stack.receiver.requests)[number];
  const updates = () => stack.receiver.requests.filter((r: Received) => r.body?.event === 'presence.update').map((r: Received) => r.body.payload);
  const sessionEvents = () => stack.receiver.requests.filter((r: Received) => r.body?.event === 'session.status').map((r: Received) => r.body.payload);
  /** Waits for `count` presence.update payloads, then a quiet 300 ms in which no other arrives. */
  async function expectUpdates(count: number) {
    const deadline = Date.now() + 4_000;
    while (updates().length < count && Date.now() < deadline) await wait(25);
    await wait(300);
    return updates();
  }
  /** One participant's update, with the LID beside the phone id where WhatsApp knows both. */
  const one = (id: string, participant: string, state: string, lastSeen: number | null = null) => ({
    id,
    presences: [{ participant, lastKnownPresence: state, lastSeen, ...(LIDS[participant] ? { lid: LIDS[participant] } : {}), ...timingOf(state) }],
  });
  const sessionState = () => stack.browser.readStorage('session', 'whatsappSession');
  async function untilSession(state: string) {
    const deadline = Date.now() + 5_000;
    let session: any;
    while ((session = await sessionState())?.state !== state && Date.now() < deadline) await wait(50);
    return session;
  }
  const lastSeenCarried = comms !== 'worker-handlers';

  beforeAll(async () => {
    stack = await startStack({ sim: { comms } });
    await stack.browser.addInitScript(OTHER_HOOK);
    await stack.openWhatsApp();
    call = stack.browser.call;
  });
  beforeEach(() => {
    stack.receiver.clear();
    stack.sim.clearCalls();
  });
  afterAll(() => stack?.close());

  it('receives every 1:1 state by LID, as a pair and as a device id, under the phone id', async () => {
    await stack.sim.online('alice');
    await stack.sim.typing('alice', { adForm: ['from'] });
    await stack.sim.recording('alice');
    await stack.sim.paused('alice', { adForm: ['from'] });
    await stack.sim.offline('alice', { last: 1_700_000_000 });
    await stack.sim.online('alice', { adForm: ['from'] });
    await stack.sim.offline('alice', { last: 'deny' });
    expect(await expectUpdates(7)).toEqual([
      one(alice.phone, alice.phone, 'online'),
      one(alice.phone, alice.phone, 'typing'),
      one(alice.phone, alice.phone, 'recording'),
      one(alice.phone, alice.phone, 'paused'),
      one(alice.phone, alice.phone, 'offline', lastSeenCarried ? 1_700_000_000 : null),
      one(alice.phone, alice.phone, 'online'),
      one(alice.phone, alice.phone, 'offline', null), // hidden by the contact
    ]);
  });

  it('receives group members by LID (pair and device form): two typing, one stopping, one recording', async () => {
    await stack.sim.typing('group', { participant: 'bob' });
    await stack.sim.typing('group', { participant: 'alice', adForm: ['participant'] });
    await stack.sim.paused('group', { participant: 'bob', adForm: ['participant'] });
    await stack.sim.recording('group', { participant: 'alice' });
    // A group presence with a count of members online is not anyone's presence.
    await stack.sim.groupCount('group', 2);
    expect(await expectUpdates(4)).toEqual([
      one(group.id, bob.phone, 'typing'),
      one(group.id, alice.phone, 'typing'),
      one(group.id, bob.phone, 'paused'),
      one(group.id, alice.phone, 'recording'),
    ]);
  });

  it('receives presence addressed by phone id (as a pair and as a device id)', async () => {
    await stack.sim.typing(alice.phone);
    await stack.sim.typing('group', { participant: bob.phone.replace('@c.us', ':2@c.us') });
    const expected = [
      [alice.phone, alice.phone, 'typing'],
      [group.id, bob.phone, 'typing'],
    ];
    // A migrated account's handlers key 1:1 presence by LID: where only they
    // report (the worker build), a phone-addressed 1:1 chat state reaches no
    // model, as in WhatsApp. (A LID learnt earlier may travel beside the phone id.)
    const received = (await expectUpdates(comms === 'worker-handlers' ? 1 : 2)).map((u: any) => [u.id, u.presences[0].participant, u.presences[0].lastKnownPresence]);
    expect(received).toEqual(comms === 'worker-handlers' ? expected.slice(1) : expected);
  });

  it('keeps the LID of a contact whose phone WhatsApp does not know', async () => {
    expect(await call('follow', { id: carol.lid, name: 'Carol' })).toMatchObject({ ok: true });
    await stack.sim.online('carol');
    expect(await expectUpdates(1)).toEqual([one(carol.lid, carol.lid, 'online')]);
    expect((await call('unfollow', carol.lid)).ok).toBe(true);
  });

  it('says whether the stanza tap really receives presence', async () => {
    const hooks = await stack.browser.readStorage('session', 'hookStatus');
    expect(hooks.presenceModels.status).toBe('live');
    if (comms === 'worker-handlers') {
      expect(hooks.stanzaTap).toMatchObject({ status: 'quiet', detail: expect.stringContaining("sees no presence while WhatsApp's Presence models change") });
    } else {
      expect(hooks.stanzaTap.status).toBe('live');
    }
  });

  it('subscribes and types addressed by LID on a migrated account', async () => {
    expect(await call('follow', { id: bob.phone, name: 'Bob' })).toMatchObject({ ok: true });
    await stack.sim.waitForSent((s: any) => s.node.tag === 'presence' && s.node.attrs.type === 'subscribe' && s.node.attrs.to === bob.lid);
    expect((await call('setChatState', { chatId: bob.phone, state: 'typing' })).ok).toBe(true);
    await stack.sim.waitForSent((s: any) => s.node.tag === 'chatstate' && s.node.attrs.to === bob.lid && s.node.content?.[0]?.tag === 'composing');
    expect((await call('setChatState', { chatId: bob.phone, state: 'paused' })).ok).toBe(true);
    await stack.sim.waitForSent((s: any) => s.node.tag === 'chatstate' && s.node.attrs.to === bob.lid && s.node.content?.[0]?.tag === 'paused');
    // Nothing went to the phone id.
    expect(stack.sim.sent.filter((s: any) => s.node.attrs.to === bob.phone.replace('@c.us', '@s.whatsapp.net'))).toEqual([]);
  });

  it('reads a disconnect as no presence at all: no false offline, and the followed contacts are subscribed again', async () => {
    await stack.sim.online('bob');
    await expectUpdates(1);
    stack.receiver.clear();
    stack.sim.clearCalls();
    await stack.sim.disconnect();
    await stack.sim.waitForPage(15_000);
    await stack.sim.waitForSent((s: any) => s.node.tag === 'presence' && s.node.attrs.type === 'subscribe' && s.node.attrs.to === bob.lid, 10_000);
    expect(updates()).toEqual([]); // WhatsApp reset every Presence model: that is not "offline"
    await stack.sim.typing('bob');
    expect(await expectUpdates(1)).toEqual([one(bob.phone, bob.phone, 'typing')]);
  });

  it('goes Online on the wire with the tab in the background, and Offline keeps the followed contacts flowing', async () => {
    stack.sim.setUiActive(false);
    await wait(100);
    expect((await call('setOnline', true)).ok).toBe(true);
    await stack.sim.waitForSent((s: any) => s.node.tag === 'presence' && s.node.attrs.type === 'available');

    stack.sim.clearCalls();
    expect((await call('setOnline', false)).ok).toBe(true);
    await stack.sim.waitForSent((s: any) => s.node.tag === 'presence' && s.node.attrs.type === 'unavailable');
    // WhatsApp dropped every subscription on going unavailable: the follows are renewed.
    await stack.sim.waitForSent((s: any) => s.node.tag === 'presence' && s.node.attrs.type === 'subscribe' && s.node.attrs.to === bob.lid, 8_000);
    stack.receiver.clear();
    await stack.sim.recording('bob');
    expect(await expectUpdates(1)).toEqual([one(bob.phone, bob.phone, 'recording')]);
    stack.sim.setUiActive(true);
    expect((await call('unfollow', bob.phone)).ok).toBe(true);
  });

  it("reports each session state with WhatsApp's own name; a resume keeps the account and its presence", async () => {
    const states: Array<[string, { hasSynced?: boolean; info?: string }, string, string]> = [
      ['CONFLICT', {}, 'conflict', 'FAILED'],
      ['TIMEOUT', {}, 'phone_unreachable', 'FAILED'],
      ['TOS_BLOCK', {}, 'blocked', 'FAILED'],
      ['DEPRECATED_VERSION', {}, 'unsupported', 'FAILED'],
      ['PAIRING', { hasSynced: true, info: 'RESUMING' }, 'resuming', 'STARTING'],
      ['CONNECTED', { hasSynced: true, info: 'NORMAL' }, 'connected', 'WORKING'],
    ];
    for (const [waState, opts, state, status] of states) {
      await stack.sim.setSocketState(waState, opts);
      expect(await untilSession(state)).toMatchObject({ state, waState, status });
    }
    // One event per new status or new reason, in WAHA's shape, with the last three statuses.
    const deadline = Date.now() + 3_000;
    const fromFirstFailure = () => sessionEvents().slice(sessionEvents().findIndex((p: any) => p.status === 'FAILED'));
    while (fromFirstFailure().length < 6 && Date.now() < deadline) await wait(25);
    const events = fromFirstFailure();
    expect(events.map((p: any) => [p.status, p.data.reason ?? null, p.data.waState ?? null])).toEqual([
      ['FAILED', 'WhatsApp Web was opened in another window', 'CONFLICT'],
      ['FAILED', 'WhatsApp Web cannot reach the phone', 'TIMEOUT'],
      ['FAILED', 'WhatsApp blocked the session (the account, or the network)', 'TOS_BLOCK'],
      ['FAILED', 'this WhatsApp Web version is no longer supported', 'DEPRECATED_VERSION'],
      ['STARTING', null, 'PAIRING'],
      ['WORKING', null, 'CONNECTED'],
    ]);
    const hooks = await stack.browser.readStorage('session', 'hookStatus');
    expect(events.at(-1)).toMatchObject({
      name: 'default',
      statuses: [{ status: 'FAILED' }, { status: 'STARTING' }, { status: 'WORKING', timestamp: expect.any(Number) }],
      data: { reception: { receiving: true, layer: hooks.stanzaTap.status === 'live' ? 'stanzaTap' : 'presenceModels' } },
    });
    expect(await stack.browser.readStorage('session', 'me')).toMatchObject({ id: fixtures.me.phone });
    expect(await call('readPresence', bob.phone)).toMatchObject({ ok: true });

    await stack.sim.logout();
    expect(await untilSession('logged_out')).toMatchObject({ status: 'SCAN_QR_CODE' });
    expect((await stack.browser.readStorage('session', 'me')) ?? null).toBeNull();
  });

  it('writes no "Requiring unknown module" into WhatsApp’s console', () => {
    expect(stack.pageLogs.filter((line: string) => /Requiring (unknown )?module/.test(line))).toEqual([]);
  });

  it('keeps another hook that wrapped decodeStanza first working, and leaves no global and no trap behind', async () => {
    const page = stack.page!;
    const before = await page.evaluate(() => (window as any).__otherHook.decoded);
    await stack.sim.message('alice'); // decoded on the page in every mode
    const after = await page.evaluate(() => ({
      decoded: (window as any).__otherHook.decoded,
      defines: (window as any).__otherHook.defines,
      // The other extension's accessor on __d is back in place, its wrapper still called.
      trap: typeof Object.getOwnPropertyDescriptor(window, '__d')?.get,
      names: Object.getOwnPropertyNames(window),
      // A fresh window of the same page (our content script runs in the top frame only).
      baseline: (() => {
        const frame = document.createElement('iframe');
        document.body.append(frame);
        const names = Object.getOwnPropertyNames(frame.contentWindow!);
        frame.remove();
        return names;
      })(),
    }));
    expect(after.decoded).toBeGreaterThan(before);
    expect(after.defines).toBeGreaterThan(20); // every module went through its define
    expect(after.trap).toBe('function');
    const baseline = new Set(after.baseline);
    expect(after.names.filter((name: string) => !baseline.has(name) && !PAGE_GLOBALS.includes(name))).toEqual([]);
  });
});
