import { SESSION_PORT, isTabEventsAck, type SessionHello, type TabEvent } from '../protocol/session-port';
import { createEventSender } from './event-sender';

const LOG_PREFIX = '[wa-presence]';
/** A port that closes again before anything was acknowledged is opened again this much later (ms), doubling up to the last. */
const REOPEN_DELAYS_MS = [0, 250, 1000, 5000];
/**
 * An events message not answered within this is posted again on the same
 * port (the background skips numbers it has applied): a message posted just
 * as the port died, before its close was told, must not hold the rest back.
 */
const ACK_TIMEOUT_MS = 3000;

/**
 * This page's end of the session port (utils/protocol/session-port.ts): it
 * says the page is live, and carries the page's events (utils/content/
 * event-sender.ts). When the background stops, the port closes; it is opened
 * again at once while events wait for an acknowledgement, else the next time
 * the page has something to say (`ensure`), so an idle WhatsApp tab does not
 * keep waking the background.
 */
export function createSessionPort(pageId: string) {
  let port: ReturnType<typeof browser.runtime.connect> | null = null;
  /** Ports closed in a row without an acknowledgement. */
  let closedInARow = 0;
  let reopenTimer: ReturnType<typeof setTimeout> | undefined;
  let ackTimer: ReturnType<typeof setTimeout> | undefined;
  let dropped = 0;
  let droppedSaidAt = -Infinity;

  const events = createEventSender({
    post(message) {
      if (!port) connect(false);
      if (!port) return false;
      try {
        port.postMessage(message);
        clearTimeout(ackTimer);
        ackTimer = setTimeout(() => {
          if (!events.awaitingAck) return;
          events.onPortClosed(); // as if closed: everything not acknowledged goes again
          events.resend();
        }, ACK_TIMEOUT_MS);
        return true;
      } catch {
        return false; // closed under us: onDisconnect sends it again
      }
    },
    // An orphaned page (the extension was updated) drops one event per change: one line a minute, not one each.
    onDropped(count) {
      dropped += count;
      if (Date.now() - droppedSaidAt < 60_000) return;
      droppedSaidAt = Date.now();
      console.warn(LOG_PREFIX, `background unreachable: dropped ${dropped} event(s) kept for it, the oldest first`);
      dropped = 0;
    },
  });

  /** Opens the port and says hello; then, unless asked from a send, sends again what waits. */
  function connect(thenResend = true) {
    clearTimeout(reopenTimer);
    reopenTimer = undefined;
    let opened: ReturnType<typeof browser.runtime.connect>;
    try {
      opened = browser.runtime.connect({ name: SESSION_PORT });
      opened.postMessage({ type: 'hello', pageId } satisfies SessionHello);
    } catch (error) {
      port = null; // the extension was updated or removed: this page's script is orphaned
      console.warn(LOG_PREFIX, 'cannot reach the background:', String(error));
      return;
    }
    port = opened;
    opened.onMessage.addListener((message: unknown) => {
      if (!isTabEventsAck(message)) return;
      clearTimeout(ackTimer);
      closedInARow = 0;
      events.onAck(message.upTo);
    });
    opened.onDisconnect.addListener(() => {
      if (port !== opened) return;
      port = null;
      events.onPortClosed();
      if (events.unacked === 0) return;
      const delay = REOPEN_DELAYS_MS[Math.min(closedInARow++, REOPEN_DELAYS_MS.length - 1)]!;
      reopenTimer = setTimeout(() => {
        reopenTimer = undefined;
        if (!port) connect();
      }, delay);
    });
    if (thenResend) events.resend();
  }
  connect();

  return {
    ensure() {
      if (!port && reopenTimer === undefined) connect();
    },
    /** A presence signal or a contact's message, in the order the page saw them. */
    send(event: TabEvent) {
      events.push(event);
    },
  };
}
