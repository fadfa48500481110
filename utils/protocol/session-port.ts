import type { PresenceSignal } from '../presence/types';
import type { IncomingMessage } from './page-messages';

/**
 * The long-lived port from the WhatsApp tab's content script to the
 * background: open = that page is live; its disconnect = the page went away
 * (reload, navigation, close, crash, discard, extension update). The content
 * script says which page load it is in its first message.
 */
export const SESSION_PORT = 'whatsapp-tab';

export interface SessionHello {
  type: 'hello';
  /** Random per page load. */
  pageId: string;
}

export function isSessionHello(message: unknown): message is SessionHello {
  const hello = message as SessionHello | null;
  return hello?.type === 'hello' && typeof hello.pageId === 'string' && /^[\w-]{8,64}$/.test(hello.pageId);
}

/** The only pages the content script runs in. */
export const WHATSAPP_ORIGIN = 'https://web.whatsapp.com';
export const isWhatsAppUrl = (url: string | undefined) => !!url && (url === WHATSAPP_ORIGIN || url.startsWith(`${WHATSAPP_ORIGIN}/`));

/**
 * What the page saw, in the order it saw it, over the session port: presence
 * signals and contacts' messages (a message ends a typing, so the two keep
 * one order). One port message per task's worth of events instead of a
 * `runtime.sendMessage` each: a message on an open port is one IPC, where
 * `sendMessage` opens a channel, sends and closes it (tests/bench: a lone
 * change cost the page 0.2–0.5 ms that way).
 */
export type TabEvent = { signal: PresenceSignal } | { message: IncomingMessage };

/** Content → background: events numbered from `seq` on (per page load, from 1). */
export interface TabEvents {
  type: 'events';
  seq: number;
  events: TabEvent[];
}

/**
 * Background → content: every event up to `upTo` is applied (and queued for
 * delivery, on disk). The content script keeps the rest and sends it again
 * on the next port if this one closes first.
 */
export interface TabEventsAck {
  type: 'ack';
  upTo: number;
}

/** Events in one port message at most (the content script's own bound on what it keeps). */
export const MAX_TAB_EVENTS = 5000;

const isSeq = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;

/** The frame of an events message (its events are checked one by one: utils/protocol/content-messages.ts). */
export function isTabEvents(message: unknown): message is TabEvents {
  const events = message as TabEvents | null;
  return events?.type === 'events' && isSeq(events.seq) && Array.isArray(events.events) && events.events.length >= 1 && events.events.length <= MAX_TAB_EVENTS;
}

export function isTabEventsAck(message: unknown): message is TabEventsAck {
  const ack = message as TabEventsAck | null;
  return ack?.type === 'ack' && isSeq(ack.upTo);
}
