import { afterEach, describe, expect, it, vi } from 'vitest';
import { WAState } from 'whatsapp-web.js/src/util/Constants.js';
import type { SessionReport } from '@/utils/protocol/page-messages';
import { watchModuleDefinitions } from '@/utils/page/module-watch';
import { sessionStateOf } from '@/utils/page/session-state';
import { sessionWatch } from '@/utils/page/session-watch';
import { createDropReporter } from '@/utils/page/subscription-drops';
import { tryRequire } from '@/utils/page/wa-modules';
import { eventful, fakeWhatsApp } from './support/fake-whatsapp';

afterEach(() => vi.useRealTimers());

describe('session states (WAWebSocketModel.Socket.state, as whatsapp-web.js names them)', () => {
  it('maps every WhatsApp socket state', () => {
    const table = Object.values(WAState).map((state) => [state, sessionStateOf(state, false, false), sessionStateOf(state, true, true)]);
    expect(table).toEqual([
      ['CONFLICT', 'conflict', 'conflict'],
      ['CONNECTED', 'loading', 'connected'], // connected but not synced yet: still loading
      ['DEPRECATED_VERSION', 'unsupported', 'unsupported'],
      ['OPENING', 'loading', 'loading'],
      ['PAIRING', 'qr', 'resuming'], // with a synced session, PAIRING is a resume
      ['PROXYBLOCK', 'blocked', 'blocked'],
      ['SMB_TOS_BLOCK', 'blocked', 'blocked'],
      ['TIMEOUT', 'phone_unreachable', 'phone_unreachable'],
      ['TOS_BLOCK', 'blocked', 'blocked'],
      ['UNLAUNCHED', 'loading', 'loading'],
      ['UNPAIRED', 'qr', 'logged_out'],
      ['UNPAIRED_IDLE', 'qr', 'logged_out'],
    ]);
    expect(sessionStateOf(undefined, false, false)).toBe('loading');
    expect(sessionStateOf('SOMETHING_NEW', true, true)).toBe('loading');
  });

  it('reads a resume as a resume, not a logout, names the state, and takes WAWebCmd’s logout', () => {
    const { win } = fakeWhatsApp();
    const socket = eventful({ state: 'CONNECTED', hasSynced: true });
    const cmd = eventful({});
    win.__d('WAWebCmd', [], { Cmd: cmd });
    const reports: SessionReport[] = [];
    const onConnected = vi.fn();
    sessionWatch(win, (r) => reports.push(r), onConnected).start({ WAWebSocketModel: { Socket: socket }, WAWebConnModel: { Conn: { wid: { _serialized: '15550000001@c.us' } } } });
    const to = (state: string) => {
      socket.state = state;
      socket.trigger('change:state');
    };
    to('OPENING');
    to('PAIRING');
    to('CONNECTED');
    to('CONFLICT');
    to('CONNECTED');
    cmd.trigger('logout');
    expect(reports.map((r) => [r.state, r.waState])).toEqual([
      ['connected', 'CONNECTED'],
      ['loading', 'OPENING'],
      ['resuming', 'PAIRING'],
      ['connected', 'CONNECTED'],
      ['conflict', 'CONFLICT'],
      ['connected', 'CONNECTED'],
      ['logged_out', 'CONNECTED'],
    ]);
    expect(reports.filter((r) => r.me).length).toBe(3); // the account stays known through the resume
    expect(onConnected).toHaveBeenCalledTimes(3);
  });
});

describe('module lookups without probing', () => {
  it('asks the loader’s table first: no require for a module (or a dependency) not registered yet', () => {
    const { win, probes } = fakeWhatsApp();
    expect(tryRequire(win, 'WAWap')).toBeUndefined();
    win.__d('WAWebPresenceCollection', ['WAWebPresenceModel'], { PresenceCollection: {} });
    expect(tryRequire(win, 'WAWebPresenceCollection')).toBeUndefined(); // its dependency is missing
    win.__d('WAWebPresenceModel', [], {});
    expect(tryRequire(win, 'WAWebPresenceCollection')).toEqual({ PresenceCollection: {} });
    expect(probes).toEqual([]);
  });

  it('is undefined before the loader exists', () => {
    expect(tryRequire({}, 'WAWap')).toBeUndefined();
  });
});

describe('module watch beside another extension', () => {
  it('keeps an earlier trap on __d working, and gives it back', async () => {
    vi.useFakeTimers();
    const win: any = {};
    const theirs: string[] = [];
    let define: any;
    Object.defineProperty(win, '__d', {
      configurable: true,
      get: () => define,
      set(value) {
        define = (name: string, ...rest: unknown[]) => (theirs.push(name), value(name, ...rest));
      },
    });
    const onDefine = vi.fn();
    const stop = watchModuleDefinitions(win, onDefine);
    const registered: string[] = [];
    win.__d = (name: string) => registered.push(name); // WhatsApp's loader arrives
    win.__d('WAWap');
    await vi.runAllTimersAsync();
    expect(registered).toEqual(['WAWap']);
    expect(theirs).toEqual(['WAWap']);
    expect(onDefine).toHaveBeenCalled();
    stop();
    expect(typeof Object.getOwnPropertyDescriptor(win, '__d')?.set).toBe('function');
    win.__d('WAWebStreamModel');
    expect(theirs).toEqual(['WAWap', 'WAWebStreamModel']);
  });
});

describe('subscription drop reports', () => {
  it('reports once for a burst, and only while connected', async () => {
    vi.useFakeTimers();
    let connected = true;
    const report = vi.fn();
    const dropped = createDropReporter(() => connected, report, 1000);
    dropped();
    dropped();
    dropped();
    await vi.advanceTimersByTimeAsync(1000);
    expect(report).toHaveBeenCalledOnce();
    connected = false; // a disconnect: the reconnect's own report renews them
    dropped();
    await vi.advanceTimersByTimeAsync(1000);
    expect(report).toHaveBeenCalledOnce();
  });
});
