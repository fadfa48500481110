import { checkTabEvent } from '../protocol/content-messages';
import type { IncomingMessage } from '../protocol/page-messages';
import { isTabEvents, type TabEventsAck } from '../protocol/session-port';
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
 * stand), numbers already applied for that page load skipped, and the last
 * applied acknowledged.
 */
export function createTabEventsReceiver(sink: TabEventSink) {
  /** The last number applied, per page load (the page's hello names it). */
  const appliedUpTo = new Map<string, number>();

  return {
    /** One port: `post` answers on it. The sender was checked when it connected. */
    forPort(post: (ack: TabEventsAck) => void) {
      let pageId: string | null = null;
      let chain: Promise<void> = Promise.resolve();
      let ackUpTo = 0;
      /** Messages received and not yet applied. */
      let waiting = 0;
      let closed = false;

      async function apply(seq: number, raw: unknown[]) {
        const skip = pageId === null ? 0 : (appliedUpTo.get(pageId) ?? 0);
        let signals: PresenceSignal[] = [];
        const refused: string[] = [];
        const flushSignals = async () => {
          if (signals.length) await sink.signals(signals);
          signals = [];
        };
        for (let index = 0; index < raw.length; index++) {
          if (seq + index <= skip) continue; // sent again after a port closed: already applied
          let event;
          try {
            event = checkTabEvent(raw[index]);
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
        await flushSignals();
        if (refused.length) console.warn(LOG_PREFIX, `refused ${refused.length} event(s) from the WhatsApp tab, e.g. ${refused[0]}`);
        const last = seq + raw.length - 1;
        if (pageId !== null) appliedUpTo.set(pageId, Math.max(skip, last));
        ackUpTo = Math.max(ackUpTo, last);
      }

      /**
       * Once nothing more waits: one acknowledgement for a burst of messages,
       * at once for a lone one. At once, because what a stopped background
       * had applied but not acknowledged comes again to the next one, which
       * no longer knows it (its table may not be saved yet): a second webhook.
       */
      function acknowledge() {
        if (--waiting > 0 || closed) return;
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
          waiting++;
          chain = chain
            .then(() => apply(message.seq, message.events))
            .catch((error) => console.error(LOG_PREFIX, 'could not apply the WhatsApp tab’s events:', error))
            .finally(acknowledge);
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
