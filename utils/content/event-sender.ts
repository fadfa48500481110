import { MAX_TAB_EVENTS, type TabEvent, type TabEvents } from '../protocol/session-port';

/** Events kept until the background acknowledges them, at most: a background gone for good must not grow the page's memory. */
export const MAX_UNACKED = MAX_TAB_EVENTS;

/**
 * Sends the page's events to the background over the session port, in order,
 * none lost when the port closes under them (the background stopped, or
 * restarted). What arrives in one task goes in one message at the end of that
 * task (a microtask: a lone change waits for nothing, a burst from the page
 * world is one message). One message at a time: what arrives while one is
 * unanswered waits for its acknowledgement and goes with the others in the
 * next, so a steady 1,000 changes a second is a few hundred messages, not a
 * thousand, each way (the page's main thread pays for each). Each event keeps its number until the background
 * acknowledges it; when the port closes, a new one is opened and everything
 * not acknowledged goes again, in order. The background skips numbers it
 * already applied, and applying an event twice changes nothing anyway (the
 * reducer keeps the newest state per participant).
 */
export function createEventSender(port: {
  /** Posts on the current port, opening one if there is none; false if none can be opened. */
  post(message: TabEvents): boolean;
  onDropped(count: number): void;
}) {
  let nextSeq = 1;
  /** Numbered events not yet acknowledged, oldest first. */
  let unacked: { seq: number; event: TabEvent }[] = [];
  /** The last number posted on the current port. */
  let postedUpTo = 0;
  /** A message posted on the current port and not yet answered. */
  let awaitingAck = false;
  let flushQueued = false;

  function flush() {
    flushQueued = false;
    if (awaitingAck) return; // the acknowledgement sends the rest
    const from = unacked.findIndex((item) => item.seq > postedUpTo);
    if (from < 0) return;
    const fresh = unacked.slice(from);
    if (port.post({ type: 'events', seq: fresh[0]!.seq, events: fresh.map((item) => item.event) })) {
      postedUpTo = fresh.at(-1)!.seq;
      awaitingAck = true;
    }
  }

  return {
    push(event: TabEvent) {
      unacked.push({ seq: nextSeq++, event });
      if (unacked.length > MAX_UNACKED) {
        const dropped = unacked.length - MAX_UNACKED;
        unacked = unacked.slice(dropped);
        port.onDropped(dropped);
      }
      if (!flushQueued) {
        flushQueued = true;
        queueMicrotask(flush);
      }
    },
    /**
     * The background took in everything posted so far: what it applied up to
     * `upTo` is forgotten, and what waited goes now. (What it could not apply
     * stays and goes again on the next port.)
     */
    onAck(upTo: number) {
      const kept = unacked.findIndex((item) => item.seq > upTo);
      unacked = kept < 0 ? [] : unacked.slice(kept);
      awaitingAck = false;
      flush();
    },
    /** The port closed: what it had not acknowledged goes again on the next one. */
    onPortClosed() {
      postedUpTo = 0;
      awaitingAck = false;
    },
    /** A new port is open: send again what is not acknowledged. */
    resend: flush,
    get unacked() {
      return unacked.length;
    },
    /** A message is posted and not yet answered. */
    get awaitingAck() {
      return awaitingAck;
    },
  };
}

export type EventSender = ReturnType<typeof createEventSender>;
