import { checkTabEvent } from '../protocol/content-messages';
import type { IncomingMessage } from '../protocol/page-messages';
import { isTabEvents, type TabEvents, type TabEventsAck } from '../protocol/session-port';
import type { PresenceSignal } from '../presence/types';

const LOG_PREFIX = '[wa-presence]';

export interface TabEventSink {
  signals(signals: PresenceSignal[]): Promise<void>;
  message(message: IncomingMessage): Promise<void>;
}

/**
 * The background's end of the page's events on the session port
 * (utils/content/event-sender.ts): each port's events applied in the order
 * they were numbered, each one checked again (a compromised renderer could
 * send anything; one bad event is dropped with a log line, the others
 * stand), numbers already applied for that page load skipped, and what it
 * took in acknowledged once nothing more waits.
 */
export function createTabEventsReceiver(sink: TabEventSink) {
  /** The last number applied, per page load (the page's hello names it). */
  const appliedUpTo = new Map<string, number>();

  return {
    /** One port: `post` answers on it. The sender was checked when it connected. */
    forPort(post: (ack: TabEventsAck) => void) {
      let pageId: string | null = null;
      /** Messages received and not yet applied, in order. */
      let queued: TabEvents[] = [];
      let draining = false;
      let ackUpTo = 0;
      let closed = false;

      /**
       * Applies what waits, then what came meanwhile, all of it at once: the
       * signals of many messages in one call (each call waits for its outbox
       * write), as the page's burst is one batch. Order is the numbers' order.
       */
      async function drain() {
        draining = true;
        try {
          while (queued.length) {
            const messages = queued;
            queued = [];
            // Acknowledged even if applying failed (logged): sending it again would fail the same way.
            await apply(messages).catch((error) => console.error(LOG_PREFIX, 'could not apply the WhatsApp tab’s events:', error));
            for (const { seq, events } of messages) ackUpTo = Math.max(ackUpTo, seq + events.length - 1);
          }
        } finally {
          draining = false;
        }
        acknowledge();
      }

      async function apply(messages: TabEvents[]) {
        const skip = pageId === null ? 0 : (appliedUpTo.get(pageId) ?? 0);
        let signals: PresenceSignal[] = [];
        const refused: string[] = [];
        const flushSignals = async () => {
          if (signals.length) await sink.signals(signals);
          signals = [];
        };
        let last = skip;
        for (const { seq, events } of messages) {
          for (let index = 0; index < events.length; index++) {
            if (seq + index <= skip) continue; // sent again after a port closed: already applied
            let event;
            try {
              event = checkTabEvent(events[index]);
            } catch (error) {
              refused.push(String((error as Error).message ?? error));
              continue;
            }
            if ('signal' in event) signals.push(event.signal);
            else {
              await flushSignals(); // a message ends a typing: after the signals before it, before those after
              await sink.message(event.message);
            }
          }
          last = Math.max(last, seq + events.length - 1);
        }
        await flushSignals();
        if (refused.length) console.warn(LOG_PREFIX, `refused ${refused.length} event(s) from the WhatsApp tab, e.g. ${refused[0]}`);
        if (pageId !== null) appliedUpTo.set(pageId, last);
      }

      /**
       * Once nothing more waits: one acknowledgement for a burst of messages,
       * at once for a lone one (the page sends its next message only then).
       * At once, also because what a stopped background
       * had applied but not acknowledged comes again to the next one, which
       * no longer knows it (its table may not be saved yet): a second webhook.
       */
      function acknowledge() {
        if (closed || ackUpTo === 0) return;
        try {
          post({ type: 'ack', upTo: ackUpTo });
        } catch {
          // closed meanwhile: the page sends the rest again on its next port
        }
      }

      return {
        hello(id: string) {
          pageId = id;
        },
        /** An events message, if it is one (false otherwise). */
        events(message: unknown): boolean {
          if (!isTabEvents(message)) return false;
          queued.push(message);
          if (!draining) void drain();
          return true;
        },
        closed() {
          closed = true;
        },
      };
    },
    /** A page load that is gone: its numbers are forgotten. */
    forget(pageId: string) {
      appliedUpTo.delete(pageId);
    },
  };
}

export type TabEventsReceiver = ReturnType<typeof createTabEventsReceiver>;
