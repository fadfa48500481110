import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HookReport, SessionReport } from '@/utils/protocol/page-messages';
import type { PresenceSignal } from '@/utils/presence/types';
import { createCapabilityRunner } from '@/utils/page/capabilities';
import { createIdResolver, PHONE_KNOWN_MS } from '@/utils/page/id-resolver';
import { watchModuleDefinitions } from '@/utils/page/module-watch';
import { sessionWatch } from '@/utils/page/session-watch';
import { stanzaTap } from '@/utils/page/stanza-tap';
import { eventful, fakeWhatsApp } from './support/fake-whatsapp';

afterEach(() => vi.useRealTimers());

describe('watchModuleDefinitions', () => {
  it('notices modules registered after it started, once per burst, without polling', async () => {
    vi.useFakeTimers();
    const { win, modules } = fakeWhatsApp();
    const onDefine = vi.fn();
    const stop = watchModuleDefinitions(win, onDefine);
    await vi.runAllTimersAsync();
    expect(onDefine).toHaveBeenCalledTimes(1); // the initial look

    win.__d('A', [], {});
    win.__d('B', [], {});
    await vi.runAllTimersAsync();
    expect(onDefine).toHaveBeenCalledTimes(2);
    expect(modules.has('B')).toBe(true); // WhatsApp's own registration still happens

    stop();
    win.__d('C', [], {});
    await vi.runAllTimersAsync();
    expect(onDefine).toHaveBeenCalledTimes(2);
    expect(modules.has('C')).toBe(true);
  });

  it('traps __d when the hook runs before WhatsApp defines it', async () => {
    vi.useFakeTimers();
    const win: any = {};
    const onDefine = vi.fn();
    watchModuleDefinitions(win, onDefine);
    const registered: string[] = [];
    win.__d = (name: string) => registered.push(name);
    win.__d('WAWap');
    await vi.runAllTimersAsync();
    expect(registered).toEqual(['WAWap']);
    expect(onDefine).toHaveBeenCalled();
  });
});

describe('stanza tap', () => {
  it("sees presence stanzas through WhatsApp's decodeStanza and returns WhatsApp's own promise", async () => {
    const { win } = fakeWhatsApp();
    const node = { tag: 'chatstate', attrs: { from: '15551110001@c.us' }, content: [{ tag: 'composing', attrs: {} }] };
    const own = Promise.resolve(node);
    const wap = { decodeStanza: vi.fn((..._frame: unknown[]) => own) };
    win.__d('WAWap', [], wap);
    const original = wap.decodeStanza;
    const signals: PresenceSignal[] = [];
    const reports: HookReport[] = [];
    const runner = createCapabilityRunner(win, [stanzaTap((id) => id, { signal: (signal) => signals.push(signal), message: () => {} })], (r) => reports.push(r));
    expect(runner.check()).toBe(0);
    expect(reports).toEqual([{ kind: 'hook', capability: 'stanzaTap', status: 'live', detail: undefined, version: '2.3000.1' }]);

    const result = wap.decodeStanza(new Uint8Array(1) as never);
    expect(result).toBe(own);
    await result;
    await Promise.resolve();
    expect(signals).toEqual([expect.objectContaining({ chatId: '15551110001@c.us', state: 'typing', source: 'stanza' })]);

    expect(wap.decodeStanza).not.toBe(original);
    runner.stop();
    expect(wap.decodeStanza).toBe(original); // WhatsApp gets its own function back
  });

  it('sends a status again with the version once WhatsApp sets it (a chunk can go live before its load event)', () => {
    const { win } = fakeWhatsApp();
    delete (win as { Debug?: unknown }).Debug; // the first chunk ran, its load event has not set Debug.VERSION yet
    win.__d('WAWap', [], { decodeStanza: () => Promise.resolve(null) });
    const reports: HookReport[] = [];
    const runner = createCapabilityRunner(win, [stanzaTap((id) => id, { signal: () => {}, message: () => {} })], (r) => reports.push(r));
    runner.check();
    expect(reports.map((r) => r.version)).toEqual(['unknown']);
    (win as { Debug?: { VERSION: string } }).Debug = { VERSION: '2.3000.7' };
    runner.settle();
    expect(reports.at(-1)).toEqual({ kind: 'hook', capability: 'stanzaTap', status: 'live', detail: undefined, version: '2.3000.7' });
    runner.check();
    expect(reports).toHaveLength(2); // once
  });

  it('never lets a broken node or a rejected decode reach WhatsApp as our error', async () => {
    const { win } = fakeWhatsApp();
    const failure = Promise.reject(new Error('bad frame'));
    const wap = { decodeStanza: vi.fn().mockReturnValueOnce(failure).mockResolvedValueOnce({ tag: 'presence', attrs: { from: {} } }) };
    win.__d('WAWap', [], wap);
    const emit = vi.fn();
    createCapabilityRunner(win, [stanzaTap((id) => id, { signal: emit, message: emit })], () => {}).check();
    await expect(wap.decodeStanza()).rejects.toThrow('bad frame'); // WhatsApp sees its own error, unchanged
    await wap.decodeStanza();
    expect(emit).not.toHaveBeenCalled();
  });

  it("returns WhatsApp's result as is, at once, also one whose then cannot be read, and its own throw as is", () => {
    const { win } = fakeWhatsApp();
    const odd = {
      get then(): never {
        throw new Error('not for you');
      },
    };
    const error = new Error('WhatsApp failed');
    const wap = { decodeStanza: vi.fn().mockReturnValueOnce(odd).mockReturnValueOnce(null).mockImplementationOnce(() => { throw error; }) };
    win.__d('WAWap', [], wap);
    createCapabilityRunner(win, [stanzaTap((id) => id, { signal: () => {}, message: () => {} })], () => {}).check();
    expect(wap.decodeStanza()).toBe(odd);
    expect(wap.decodeStanza()).toBeNull();
    expect(() => wap.decodeStanza()).toThrow(error);
  });
});

