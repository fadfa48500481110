import type { MeInfo } from '@/utils/presence/types';
import type { SessionState } from '@/utils/protocol/page-messages';
import type { CapabilityStatus, DeliveryStats, SessionStatus } from '@/utils/storage';
import { displayNumber } from '@/utils/ids/chat-id';
import { agoText } from './time-wording';

/** The popup's status line, in words: the WhatsApp tab, the hook, the webhooks. */

export interface SessionWording {
  /** Whether a WhatsApp Web tab is there to act on (else: offer to open one). */
  tabOpen: boolean;
  text: string;
}

/** Why a session stopped, in the operator's words, by the page's state. */
const FAILED_TEXT: Partial<Record<SessionState, string>> = {
  conflict: 'WhatsApp Web is open in another window: choose "Use here" in this tab to continue.',
  phone_unreachable: 'WhatsApp Web cannot reach your phone: check its connection.',
  blocked: 'WhatsApp blocked this session (the account, or the network).',
  unsupported: 'This WhatsApp Web version is no longer supported: reload the tab.',
};

export function sessionWording(
  session: { tabId: number | null; status: SessionStatus | null; state?: SessionState; otherTabs?: number },
  me: MeInfo | null,
): SessionWording {
  const wording = sessionText(session, me);
  if (!wording.tabOpen || !session.otherTabs) return wording;
  const others = session.otherTabs === 1 ? 'Another WhatsApp Web tab is open' : `${session.otherTabs} other WhatsApp Web tabs are open`;
  return { ...wording, text: `${wording.text} ${others}: this one is used (the one WhatsApp keeps active).` };
}

function sessionText(session: { tabId: number | null; status: SessionStatus | null; state?: SessionState }, me: MeInfo | null): SessionWording {
  if (session.tabId === null || session.status === null || session.status === 'STOPPED') {
    return { tabOpen: false, text: 'No WhatsApp Web tab is open.' };
  }
  switch (session.status) {
    case 'STARTING':
      return { tabOpen: true, text: session.state === 'resuming' ? 'WhatsApp Web is reconnecting…' : 'WhatsApp Web is loading…' };
    case 'SCAN_QR_CODE':
      return { tabOpen: true, text: 'WhatsApp Web shows its QR code: scan it with your phone to log in.' };
    case 'FAILED':
      return { tabOpen: true, text: (session.state && FAILED_TEXT[session.state]) ?? 'WhatsApp Web could not connect.' };
    case 'WORKING': {
      if (!me) return { tabOpen: true, text: 'WhatsApp Web is connected.' };
      const number = displayNumber(me.id);
      return { tabOpen: true, text: `Logged in as ${me.pushName ? `${me.pushName} (${number})` : number}.` };
    }
  }
}

/** Capability ids as an operator would call them; unknown ones are shown as they are. */
const CAPABILITY_NAMES: Record<string, string> = {
  session: 'session watch',
  stanzaTap: 'presence tap',
  presenceModels: 'presence models',
  chatState: 'typing and recording',
  ownPresence: 'online and offline',
  subscribe: 'following contacts',
  chatList: 'chat list',
};

export interface HookWording {
  text: string;
  /** One line per capability that does not work (or receives nothing) on this WhatsApp build. */
  unavailable: string[];
}

export function hookWording(hook: Record<string, CapabilityStatus>): HookWording {
  const entries = Object.entries(hook);
  if (!entries.length) return { text: 'Hook: not reported yet.', unavailable: [] };
  const version = entries[0]![1].version;
  const unavailable = entries
    .filter(([, status]) => status.status !== 'live')
    .map(([name, status]) => `${CAPABILITY_NAMES[name] ?? name}: ${status.detail ?? (status.status === 'quiet' ? 'receives nothing' : 'unavailable')}`);
  const text = unavailable.length
    ? `Hook: ${entries.length - unavailable.length} of ${entries.length} parts live on WhatsApp Web ${version}.`
    : `Hook live on WhatsApp Web ${version}.`;
  return { text, unavailable };
}

export interface DeliveryHealth {
  queued: number;
  dropped: number;
  /** Changes replaced by a newer one of the same participant under backlog; absent from older backgrounds. */
  folded?: number;
  last: DeliveryStats['last'];
  storageError?: string;
  presenceStorageError?: string;
}

export function deliveryWording(
  health: DeliveryHealth | null,
  webhookCount: number,
  nowMs: number,
): { text: string; tone: 'ok' | 'failing' | 'idle' } {
  if (webhookCount === 0) return { text: 'No webhook configured: presence goes nowhere yet.', tone: 'idle' };
  if (!health) return { text: 'Webhooks: checking…', tone: 'idle' };
  const counts = `${health.queued} queued, ${health.dropped} dropped${health.folded ? `, ${health.folded} folded into newer changes` : ''}`;
  if (health.storageError) {
    return { text: `The outbox cannot be saved (${health.storageError}): events are delivered while the browser runs, and saved again once storage works (${counts}).`, tone: 'failing' };
  }
  if (health.presenceStorageError) {
    return { text: `Live presence cannot be saved (${health.presenceStorageError}): webhooks still go out, this list may lag until storage works (${counts}).`, tone: 'failing' };
  }
  const { last } = health;
  if (!last) return { text: `Webhooks: nothing delivered yet (${counts}).`, tone: 'idle' };
  if (last.ok) return { text: `Webhooks: last delivery ok ${agoText(last.at, nowMs)} (${counts}).`, tone: 'ok' };
  const reason = last.error ?? `HTTP ${last.status}`;
  return { text: `Webhooks failing: ${reason}, ${agoText(last.at, nowMs)} (${counts}).`, tone: 'failing' };
}
