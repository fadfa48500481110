import { PRESENCE_LAYERS, type CapabilityName } from '../protocol/capabilities';
import type { CapabilityStatusName as CapabilityStatus, SessionState } from '../protocol/page-messages';
import type { MeInfo } from '../presence/types';

/**
 * The WhatsApp Web session as the background knows it: one record per
 * WhatsApp tab (its page's last session report and capability reports), and
 * why the last one went away. Pure: events in, a new machine out; the status a
 * backend is told is derived from it, never stored beside it.
 */

/** WAHA's session statuses. */
export type SessionStatus = 'STOPPED' | 'STARTING' | 'SCAN_QR_CODE' | 'WORKING' | 'FAILED';

export interface CapabilityReport {
  status: CapabilityStatus;
  detail?: string;
  version: string;
}

export interface TabSession {
  tabId: number;
  /** One page load of the tab: a new one starts the tab's record over. */
  pageId: string | null;
  connectedAt: number;
  state: SessionState | null;
  waState?: string;
  me?: MeInfo;
  version?: string;
  hooks: Partial<Record<CapabilityName, CapabilityReport>>;
}

export type TabGoneReason = 'closed' | 'navigated' | 'discarded' | 'disconnected';

export interface SessionMachine {
  tabs: TabSession[];
  /** Why the last tab went away, for STOPPED. */
  ended?: { at: number; reason: TabGoneReason };
}

export const emptyMachine = (): SessionMachine => ({ tabs: [] });

export type SessionEvent =
  | { type: 'tabConnected'; tabId: number; pageId: string; at: number }
  | { type: 'tabGone'; tabId: number; reason: TabGoneReason; at: number }
  | { type: 'session'; tabId: number; state: SessionState; waState?: string; me?: MeInfo; version: string; at: number }
  | { type: 'hook'; tabId: number; capability: CapabilityName; status: CapabilityStatus; detail?: string; version: string; at: number };

const newTab = (tabId: number, pageId: string | null, at: number): TabSession => ({ tabId, pageId, connectedAt: at, state: null, hooks: {} });

function withTab(machine: SessionMachine, tabId: number, at: number, update: (tab: TabSession) => TabSession): SessionMachine {
  const existing = machine.tabs.find((tab) => tab.tabId === tabId);
  const tabs = machine.tabs.filter((tab) => tab.tabId !== tabId);
  return { tabs: [...tabs, update(existing ?? newTab(tabId, null, at))] };
}

export function reduceSession(machine: SessionMachine, event: SessionEvent): SessionMachine {
  switch (event.type) {
    case 'tabConnected':
      return withTab(machine, event.tabId, event.at, (tab) => {
        // The same page reconnecting (the background had been stopped) keeps its reports.
        if (tab.pageId === event.pageId) return tab;
        // Reports that came before the page's hello are that page's.
        if (tab.pageId === null) return { ...tab, pageId: event.pageId };
        // Another page in the same tab (a reload): it starts over.
        return newTab(event.tabId, event.pageId, event.at);
      });
    case 'tabGone': {
      if (!machine.tabs.some((tab) => tab.tabId === event.tabId)) return machine;
      return { tabs: machine.tabs.filter((tab) => tab.tabId !== event.tabId), ended: { at: event.at, reason: event.reason } };
    }
    case 'session':
      return withTab(machine, event.tabId, event.at, (tab) => {
        const next: TabSession = { ...tab, state: event.state, version: event.version };
        if (event.waState) next.waState = event.waState;
        else delete next.waState;
        if (event.me) next.me = event.me;
        if (event.state === 'logged_out' || event.state === 'qr') delete next.me;
        return next;
      });
    case 'hook':
      return withTab(machine, event.tabId, event.at, (tab) => ({
        ...tab,
        hooks: { ...tab.hooks, [event.capability]: { status: event.status, ...(event.detail ? { detail: event.detail } : {}), version: event.version } },
      }));
  }
}

/** How much a tab counts as "the" session: a connected one first, one in CONFLICT last. */
function rank(tab: TabSession): number {
  switch (tab.state) {
    case 'connected':
      return 4;
    case 'resuming':
    case 'loading':
    case null:
      return 3;
    case 'qr':
    case 'logged_out':
      return 2;
    case 'conflict':
      return 0;
    default:
      return 1;
  }
}

/**
 * The tab that is the session. WhatsApp keeps one window active (the other
 * shows CONFLICT): the best-ranked tab, the most recent among equals.
 */