describe('capability runner', () => {
  it('reports a missing module by name and build, and keeps the other capabilities working', () => {
    const { win } = fakeWhatsApp('2.3000.999');
    const socket = eventful({ state: 'CONNECTED', hasSynced: true });
    win.__d('WAWebSocketModel', [], { Socket: socket });
    win.__d('WAWebConnModel', [], { Conn: { wid: { _serialized: '15550000001@c.us' }, pushname: 'Operator' } });
    const reports: Array<HookReport | SessionReport> = [];
    const runner = createCapabilityRunner(
      win,
      [sessionWatch(win, (r) => reports.push(r), () => {}), stanzaTap((id) => id, { signal: () => {}, message: () => {} })],
      (r) => reports.push(r),
    );
    expect(runner.check()).toBe(1);
    runner.settle();
    expect(reports).toContainEqual({ kind: 'hook', capability: 'session', status: 'live', detail: undefined, version: '2.3000.999' });
    expect(reports).toContainEqual({
      kind: 'hook',
      capability: 'stanzaTap',
      status: 'unavailable',
      detail: 'WAWap missing on WhatsApp Web 2.3000.999',
      version: '2.3000.999',
    });
  });

  it('reports a capability that throws while starting, without throwing itself', () => {
    const { win } = fakeWhatsApp();
    win.__d('WAWap', [], { decodeStanza: 'not a function' });
    const reports: HookReport[] = [];
    createCapabilityRunner(win, [stanzaTap((id) => id, { signal: () => {}, message: () => {} })], (r) => reports.push(r)).check();
    expect(reports[0]).toMatchObject({ status: 'unavailable', detail: expect.stringContaining('decodeStanza is not a function') });
  });
});

describe('session watch', () => {
  it('follows loading → connected (with me) → logged out → QR', () => {
    const { win } = fakeWhatsApp();
    const socket = eventful({ state: 'OPENING', hasSynced: false });
    const conn = { wid: { _serialized: '15550000001@c.us' }, pushname: 'Operator' };
    win.__d('WAWebUserPrefsMeUser', [], { getMaybeMeLidUser: () => ({ _serialized: '90000000001@lid' }) });
    const reports: SessionReport[] = [];
    const onSynced = vi.fn();
    sessionWatch(win, (r) => reports.push(r), onSynced).start({ WAWebSocketModel: { Socket: socket }, WAWebConnModel: { Conn: conn } });

    Object.assign(socket, { state: 'CONNECTED' });
    socket.trigger('change:state', socket, 'CONNECTED');
    Object.assign(socket, { hasSynced: true });
    socket.trigger('change:hasSynced');
    Object.assign(socket, { state: 'UNPAIRED', hasSynced: false });
    socket.trigger('change:state', socket, 'UNPAIRED');
    Object.assign(socket, { state: 'UNPAIRED_IDLE' });
    socket.trigger('change:state', socket, 'UNPAIRED_IDLE');

    expect(reports.map((r) => r.state)).toEqual(['loading', 'connected', 'logged_out', 'qr']);
    expect(reports[1]!.me).toEqual({ id: '15550000001@c.us', pushName: 'Operator', lid: '90000000001@lid' });
    expect(onSynced).toHaveBeenCalledTimes(1);
  });
});

describe('id resolver', () => {
  it("maps a LID to the phone id through WhatsApp's contact API, and keeps it when unknown", () => {
    const { win } = fakeWhatsApp();
    win.__d('WAWebWidFactory', [], { createWid: (s: string) => ({ _serialized: s }) });
    win.__d('WAWebApiContact', [], {
      getPhoneNumber: (wid: { _serialized: string }) =>
        wid._serialized === '81110001@lid' ? { _serialized: '15551110001@c.us' } : undefined,
    });
    const resolve = createIdResolver(win);
    expect(resolve('81110001@lid')).toBe('15551110001@c.us');
    expect(resolve('81110003@lid')).toBe('81110003@lid');
    expect(resolve('120363000000000001@g.us')).toBe('120363000000000001@g.us');
  });

  it('asks WhatsApp once a minute about a LID whose phone it knows, and every time about one it does not', () => {
    const { win } = fakeWhatsApp();
    const createWid = vi.fn((s: string) => ({ _serialized: s }));
    const phones = new Map([['81110001@lid', '15551110001@c.us']]);
    const getPhoneNumber = vi.fn((wid: { _serialized: string }) => (phones.has(wid._serialized) ? { _serialized: phones.get(wid._serialized) } : undefined));
    win.__d('WAWebWidFactory', [], { createWid });
    win.__d('WAWebApiContact', [], { getPhoneNumber });
    let now = 1_000;
    const resolve = createIdResolver(win, () => now);
    for (let i = 0; i < 5; i++) expect(resolve('81110001@lid')).toBe('15551110001@c.us');
    expect(getPhoneNumber).toHaveBeenCalledTimes(1);
    now += PHONE_KNOWN_MS;
    phones.set('81110001@lid', '15559990001@c.us'); // the contact changed numbers
    expect(resolve('81110001@lid')).toBe('15559990001@c.us');
    expect(getPhoneNumber).toHaveBeenCalledTimes(2);

    expect(resolve('81110003@lid')).toBe('81110003@lid');
    phones.set('81110003@lid', '15551110003@c.us'); // WhatsApp learned it
    expect(resolve('81110003@lid')).toBe('15551110003@c.us');
  });

  it('keeps the LID when the contact API is missing on this build', () => {
    expect(createIdResolver(fakeWhatsApp().win)('81110001@lid')).toBe('81110001@lid');
  });
});
