import { describe, expect, it } from 'vitest';
import { activeTab, deriveStatus, emptyMachine, reduceSession, statusKey, type SessionEvent, type SessionMachine } from '@/utils/session/machine';

const ME = { id: '15550000001@c.us', pushName: 'Operator', lid: '90000000001@lid' };
let at = 1000;
type WithoutAt<E> = E extends unknown ? Omit<E, 'at'> : never;
const run = (machine: SessionMachine, ...events: Array<WithoutAt<SessionEvent>>) =>
  events.reduce((m, event) => reduceSession(m, { ...event, at: (at += 10) } as SessionEvent), machine);
const connected = (tabId = 1, pageId = 'page-aaaa') => run(
  emptyMachine(),
  { type: 'tabConnected', tabId, pageId },
  { type: 'hook', tabId, capability: 'stanzaTap', status: 'live', version: '2.3000.1' },
  { type: 'hook', tabId, capability: 'presenceModels', status: 'live', version: '2.3000.1' },
  { type: 'session', tabId, state: 'connected', waState: 'CONNECTED', me: ME, version: '2.3000.1' },
);
const status = (machine: SessionMachine) => deriveStatus(machine).status;

describe('session machine', () => {
  it('goes STOPPED → STARTING → WORKING as a tab loads and connects, and says how presence arrives', () => {
    expect(deriveStatus(emptyMachine())).toMatchObject({ status: 'STOPPED', data: { reason: 'no WhatsApp Web tab is open' } });
    const loading = run(emptyMachine(), { type: 'tabConnected', tabId: 1, pageId: 'page-aaaa' });
    expect(status(loading)).toBe('STARTING');
    const working = connected();
    expect(deriveStatus(working)).toEqual({ status: 'WORKING', data: { tabId: 1, waState: 'CONNECTED', reception: { receiving: true, layer: 'stanzaTap' } } });
    expect(activeTab(working)?.me).toEqual(ME);
  });

  it('stays FAILED across a reconnect when the hook is broken (its reports come once per page load)', () => {
    let machine = run(
      emptyMachine(),
      { type: 'tabConnected', tabId: 1, pageId: 'page-aaaa' },
      { type: 'hook', tabId: 1, capability: 'stanzaTap', status: 'unavailable', detail: 'WAWap missing on WhatsApp Web 2.3000.9', version: '2.3000.9' },
      { type: 'hook', tabId: 1, capability: 'presenceModels', status: 'unavailable', detail: 'WAWebPresenceCollection missing on WhatsApp Web 2.3000.9', version: '2.3000.9' },
      { type: 'session', tabId: 1, state: 'connected', version: '2.3000.9' },
    );
    expect(deriveStatus(machine)).toMatchObject({
      status: 'FAILED',
      data: { reason: 'the presence hook does not work on WhatsApp Web 2.3000.9', detail: expect.stringContaining('WAWap missing') },
    });
    machine = run(machine, { type: 'session', tabId: 1, state: 'resuming', waState: 'PAIRING', version: '2.3000.9' }, { type: 'session', tabId: 1, state: 'connected', version: '2.3000.9' });
    expect(status(machine)).toBe('FAILED');
  });

  it('reads a resume as STARTING with the account kept, a logout as SCAN_QR_CODE without it, and WhatsApp’s stops as FAILED with the reason', () => {
    let machine = connected();
    machine = run(machine, { type: 'session', tabId: 1, state: 'resuming', waState: 'PAIRING', version: '2.3000.1' });
    expect(status(machine)).toBe('STARTING');
    expect(activeTab(machine)?.me).toEqual(ME);
    const cases = [
      ['conflict', 'CONFLICT', 'WhatsApp Web was opened in another window'],
      ['phone_unreachable', 'TIMEOUT', 'WhatsApp Web cannot reach the phone'],
      ['blocked', 'TOS_BLOCK', 'WhatsApp blocked the session (the account, or the network)'],
      ['unsupported', 'DEPRECATED_VERSION', 'this WhatsApp Web version is no longer supported'],
    ] as const;
    for (const [state, waState, reason] of cases) {
      const failed = run(machine, { type: 'session', tabId: 1, state, waState, version: '2.3000.1' });
      expect(deriveStatus(failed)).toMatchObject({ status: 'FAILED', data: { reason, waState } });
    }
    // A logout after a detour through loading is still a logout.
    machine = run(machine, { type: 'session', tabId: 1, state: 'loading', version: '2.3000.1' }, { type: 'session', tabId: 1, state: 'logged_out', version: '2.3000.1' });
    expect(status(machine)).toBe('SCAN_QR_CODE');
    expect(activeTab(machine)?.me).toBeUndefined();
  });

  it('says why it stopped when the tab goes away, and starts a reloaded page over', () => {
    const gone = run(connected(), { type: 'tabGone', tabId: 1, reason: 'navigated' });
    expect(deriveStatus(gone)).toMatchObject({ status: 'STOPPED', data: { reason: 'the WhatsApp Web tab left web.whatsapp.com' } });
    expect(run(gone, { type: 'tabGone', tabId: 1, reason: 'closed' })).toBe(gone); // nothing more to forget

    const reloaded = run(connected(), { type: 'tabConnected', tabId: 1, pageId: 'page-bbbb' });
    expect(activeTab(reloaded)).toMatchObject({ pageId: 'page-bbbb', state: null, hooks: {} });
    const reconnected = run(connected(), { type: 'tabConnected', tabId: 1, pageId: 'page-aaaa' }); // the background had stopped
    expect(status(reconnected)).toBe('WORKING');
  });

  it('keeps reports that came before the page said hello', () => {
    const machine = run(
      emptyMachine(),
      { type: 'session', tabId: 3, state: 'connected', me: ME, version: '2.3000.1' },
      { type: 'tabConnected', tabId: 3, pageId: 'page-cccc' },
    );
    expect(activeTab(machine)).toMatchObject({ tabId: 3, pageId: 'page-cccc', state: 'connected' });
  });

  it('takes the connected tab as the session when two are open, and says there is another', () => {
    let machine = connected(1, 'page-aaaa');
    machine = run(machine, { type: 'tabConnected', tabId: 2, pageId: 'page-bbbb' });
    expect(deriveStatus(machine)).toMatchObject({ status: 'WORKING', data: { tabId: 1, otherTabs: 1 } }); // the new one still loads
    machine = run(
      machine,
      { type: 'session', tabId: 2, state: 'connected', me: ME, version: '2.3000.1' },
      { type: 'session', tabId: 1, state: 'conflict', waState: 'CONFLICT', version: '2.3000.1' }, // WhatsApp keeps one window
    );
    expect(deriveStatus(machine)).toMatchObject({ status: 'WORKING', data: { tabId: 2, otherTabs: 1 } });
    machine = run(machine, { type: 'tabGone', tabId: 2, reason: 'closed' });
    expect(deriveStatus(machine)).toMatchObject({ status: 'FAILED', data: { tabId: 1, reason: 'WhatsApp Web was opened in another window' } });
  });

  it('says when presence comes through the models only', () => {
    const machine = run(connected(), { type: 'hook', tabId: 1, capability: 'stanzaTap', status: 'quiet', version: '2.3000.1' });
    expect(deriveStatus(machine).data.reception).toEqual({
      receiving: true,
      layer: 'presenceModels',
      reason: expect.stringContaining('the stanza tap receives nothing on this build'),
    });
  });

  it('changes its key for a new status or a new reason, not for anything else', () => {
    const a = deriveStatus(run(connected(), { type: 'session', tabId: 1, state: 'conflict', version: '2.3000.1' }));
    const b = deriveStatus(run(connected(), { type: 'session', tabId: 1, state: 'blocked', version: '2.3000.1' }));
    expect(statusKey(a)).not.toBe(statusKey(b));
    expect(statusKey(deriveStatus(connected(1)))).toBe(statusKey(deriveStatus(connected(2))));
  });
});