export function activeTab(machine: SessionMachine): TabSession | null {
  return machine.tabs.reduce<TabSession | null>((best, tab) => {
    if (!best) return tab;
    const diff = rank(tab) - rank(best);
    return diff > 0 || (diff === 0 && tab.connectedAt >= best.connectedAt) ? tab : best;
  }, null);
}

/** Whether presence is really arriving, and why not. */
export interface Reception {
  receiving: boolean;
  /** The layer presence comes through. */
  layer: 'stanzaTap' | 'presenceModels' | null;
  reason?: string;
}

/** What `session.status`'s `data` says beside the status. */
export interface StatusData {
  /** Why FAILED or STOPPED, in words. */
  reason?: string;
  /** WhatsApp's own state name, and what is missing when the hook is broken. */
  waState?: string;
  detail?: string;
  tabId?: number;
  /** WhatsApp tabs beside the session's own (they show CONFLICT, or are loading). */
  otherTabs?: number;
  reception: Reception;
}

const GONE_REASON: Record<TabGoneReason, string> = {
  closed: 'the WhatsApp Web tab was closed',
  navigated: 'the WhatsApp Web tab left web.whatsapp.com',
  discarded: 'the browser discarded the WhatsApp Web tab',
  disconnected: 'the WhatsApp Web tab stopped (reloaded, crashed, or the extension was updated)',
};

const FAILED_REASON: Partial<Record<SessionState, string>> = {
  conflict: 'WhatsApp Web was opened in another window',
  phone_unreachable: 'WhatsApp Web cannot reach the phone',
  blocked: 'WhatsApp blocked the session (the account, or the network)',
  unsupported: 'this WhatsApp Web version is no longer supported',
};

function reception(tab: TabSession, status: SessionStatus): Reception {
  if (status !== 'WORKING') return { receiving: false, layer: null, reason: 'the session is not working' };
  const tap = tab.hooks.stanzaTap?.status;
  const models = tab.hooks.presenceModels?.status;
  if (tap === 'live') return { receiving: true, layer: 'stanzaTap' };
  if (models === 'live') {
    const why = tap === 'quiet' ? 'the stanza tap receives nothing on this build' : 'the stanza tap is unavailable on this build';
    return { receiving: true, layer: 'presenceModels', reason: `${why}: presence comes from WhatsApp's models (no exact paused, no last seen where WhatsApp does not pass it)` };
  }
  return { receiving: false, layer: null, reason: 'no presence layer has reported live yet' };
}

/** A presence layer that cannot receive: both are unavailable (or one is, and the other never started). */
function hookBroken(tab: TabSession): string | null {
  const reports = PRESENCE_LAYERS.map((layer) => tab.hooks[layer]);
  if (!reports.every((report) => report?.status === 'unavailable')) return null;
  return reports.map((report) => report?.detail).filter(Boolean).join('; ') || 'no presence layer works';
}

/** WAHA's status for the machine, and the facts behind it. */
export function deriveStatus(machine: SessionMachine): { status: SessionStatus; data: StatusData } {
  const tab = activeTab(machine);
  if (!tab) {
    const reason = machine.ended ? GONE_REASON[machine.ended.reason] : 'no WhatsApp Web tab is open';
    return { status: 'STOPPED', data: { reason, reception: { receiving: false, layer: null, reason } } };
  }
  const base = { tabId: tab.tabId, ...(tab.waState ? { waState: tab.waState } : {}), ...(machine.tabs.length > 1 ? { otherTabs: machine.tabs.length - 1 } : {}) };
  let status: SessionStatus;
  let reason: string | undefined;
  let detail: string | undefined;
  const broken = hookBroken(tab);
  switch (tab.state) {
    case 'connected':
      status = broken ? 'FAILED' : 'WORKING';
      if (broken) {
        reason = `the presence hook does not work on WhatsApp Web ${tab.version ?? ''}`.trim();
        detail = broken;
      }
      break;
    case 'qr':
    case 'logged_out':
      status = 'SCAN_QR_CODE';
      break;
    case 'loading':
    case 'resuming':
    case null:
      status = broken ? 'FAILED' : 'STARTING';
      if (broken) {
        reason = `the presence hook does not work on WhatsApp Web ${tab.version ?? ''}`.trim();
        detail = broken;
      }
      break;
    default:
      status = 'FAILED';
      reason = FAILED_REASON[tab.state];
  }
  const data: StatusData = { ...base, ...(reason ? { reason } : {}), ...(detail ? { detail } : {}), reception: reception(tab, status) };
  return { status, data };
}

/** Two derived statuses that a backend must hear about: a new status, or a new reason for the same one. */
export const statusKey = (derived: { status: SessionStatus; data: StatusData }) => `${derived.status}\n${derived.data.reason ?? ''}`;
