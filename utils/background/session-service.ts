import type { HookReport, SessionReport } from '../protocol/page-messages';
import type { MeInfo } from '../presence/types';
import { activeTab, deriveStatus, emptyMachine, reduceSession, statusKey, type SessionEvent, type SessionMachine, type SessionStatus, type TabSession } from '../session/machine';
import { hookStatusStorage, meStorage, ownPresenceStorage, sessionMachineStorage, whatsappSessionStorage } from '../storage';
import type { DeliveryService } from './delivery-service';
import type { PresenceService } from './presence-service';
import { createSerialQueue } from './serial';
import type { SettingsCache } from './settings-cache';

/** `session.status` keeps this many recent statuses, oldest first (WAHA's `statuses`). */
const HISTORY = 3;

const sameTab = (a: TabSession | null, b: TabSession | null) => !!a && !!b && a.tabId === b.tabId && a.pageId === b.pageId;
const hasTab = (machine: SessionMachine, tab: TabSession) => machine.tabs.some((other) => sameTab(other, tab));

/**
 * The WhatsApp session as one state machine the background owns
 * (utils/session/machine.ts): every report from a tab, and every sign that a
 * tab went away, is one event; WAHA's `session.status` is derived from the
 * machine and sent when it changes. The storage items the popup and the
 * commands read (whatsappSession, me, hookStatus) are views written only here.
 */
export function createSessionService(
  settings: SettingsCache,
  delivery: DeliveryService,
  presence: PresenceService,
  hooks: { onConnected(): void },
) {
  let machine: SessionMachine = emptyMachine();
  let history: Array<{ status: SessionStatus; timestamp: number }> = [];
  let lastKey: string | null = null;
  const writes = createSerialQueue('session');
  const ready = sessionMachineStorage.getValue().then((saved) => {
    ({ machine, history, lastKey } = saved);
  });

  const forgetTabState = () => Promise.all([presence.clear(), ownPresenceStorage.removeValue()]);

  async function apply(event: SessionEvent) {
    await ready;
    const next = reduceSession(machine, event);
    if (next === machine) return; // about a tab the session never had: nothing to tell
    const before = activeTab(machine);
    machine = next;
    const after = activeTab(machine);
    const derived = deriveStatus(machine);

    // The session's page went away (closed, reloaded, crashed…), or it logged out: nothing of it is kept.
    const pageGone = before && !hasTab(machine, before);
    const loggedOut = after?.state === 'logged_out' && !(sameTab(before, after) && before?.state === 'logged_out');
    if (pageGone || loggedOut) await forgetTabState();

    await Promise.all([
      whatsappSessionStorage.setValue({
        tabId: after?.tabId ?? null,
        status: derived.status,
        ...(after?.state ? { state: after.state } : {}),
        ...(after?.waState ? { waState: after.waState } : {}),
        ...(derived.data.otherTabs ? { otherTabs: derived.data.otherTabs } : {}),
      }),
      meStorage.setValue(after?.me ?? null),
      hookStatusStorage.setValue(after?.hooks ?? {}),
    ]);

    const key = statusKey(derived);
    if (key !== lastKey) {
      lastKey = key;
      const timestamp = event.at;
      history = [...history, { status: derived.status, timestamp }].slice(-HISTORY);
      const statuses = history;
      // Queued even when the outbox cannot be saved (it is delivered from memory); the machine is saved regardless.
      await delivery
        .send({
          event: 'session.status',
          timestamp,
          lane: 'session',
          payloadFor: () => ({ name: settings.get().session.name, status: derived.status, statuses, data: derived.data }),
        })
        .catch((error) => console.warn('[wa-presence] session.status not saved:', String(error).slice(0, 200)));
    }
    await sessionMachineStorage.setValue({ machine, history, lastKey });

    if (after?.state === 'connected' && !(sameTab(before, after) && before?.state === 'connected')) hooks.onConnected();
  }

  const run = (event: SessionEvent) => writes(() => apply(event));

  return {
    ready,
    /** The account of the session, for every event's envelope (WAHA sends `me` when known). */
    me: (): MeInfo | null => activeTab(machine)?.me ?? null,
    /** Tabs the machine knows (the start-up check asks each whether its page is still there). */
    tabs: () => ready.then(() => machine.tabs.map(({ tabId, pageId }) => ({ tabId, pageId }))),
    tabConnected: (tabId: number, pageId: string) => run({ type: 'tabConnected', tabId, pageId, at: Date.now() }),
    tabGone: (tabId: number, reason: Extract<SessionEvent, { type: 'tabGone' }>['reason']) => run({ type: 'tabGone', tabId, reason, at: Date.now() }),
    onSessionReport: (report: SessionReport, tabId: number) =>
      run({ type: 'session', tabId, state: report.state, ...(report.waState ? { waState: report.waState } : {}), ...(report.me ? { me: report.me } : {}), version: report.version, at: Date.now() }),
    onHookReport: (report: HookReport, tabId: number) =>
      run({ type: 'hook', tabId, capability: report.capability, status: report.status, ...(report.detail ? { detail: report.detail } : {}), version: report.version, at: Date.now() }),
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
